"""Backup fixtures: the app on a real socket, phones pushing to it over HTTP, a fresh installation."""
import base64
import http.cookiejar
import threading

import pytest
from werkzeug.serving import make_server

from tests.concerns.conftest import png
from tests.sync.phone import Phone, concern
from tests.sync.test_process_kill import HttpClient, sign_in


class LiveServer:
    """The app on a real socket in a thread."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join()


@pytest.fixture
def live(app):
    server = LiveServer(app)
    yield server
    server.stop()


def picture(n):
    """Return a small real PNG that differs for each n."""
    return png(width=1 + n % 7, height=1 + n // 7)


def concern_with_picture(n):
    payload = concern(f"DRILL-{n} seen on the field")
    payload["attachments"] = [{"filename": f"photo-{n}.png", "content_type": "image/png",
                               "data": base64.b64encode(picture(n)).decode()}]
    return payload


class PushingPhone:
    """A signed-in phone over HTTP that pushes one sealed concern with a picture at a time."""

    def __init__(self, url, who="staff", device_id="drill-phone"):
        client = HttpClient(http.cookiejar.CookieJar())
        client.base = url
        sign_in(client, who)
        self.phone = Phone(client, device_id)
        self.phone.register()
        self.acknowledged = []  # (item id, n) in the order the server answered "stored"
        self.count = 0

    def push_one(self):
        n = self.count
        self.count += 1
        item = self.phone.item("concern", concern_with_picture(n))
        assert self.phone.statuses([item]) == {item["id"]: "stored"}
        self.acknowledged.append((item["id"], n))
        return item["id"]

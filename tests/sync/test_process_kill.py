"""The server process dies after committing a push and before answering: after a restart the
phone replays, and nothing is lost or doubled."""
import http.cookiejar
import json
import subprocess
import sys
import urllib.error
import urllib.request
from http.client import RemoteDisconnected
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, PEOPLE, csrf_from
from webapp.sync.faults import DIED_AFTER_COMMIT

from .phone import Phone, concern

ROOT = Path(__file__).resolve().parents[2]


class Response:
    def __init__(self, status, body):
        self.status_code, self.body = status, body

    def get_json(self):
        return json.loads(self.body)

    def get_data(self, as_text=False):
        return self.body.decode() if as_text else self.body


class HttpClient:
    """Just enough of Flask's test client, over a real socket, with cookies that outlive the server."""

    def __init__(self, jar):
        self.base = None
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def open(self, path, data=None, headers=None, query_string=None, json_body=None):
        url = self.base + path + ("?" + urllib.parse.urlencode(query_string) if query_string else "")
        headers = dict(headers or {})
        if json_body is not None:
            data, headers["Content-Type"] = json.dumps(json_body).encode(), "application/json"
        elif isinstance(data, dict):
            data = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(urllib.request.Request(url, data=data, headers=headers), timeout=60) as r:
                return Response(r.status, r.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, error.read())

    def get(self, path, query_string=None):
        return self.open(path, query_string=query_string)

    def post(self, path, json=None, data=None, headers=None):
        return self.open(path, data=data, headers=headers, json_body=json)


class Server:
    """The app in its own process."""

    def __init__(self, app, die_after_commit):
        args = [sys.executable, "-m", "tests.sync.serve", app.config["DATABASE"], app.config["SEALING_KEY_FOLDER"]]
        self.process = subprocess.Popen(args + (["--die-after-commit"] if die_after_commit else []),
                                        cwd=ROOT, stdout=subprocess.PIPE, text=True)
        self.url = f"http://127.0.0.1:{self.process.stdout.readline().strip()}"

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait()
        self.process.stdout.close()


@pytest.fixture
def servers():
    started = []
    yield lambda app, die: started.append(Server(app, die)) or started[-1]
    for server in started:
        server.stop()


def sign_in(client, who):
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"email": PEOPLE[who][0], "password": PASSWORD,
                                           "csrf_token": csrf_from(page)})
    assert response.status_code == 200


def test_killed_after_commit_then_replayed_loses_and_doubles_nothing(app, db, servers):
    client = HttpClient(http.cookiejar.CookieJar())
    server = servers(app, True)
    client.base = server.url
    sign_in(client, "staff")
    phone = Phone(client)
    phone.register()
    items = [phone.item("concern", concern(f"Seen on the field, report {i}")) for i in range(5)]

    with pytest.raises((RemoteDisconnected, ConnectionResetError, urllib.error.URLError)):
        phone.push(items)  # the server commits, then its process ends before answering
    assert server.process.wait() == DIED_AFTER_COMMIT
    assert db.execute("SELECT count(*) FROM concerns").fetchone()[0] == 5  # committed before it died

    client.base = servers(app, False).url  # restarted; the phone still has all five waiting
    phone.refresh()
    late = phone.item("concern", concern("Written while the server was down"))
    results = phone.push(items + [late]).get_json()["results"]
    assert [r["status"] for r in results] == ["duplicate"] * 5 + ["stored"]

    rows = list(db.query("SELECT item_id, reporter_id FROM concerns"))
    assert sorted(r["item_id"] for r in rows) == sorted(i["id"] for i in items + [late])
    assert {r["reporter_id"] for r in rows} == {app.people["staff"]}
    assert db.execute("SELECT count(*) FROM sync_items").fetchone()[0] == 6
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

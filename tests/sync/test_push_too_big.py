"""A push over the size limit is answered with a readable 413 in plain words, over a real
connection too: the server reads the rest of the body first, so the phone is not cut off mid-send."""
import http.cookiejar
import io
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import free_port
from tests.soak.load import Gunicorn, signed_in
from webapp.sync.request_body import CHUNK, DrainUnreadBody

from .conftest import signed_in_phone
from .phone import Phone, concern
from .test_process_kill import HttpClient, sign_in

LIMIT = 8 * 2 ** 20  # more than the kernel's socket buffers hold, so an unread rest cannot hide in them


def too_big_item(phone, size):
    return phone.item("concern", concern("A concern with a very large picture " + "x" * size))


def assert_too_big_answer(response):
    assert response.status_code == 413
    body = response.get_json()
    assert body["status"] == 413
    assert "too big" in body["error"] and "send fewer items at once" in body["error"]
    assert body["errors"] == {"items": ["Too big for one push: send fewer."]}


def test_a_push_over_the_limit_says_so_in_plain_words(client, auth, notes, db, app):
    phone = signed_in_phone(client, auth, "staff")
    app.config["SYNC_MAX_PUSH_BYTES"] = 50_000
    item = phone.item("note", {"body": "x", "padding": "y" * 60_000})
    response = phone.push([item])
    assert_too_big_answer(response)
    assert "at most 48 KB" in response.get_json()["error"]
    assert db.execute("SELECT count(*) FROM sync_items").fetchone()[0] == 0
    app.config["SYNC_MAX_PUSH_BYTES"] = 64 * 2 ** 20
    assert phone.statuses([item]) == {item["id"]: "stored"}  # the same item, alone in a push, goes in


def test_other_api_routes_over_the_limit_answer_json(client, auth, app):
    auth.login("staff")
    app.config["MAX_CONTENT_LENGTH"] = 1000
    phone = Phone(client)
    response = phone.post("/api/devices/keys", {"device_id": "p", "public_key": {"pad": "z" * 2000}})
    assert response.status_code == 413 and response.get_json()["error"] == "What was sent is too large."


def test_a_push_over_the_limit_through_the_development_server_reads_its_answer(app, db):
    app.config["SYNC_MAX_PUSH_BYTES"] = LIMIT
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        client = HttpClient(http.cookiejar.CookieJar())
        client.base = f"http://127.0.0.1:{server.server_port}"
        sign_in(client, "staff")
        phone = Phone(client)
        phone.register()
        assert_too_big_answer(phone.push([too_big_item(phone, LIMIT + 4 * 2 ** 20)]))
        small = phone.item("concern", concern("The next push after a refused one"))
        assert phone.statuses([small]) == {small["id"]: "stored"}
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def test_a_push_over_the_limit_through_gunicorn_reads_its_answer(app, db, tmp_path):
    config = {"DATABASE": app.config["DATABASE"], "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
              "SEALING_KEY_FOLDER": str(tmp_path / "sealing-keys"), "SECRET_KEY": "test-secret",
              "ASSETS_AUTO_BUILD": "false", "SYNC_MAX_PUSH_BYTES": LIMIT}
    server = Gunicorn(config, free_port()).start()
    try:
        phone = Phone(signed_in(server.url, "staff"))
        phone.register()
        # Without reading the rest, gunicorn closes the connection and the phone sees a broken pipe.
        assert_too_big_answer(phone.push([too_big_item(phone, LIMIT + 4 * 2 ** 20)]))
        signed_out = HttpClient(http.cookiejar.CookieJar())
        signed_out.base = server.url
        answer = signed_out.post("/api/sync/push", json={"items": ["x" * LIMIT]})
        assert answer.status_code == 401 and answer.get_json()["status"] == 401
    finally:
        server.stop()
    assert db.execute("SELECT count(*) FROM concerns").fetchone()[0] == 0


def call(middleware, body, environ=None):
    stream = io.BytesIO(body)
    environ = {"PATH_INFO": "/api/sync/push", "wsgi.input": stream, "CONTENT_LENGTH": str(len(body)),
               **(environ or {})}
    answer = middleware(environ, lambda status, headers: None)
    return stream, answer


def refuse_unread(environ, start_response):
    start_response("413 REQUEST ENTITY TOO LARGE", [])
    return [b"{}"]


def read_some(environ, start_response):
    environ["wsgi.input"].read(10)
    start_response("200 OK", [])
    return [b"{}"]


@pytest.mark.parametrize("app_reads", [refuse_unread, read_some])
def test_what_the_app_left_unread_is_read_before_the_answer(app_reads):
    stream, answer = call(DrainUnreadBody(app_reads, "/api/", lambda: 1000), b"x" * 900)
    assert stream.tell() == 900 and answer == [b"{}"]


def test_a_body_over_the_cap_is_left_unread():
    stream, _ = call(DrainUnreadBody(refuse_unread, "/api/", lambda: 1000), b"x" * 1001)
    assert stream.tell() == 0


def test_a_body_the_server_ends_itself_is_read_to_its_end_within_the_cap():
    middleware = DrainUnreadBody(refuse_unread, "/api/", lambda: 100_000)
    ended_by_server = {"wsgi.input_terminated": True, "CONTENT_LENGTH": ""}
    stream, _ = call(middleware, b"x" * 300_000, ended_by_server)
    assert stream.tell() == 2 * CHUNK  # stops at the first read that reaches the cap
    stream, _ = call(middleware, b"x" * 90_000, ended_by_server)
    assert stream.tell() == 90_000


def test_only_requests_under_the_prefix_are_read():
    stream, _ = call(DrainUnreadBody(refuse_unread, "/api/", lambda: 1000), b"x" * 10,
                     {"PATH_INFO": "/concerns/new"})
    assert stream.tell() == 0


def test_the_app_reads_the_body_as_it_was_sent():
    seen = []

    def reads_lines(environ, start_response):
        seen.extend(environ["wsgi.input"])
        return [b""]
    stream, _ = call(DrainUnreadBody(reads_lines, "/api/", lambda: 100), b'{"a":\n 1}')
    assert seen == [b'{"a":\n', b' 1}'] and stream.tell() == 9

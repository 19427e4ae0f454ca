"""Fixtures shared by every test: a fresh app on a temporary database built by the migrations."""
import re
from functools import lru_cache

import pytest

from webapp import create_app
from webapp.auth import store
from webapp.db import connect
from webapp.migrations import migrate

PASSWORD = "correct horse battery"
PEOPLE = {
    "staff": ("staff@test.school", "Sally Staff", ["staff"]),
    "staff2": ("staff2@test.school", "Sam Second", ["staff"]),
    "dsl": ("dsl@test.school", "Diane Lead", ["staff", "dsl"]),
    "dsl2": ("dsl2@test.school", "Derek Deputy", ["staff", "dsl"]),
    "head": ("head@test.school", "Helen Head", ["staff", "head"]),
    "governor": ("governor@test.school", "Gary Governor", ["governor"]),
    "admin": ("admin@test.school", "Ada Admin", ["admin"]),
}


@pytest.fixture(autouse=True)
def _hash_each_password_once(monkeypatch):
    """Argon2 is slow on purpose; hash each test password once per session."""
    from webapp.auth import passwords
    monkeypatch.setattr(store, "hash_password", _cached_hash(passwords.hash_password))


@lru_cache(maxsize=None)
def _cached_hash(real):
    return lru_cache(maxsize=None)(real)


@pytest.fixture
def app(tmp_path):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE": str(tmp_path / "test.db"),
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "SEALING_KEY_FOLDER": str(tmp_path / "sealing-keys"),
        "SMTP_HOST": None,
    })
    db = connect(app.config["DATABASE"])
    migrate(db)
    app.people = {key: store.create_user(db, email, name, PASSWORD, roles)
                  for key, (email, name, roles) in PEOPLE.items()}
    db.conn.close()
    return app


@pytest.fixture
def db(app):
    conn = connect(app.config["DATABASE"])
    yield conn
    conn.conn.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_from(html):
    """Return the CSRF token embedded in a rendered page."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no csrf_token in page"
    return match.group(1)


class Auth:
    """Sign in and out as one of the test people."""

    def __init__(self, client):
        self.client = client

    def login(self, who="staff", password=PASSWORD):
        email = PEOPLE[who][0] if who in PEOPLE else who
        token = csrf_from(self.client.get("/login").get_data(as_text=True))
        return self.client.post("/login", data={"email": email, "password": password, "csrf_token": token})

    def logout(self):
        token = csrf_from(self.client.get("/").get_data(as_text=True))
        return self.client.post("/logout", data={"csrf_token": token})

    def csrf(self, path="/"):
        return csrf_from(self.client.get(path).get_data(as_text=True))


@pytest.fixture
def auth(client):
    return Auth(client)


class Mailbox:
    """A real SMTP server on localhost (aiosmtpd) that keeps what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append({"to": list(envelope.rcpt_tos), "subject": msg["Subject"],
                              "body": msg.get_body(("plain",)).get_content(), "raw": envelope.content})
        return "250 Message accepted for delivery"


@pytest.fixture
def mailbox(app):
    """Point the app at a real local SMTP server and return its mailbox."""
    from aiosmtpd.controller import Controller
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    yield box
    controller.stop()

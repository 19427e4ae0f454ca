"""Fixtures shared by every test: a fresh app on a temporary database built by the migrations."""
import os
import re
import shutil
import tempfile

import pytest
from argon2 import PasswordHasher

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


# Argon2 is slow on purpose; tests use the same algorithm with the smallest costs it allows.
_CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch):
    from webapp.auth import passwords
    monkeypatch.setattr(passwords, "_hasher", _CHEAP_HASHER)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", _CHEAP_HASHER.hash("timing-equaliser"))


def pytest_configure(config):
    """Keep test databases in memory-backed storage where the machine has it (fsync is then free)."""
    if config.option.basetemp is None and os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        config.option.basetemp = tempfile.mkdtemp(prefix="pytest-", dir="/dev/shm")
        config.add_cleanup(lambda: shutil.rmtree(config.option.basetemp, ignore_errors=True))


@pytest.fixture(scope="session")
def school_template(tmp_path_factory):
    """Build one migrated database with the test people; each test starts from a copy of it."""
    path = tmp_path_factory.mktemp("template") / "school.db"
    db = connect(str(path))
    migrate(db)
    hashed = _CHEAP_HASHER.hash(PASSWORD)
    people = {}
    for key, (email, name, roles) in PEOPLE.items():
        people[key] = store.create_user(db, email, name, PASSWORD, roles)
        db.execute("UPDATE users SET password_hash = ? WHERE id = ?", [hashed, people[key]])
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return path, people


@pytest.fixture
def app(tmp_path, school_template):
    template, people = school_template
    shutil.copyfile(template, tmp_path / "test.db")
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE": str(tmp_path / "test.db"),
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "SEALING_KEY_FOLDER": str(tmp_path / "sealing-keys"),
        "SMTP_HOST": None,
    })
    app.people = dict(people)
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
    """A real SMTP server on localhost (aiosmtpd) that keeps what it receives.

    Reading `messages` first lets the mail sender make one pass over the outbox, as the running
    `flask send-mail` would, so a test sees what has arrived once the sender has had its turn.
    """

    def __init__(self, app=None):
        self.app = app
        self.received = []

    @property
    def messages(self):
        if self.app is not None:
            self.deliver()
        return self.received

    def queued(self):
        """Count the outbox's emails as another connection (the mail sender's) sees them."""
        from webapp.db import connect
        other = connect(self.app.config["DATABASE"])
        try:
            return other.execute("SELECT count(*) FROM mail_outbox").fetchone()[0]
        finally:
            other.conn.close()

    def deliver(self):
        """Run one pass of the mail sender over the outbox; return (sent, failed)."""
        from webapp.db import connect
        from webapp.mail.worker import send_pass
        with self.app.app_context():
            db = connect(self.app.config["DATABASE"])
            try:
                return send_pass(db, self.app.config)
            finally:
                db.conn.close()



class Receiver:
    """The SMTP server's handler: it files each message it accepts in a list."""

    def __init__(self, received):
        self.received = received

    async def handle_DATA(self, server, session, envelope):
        self.received.append(parsed(envelope))
        return "250 Message accepted for delivery"


def parsed(envelope):
    """Return what tests look at in a received email."""
    import email
    from email import policy
    msg = email.message_from_bytes(envelope.content, policy=policy.default)
    return {"to": list(envelope.rcpt_tos), "subject": msg["Subject"], "raw": envelope.content,
            "body": msg.get_body(("plain",)).get_content(), "message_id": msg["Message-ID"]}


def free_port():
    """Return a TCP port on 127.0.0.1 that nothing listens on just now."""
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox(app):
    """Point the app at a real local SMTP server and return its mailbox."""
    from aiosmtpd.controller import Controller
    port = free_port()
    box = Mailbox(app)
    controller = Controller(Receiver(box.received), hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    yield box
    controller.stop()


@pytest.fixture
def fresh_installation(tmp_path):
    """Return a function making an app on empty folders (another server, after a disaster)."""
    def make(name="restored"):
        folder = tmp_path / name
        return create_app({"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE": str(folder / "webapp.db"),
                           "UPLOAD_FOLDER": str(folder / "uploads"),
                           "SEALING_KEY_FOLDER": str(folder / "sealing-keys"), "SMTP_HOST": None})
    return make

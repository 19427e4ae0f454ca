"""Helpers for concern tests: a valid report, pictures, and posting through the real forms."""
import base64
import io
import struct
import zlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import csrf_from


def png(width=1, height=1):
    """Return the bytes of a real, tiny PNG picture."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
GIF = b"GIF89a" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32

REPORT = {
    "category": "abusive_message",
    "location": "Year 4 classroom",
    "learners": "Year 4 pupil (boy)",
    "adults": "",
    "account": "Pupil showed me a threatening message about the lunchtime football game.",
    "action_taken": "Took a screenshot and reassured him.",
    "told_dsl_in_person": "y",
}


def school_time(delta=timedelta(hours=-1)):
    """Return a datetime-local value in school time, an hour ago by default."""
    return (datetime.now(ZoneInfo("Europe/London")) + delta).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def report():
    return {**REPORT, "occurred_at": school_time()}


class Concerns:
    """Log concerns and add case entries through the real pages."""

    def __init__(self, client, auth):
        self.client, self.auth = client, auth

    def post_concern(self, data=None, files=()):
        token = self.auth.csrf("/concerns/new")
        form = {**REPORT, "occurred_at": school_time(), **(data or {}), "csrf_token": token}
        form = {k: v for k, v in form.items() if v is not None}
        form["attachments"] = [(io.BytesIO(body), name) for name, body in files]
        return self.client.post("/concerns/new", data=form, content_type="multipart/form-data")

    def log(self, who="staff", data=None, files=()):
        """Sign in as someone, log a concern, sign out; return the new concern's id."""
        self.auth.login(who)
        response = self.post_concern(data, files)
        assert response.status_code == 302, response.get_data(as_text=True)
        self.auth.logout()
        return self.last_id()

    def last_id(self):
        from webapp.db import connect
        db = connect(self.client.application.config["DATABASE"])
        try:
            return db.execute("SELECT max(id) FROM concerns").fetchone()[0]
        finally:
            db.conn.close()

    def add(self, concern_id, kind, **fields):
        """Post one case entry from the case page (the caller is signed in)."""
        token = csrf_from(self.client.get(f"/concerns/{concern_id}").get_data(as_text=True))
        data = {"concern_id": concern_id, "kind": kind, "csrf_token": token, **fields}
        return self.client.post(f"/concerns/{concern_id}", data=data)


@pytest.fixture
def concerns(client, auth):
    return Concerns(client, auth)


def b64(data):
    return base64.b64encode(data).decode()

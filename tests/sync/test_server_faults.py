"""The server's own faults (disk full, database locked, a bug) answer 503 and acknowledge nothing."""
import base64
import errno
import os
import sqlite3

import pytest

from tests.concerns.conftest import png
from webapp.concerns import evidence
from webapp.sync import store

from .conftest import count, signed_in_phone
from .phone import concern


def picture_concern(phone, account="A picture of the message"):
    payload = {**concern(account), "attachments": [
        {"filename": "screen.png", "content_type": "image/png", "data": base64.b64encode(png(40, 40)).decode()}]}
    return phone.item("concern", payload)


def uploads(app):
    folder = app.config["UPLOAD_FOLDER"]
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


@pytest.fixture
def disk_full(monkeypatch):
    """Every picture write fails as a full disk does, once the bytes are half written."""
    state = {"full": False}
    real_fsync = os.fsync

    def fsync(fd):
        if state["full"]:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)
    monkeypatch.setattr(evidence.os, "fsync", fsync)
    return state


def assert_busy(response):
    assert response.status_code == 503, response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0
    body = response.get_json()
    assert body["status"] == 503 and "results" not in body
    assert "Nothing was accepted" in body["error"] and "keeps every item" in body["error"]


def test_disk_full_answers_503_leaves_no_file_and_the_picture_arrives_once_space_is_freed(
        client, auth, db, app, disk_full):
    phone = signed_in_phone(client, auth, "staff")
    item, other = picture_concern(phone), phone.item("concern", concern("No picture with this one"))
    disk_full["full"] = True
    for _ in range(10):
        assert_busy(phone.push([other, item]))
    assert count(db, "concerns") == 0 and count(db, "sync_items") == 0
    assert count(db, "concern_attachments") == 0
    assert uploads(app) == []  # ten failed pushes of one picture leave nothing behind
    disk_full["full"] = False
    assert phone.statuses([other, item]) == {other["id"]: "stored", item["id"]: "stored"}
    [attachment] = db.query("SELECT * FROM concern_attachments")
    assert uploads(app) == [attachment["stored_name"]]  # named for good once committed
    with app.app_context():
        assert evidence.path_of(attachment).read_bytes() == png(40, 40)
    assert phone.statuses([item]) == {item["id"]: "duplicate"}


def test_a_database_lock_answers_503_and_nothing_is_written(client, auth, notes, db, monkeypatch):
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("note", {"body": "kept on the phone"})

    def locked(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")
    monkeypatch.setattr(store, "add_stored_items", locked)
    response = phone.push([item])
    assert_busy(response)
    assert "busy" in response.get_json()["error"]
    assert count(db, "notes") == 0 and count(db, "sync_items") == 0
    monkeypatch.undo()
    assert phone.statuses([item]) == {item["id"]: "stored"}


def test_an_io_error_in_a_domains_write_answers_503(client, auth, notes, db, app):
    def failing(db, form, author, item):
        raise OSError(errno.EIO, "Input/output error")
    app.extensions["sync_kinds"]["note"] = notes.kind.__class__(**{**notes.kind.__dict__, "write": failing})
    phone = signed_in_phone(client, auth, "staff")
    assert_busy(phone.push([phone.item("note", {"body": "x"})]))
    assert count(db, "sync_items") == 0


def test_a_failed_web_post_of_a_picture_leaves_no_file(client, auth, db, app, monkeypatch):
    """The web form's picture is named only once its concern is committed."""
    from webapp.concerns import capture
    auth.login("staff")

    def boom(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")
    monkeypatch.setattr(capture.store, "insert_concern", boom)
    with app.test_request_context():
        from flask import g
        from werkzeug.datastructures import FileStorage
        import io
        evidence.save(FileStorage(io.BytesIO(png()), filename="a.png"))
        assert [n.endswith(evidence.PART) for n in uploads(app)] == [True]
        assert g.evidence_pending
    assert uploads(app) == []  # the request ended with no committed row: its file is gone


def test_the_sweep_names_committed_pictures_and_removes_orphans(client, auth, db, app):
    phone = signed_in_phone(client, auth, "staff")
    assert set(phone.statuses([picture_concern(phone)]).values()) == {"stored"}
    [kept] = db.query("SELECT stored_name FROM concern_attachments")
    folder = app.config["UPLOAD_FOLDER"]
    os.rename(os.path.join(folder, kept["stored_name"]), os.path.join(folder, kept["stored_name"] + ".part"))
    for name in ("0" * 32 + ".part", "f" * 32):  # a crashed push's file; a file nothing names
        with open(os.path.join(folder, name), "wb") as f:
            f.write(b"left behind")
    with app.app_context():
        assert evidence.sweep(db) == (1, 0)  # young files may belong to a push still running elsewhere
        assert sorted(uploads(app)) == sorted([kept["stored_name"], "0" * 32 + ".part", "f" * 32])
        assert evidence.sweep(db, min_age_seconds=0) == (0, 2)
    assert uploads(app) == [kept["stored_name"]]


def test_sweep_uploads_command(app, db):
    folder = app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "a" * 32 + ".part")
    with open(path, "wb") as f:
        f.write(b"x")
    os.utime(path, (0, 0))  # from long ago
    result = app.test_cli_runner().invoke(args=["sweep-uploads"])
    assert result.exit_code == 0 and "1 unused file(s) removed" in result.output
    assert uploads(app) == []

"""What a phone says about itself at each sync: written only when it is news, and only for one's own phone."""
from datetime import timedelta

from webapp import db as database
from webapp.clock import iso, utcnow

from .conftest import signed_in_phone, switch

OLDEST = "2026-01-01T08:00:00Z"


def phone_row(db, device_id):
    rows = list(db.query("SELECT user_id, waiting_count, oldest_waiting_at, last_sync_kind, last_sync_at "
                         "FROM phones WHERE device_id = ?", [device_id]))
    return rows[0] if rows else None


def commits_seen(db):
    """Return SQLite's count of commits made by other connections since this one opened (data_version)."""
    return db.execute("PRAGMA data_version").fetchone()[0]


def test_a_pull_that_says_nothing_new_writes_nothing(client, auth, db, app, time_machine):
    time_machine.move_to("2026-06-09T09:00:00Z", tick=False)
    phone = signed_in_phone(client, auth, "dsl")
    assert phone.pull(waiting=2, oldest=OLDEST).status_code == 200
    assert phone_row(db, phone.device_id)["waiting_count"] == 2
    before = commits_seen(db)
    for _ in range(3):
        assert phone.pull(waiting=2, oldest=OLDEST).status_code == 200
    assert commits_seen(db) == before  # no write of any kind: the pulls were readers
    assert phone.pull(waiting=1, oldest=OLDEST).status_code == 200
    assert commits_seen(db) != before and phone_row(db, phone.device_id)["waiting_count"] == 1


def test_a_phone_that_keeps_saying_the_same_is_written_again_once_a_minute(client, auth, db, time_machine):
    time_machine.move_to("2026-06-09T09:00:00Z", tick=False)
    phone = signed_in_phone(client, auth, "dsl")
    phone.pull(waiting=2, oldest=OLDEST)
    time_machine.move_to("2026-06-09T09:00:59Z", tick=False)
    phone.pull(waiting=2, oldest=OLDEST)
    assert phone_row(db, phone.device_id)["last_sync_at"] == "2026-06-09T09:00:00Z"
    time_machine.move_to("2026-06-09T09:01:00Z", tick=False)
    phone.pull(waiting=2, oldest=OLDEST)
    assert phone_row(db, phone.device_id)["last_sync_at"] == "2026-06-09T09:01:00Z"


def test_another_person_signing_in_on_the_phone_is_written_at_once(client, auth, db, app):
    phone = signed_in_phone(client, auth, "staff")
    phone.pull(waiting=0)
    switch(auth, phone, "dsl")
    phone.pull(waiting=0)
    assert phone_row(db, phone.device_id)["user_id"] == app.people["dsl"]


def test_a_pull_that_cannot_get_the_write_lock_in_time_answers_503_and_one_with_nothing_new_is_served(
        client, auth, db, app, monkeypatch):
    phone = signed_in_phone(client, auth, "dsl")
    phone.pull(waiting=2, oldest=OLDEST)
    connect = database.connect

    def impatient(path):
        opened = connect(path)
        opened.execute("PRAGMA busy_timeout=50")
        return opened

    monkeypatch.setattr(database, "connect", impatient)
    writer = connect(app.config["DATABASE"])
    writer.execute("BEGIN IMMEDIATE")  # a long push holds the write lock
    try:
        assert phone.pull(waiting=2, oldest=OLDEST).status_code == 200  # nothing to write: not held up
        busy = phone.pull(waiting=3, oldest=OLDEST)
    finally:
        writer.conn.rollback()
        writer.conn.close()
    assert busy.status_code == 503 and int(busy.headers["Retry-After"]) > 0
    assert "error" in busy.get_json()
    assert phone_row(db, phone.device_id)["waiting_count"] == 2
    assert phone.pull(waiting=3, oldest=OLDEST).status_code == 200
    assert phone_row(db, phone.device_id)["waiting_count"] == 3


def test_nobody_can_give_another_persons_phone_a_waiting_count(client, auth, db, app):
    mine = signed_in_phone(client, auth, "staff", device_id="sallys-phone")
    mine.pull(waiting=0)
    assert phone_row(db, "sallys-phone")["waiting_count"] == 0
    auth.logout()
    other = signed_in_phone(client, auth, "staff2", device_id="sams-phone")
    other.device_id = "sallys-phone"  # Sam names Sally's phone, which holds none of his keys
    assert other.pull(waiting=40, oldest=OLDEST).status_code == 200
    assert other.push([], waiting={"count": 40, "oldest": OLDEST}).status_code == 200
    assert phone_row(db, "sallys-phone")["waiting_count"] == 0
    assert phone_row(db, "sallys-phone")["user_id"] == app.people["staff"]
    other.device_id = "nobodys-phone"  # nor make up a phone that holds no key at all
    other.pull(waiting=40, oldest=OLDEST)
    other.push([], waiting={"count": 40, "oldest": OLDEST})
    assert phone_row(db, "nobodys-phone") is None


def test_a_phone_holding_a_stopped_key_of_its_person_still_reports(client, auth, db, app):
    phone = signed_in_phone(client, auth, "staff")
    db.execute("UPDATE device_keys SET revoked_at = ? WHERE user_id = ?", [iso(utcnow()), app.people["staff"]])
    phone.push([], waiting={"count": 3, "oldest": iso(utcnow() - timedelta(hours=30))})
    assert phone_row(db, phone.device_id)["waiting_count"] == 3

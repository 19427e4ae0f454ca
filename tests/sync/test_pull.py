"""Pull: changes from every domain this person may see, and a cursor that never skips one."""
from datetime import timedelta

import time_machine

from webapp.clock import iso, parse_iso, utcnow
from webapp.sync.changes import since_for

from .conftest import signed_in_phone


def test_pull_gathers_changes_in_order_with_a_cursor(client, auth, notes, app):
    phone = signed_in_phone(client, auth, "staff")
    phone.statuses([phone.item("note", {"body": "first"})])
    body = phone.pull().get_json()
    assert set(body) == {"changes", "cursor"}
    notes_only = [c for c in body["changes"] if c["type"] == "note"]
    assert [c["data"]["body"] for c in notes_only] == ["first"]
    assert set(notes_only[0]) == {"type", "id", "changed_at", "data"}
    stamps = [c["changed_at"] for c in body["changes"]]
    assert stamps == sorted(stamps)
    assert parse_iso(body["cursor"])


def test_pull_shows_only_what_this_person_may_see(client, auth, notes):
    phone = signed_in_phone(client, auth, "staff")
    phone.statuses([phone.item("note", {"body": "Sally's"})])
    auth.logout()
    other = signed_in_phone(client, auth, "staff2")
    assert [c for c in other.pull().get_json()["changes"] if c["type"] == "note"] == []


def soon(minutes=2):
    """A whole minute just ahead of now (sessions and signed cookies refuse times in their past)."""
    return utcnow().replace(second=0) + timedelta(minutes=minutes)


def add_note(db, author_id, body, changed_at):
    db.execute("INSERT INTO notes (item_id, author_id, body, source, changed_at) VALUES (NULL, ?, ?, 'web', ?)",
               [author_id, body, iso(changed_at)])


def test_a_change_committed_after_the_cursor_but_stamped_before_it_is_not_skipped(client, auth, notes, db, app):
    phone = signed_in_phone(client, auth, "staff")
    moment = soon()
    with time_machine.travel(moment, tick=False):
        cursor = phone.pull().get_json()["cursor"]
    assert cursor == iso(moment)
    # A slow transaction stamped its change a little before the cursor and committed after the pull;
    # another change shares the cursor's second.
    add_note(db, app.people["staff"], "late", moment - timedelta(seconds=2))
    add_note(db, app.people["staff"], "same second", moment)
    with time_machine.travel(moment + timedelta(seconds=5), tick=False):
        body = phone.pull(since=cursor).get_json()
    assert {c["data"]["body"] for c in body["changes"] if c["type"] == "note"} == {"late", "same second"}
    assert body["cursor"] == iso(moment + timedelta(seconds=5))


def test_old_changes_are_not_sent_again_once_past_the_overlap(client, auth, notes, db, app):
    phone = signed_in_phone(client, auth, "staff")
    moment = soon()
    add_note(db, app.people["staff"], "old", moment - timedelta(hours=1))
    with time_machine.travel(moment, tick=False):
        assert [c["data"]["body"] for c in phone.pull().get_json()["changes"] if c["type"] == "note"] == ["old"]
        assert phone.pull(since=iso(moment - timedelta(minutes=1))).get_json()["changes"] == []


def test_the_overlap_is_applied_and_a_future_cursor_is_clamped_to_now():
    now = parse_iso("2026-11-25T13:00:00Z")
    assert since_for(None, now, 300) is None
    assert since_for("2026-11-25T12:00:00Z", now, 300) == "2026-11-25T11:55:00Z"
    assert since_for("2030-01-01T00:00:00Z", now, 300) == "2026-11-25T12:55:00Z"


def test_pull_records_what_the_phone_holds(client, auth, db, app):
    auth.login("staff")
    oldest = iso(utcnow() - timedelta(hours=3))
    response = client.get("/api/sync/pull", query_string={"device_id": "phone-9", "waiting": "4", "oldest": oldest})
    assert response.status_code == 200
    row = next(db.query("SELECT * FROM phones"))
    assert (row["device_id"], row["user_id"], row["waiting_count"], row["oldest_waiting_at"], row["last_sync_kind"]) \
        == ("phone-9", app.people["staff"], 4, oldest, "pull")
    client.get("/api/sync/pull", query_string={"device_id": "phone-9", "waiting": "1", "oldest": "7200"})
    row = next(db.query("SELECT * FROM phones"))
    assert row["waiting_count"] == 1
    assert abs((utcnow() - parse_iso(row["oldest_waiting_at"])).total_seconds() - 7200) < 5


def test_a_pull_without_a_phone_id_records_no_phone(client, auth, db):
    auth.login("staff")
    assert client.get("/api/sync/pull").status_code == 200
    assert db.execute("SELECT count(*) FROM phones").fetchone()[0] == 0


def test_push_records_what_the_phone_holds(client, auth, notes, db, app):
    phone = signed_in_phone(client, auth, "staff")
    phone.push([], waiting={"count": 0, "oldest": None})
    row = next(db.query("SELECT * FROM phones"))
    assert (row["waiting_count"], row["oldest_waiting_at"], row["last_sync_kind"]) == (0, None, "push")
    phone.push([], waiting={"count": 2, "oldest": "2026-01-01T08:00:00.123Z"})
    row = next(db.query("SELECT * FROM phones"))
    assert (row["waiting_count"], row["oldest_waiting_at"]) == (2, "2026-01-01T08:00:00Z")

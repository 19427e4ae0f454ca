"""Pull: changes from every domain this person may see, and a cursor that never skips one."""
from datetime import timedelta

import time_machine

from webapp.clock import iso, parse_iso, utcnow
from webapp.db import connect

from .conftest import signed_in_phone


def notes_in(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    return [c["data"]["body"] for c in response.get_json()["changes"] if c["type"] == "note"]


def add_note(db, author_id, body, changed_at=None):
    db.execute("INSERT INTO notes (item_id, author_id, body, source, changed_at) VALUES (NULL, ?, ?, 'web', ?)",
               [author_id, body, iso(changed_at or utcnow())])


def test_pull_gathers_changes_in_order_with_an_opaque_cursor(client, auth, notes, app):
    phone = signed_in_phone(client, auth, "staff")
    phone.statuses([phone.item("note", {"body": "first"})])
    body = phone.pull().get_json()
    assert set(body) == {"changes", "cursor", "everything"}
    assert body["everything"] is True  # a first pull is every record this person may see
    notes_only = [c for c in body["changes"] if c["type"] == "note"]
    assert [c["data"]["body"] for c in notes_only] == ["first"]
    assert set(notes_only[0]) == {"type", "id", "changed_at", "data"}
    stamps = [c["changed_at"] for c in body["changes"]]
    assert stamps == sorted(stamps)
    assert isinstance(body["cursor"], str) and "T" not in body["cursor"]  # a position, not a time


def test_pull_shows_only_what_this_person_may_see(client, auth, notes):
    phone = signed_in_phone(client, auth, "staff")
    phone.statuses([phone.item("note", {"body": "Sally's"})])
    auth.logout()
    other = signed_in_phone(client, auth, "staff2")
    assert [c for c in other.pull().get_json()["changes"] if c["type"] == "note"] == []


def test_each_change_comes_once_and_the_next_pull_finds_only_what_came_after(client, auth, notes, db, app):
    phone = signed_in_phone(client, auth, "staff")
    add_note(db, app.people["staff"], "one")
    first = phone.pull().get_json()
    assert [c["data"]["body"] for c in first["changes"] if c["type"] == "note"] == ["one"]
    assert notes_in(phone.pull(since=first["cursor"])) == []
    assert phone.pull(since=first["cursor"]).get_json()["everything"] is False
    add_note(db, app.people["staff"], "two")
    db.execute("UPDATE notes SET body = 'one, corrected' WHERE body = 'one'")
    again = phone.pull(since=first["cursor"])
    assert sorted(notes_in(again)) == ["one, corrected", "two"]
    assert notes_in(phone.pull(since=again.get_json()["cursor"])) == []


def test_a_clock_stepped_back_by_hours_hides_nothing(client, auth, notes, db, app):
    phone = signed_in_phone(client, auth, "staff")
    cursor = phone.pull().get_json()["cursor"]
    # The server's clock is put back three hours (a bad NTP source) and a change is stamped with it.
    add_note(db, app.people["staff"], "stamped in the past", utcnow() - timedelta(hours=3))
    assert notes_in(phone.pull(since=cursor)) == ["stamped in the past"]


def test_a_change_committed_while_a_pull_reads_comes_with_the_next_pull(client, auth, notes, app):
    """A push that commits between the sources' queries is not in this pull, and not skipped by the next."""
    phone = signed_in_phone(client, auth, "staff")
    writer = connect(app.config["DATABASE"])
    committed = []

    def push_lands_meanwhile(db, user, since):
        if not committed:  # the first source has read; a push commits before the pull ends
            add_note(writer, app.people["staff"], "landed during the pull")
            committed.append(True)
        return []

    app.extensions["sync_sources"] = [app.extensions["sync_sources"][-1], push_lands_meanwhile,
                                      *app.extensions["sync_sources"][:-1]]
    during = phone.pull()
    assert notes_in(during) == []
    assert notes_in(phone.pull(since=during.get_json()["cursor"])) == ["landed during the pull"]
    writer.conn.close()


def test_a_cursor_from_the_previous_version_gets_everything_again(client, auth, notes, db, app):
    """Phones of the previous version hold the server's time as their cursor: they are not stranded."""
    phone = signed_in_phone(client, auth, "staff")
    add_note(db, app.people["staff"], "older than the cursor", utcnow() - timedelta(days=2))
    response = phone.pull(since=iso(utcnow()))
    assert notes_in(response) == ["older than the cursor"] and response.get_json()["everything"] is True
    assert notes_in(phone.pull(since=response.get_json()["cursor"])) == []


def test_a_cursor_this_database_never_logged_gets_everything_again(client, auth, notes, db, app):
    """After an older copy of the database is restored, a phone's cursor names a change it does not hold."""
    phone = signed_in_phone(client, auth, "staff")
    add_note(db, app.people["staff"], "kept")
    cursor = phone.pull().get_json()["cursor"]
    seq = int(cursor.split(".")[0])
    for stranger in (f"{seq + 5}.{cursor.split('.')[1]}", f"{seq}.00000000" if not cursor.endswith(".00000000")
                     else f"{seq}.11111111"):
        answer = phone.pull(since=stranger)
        assert notes_in(answer) == ["kept"] and answer.get_json()["everything"] is True, stranger


def test_a_cursor_the_server_never_hands_out_is_refused(client, auth, notes):
    phone = signed_in_phone(client, auth, "staff")
    for junk in ("yesterday", "12345", "1.xyz", "-1.00000000", "9" * 30 + ".00000000"):
        response = phone.pull(since=junk)
        assert response.status_code == 400 and "cursor" in response.get_json()["error"], junk


def test_pull_records_what_the_phone_holds(client, auth, db, app):
    signed_in_phone(client, auth, "staff", device_id="phone-9")
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

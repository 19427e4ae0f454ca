"""The daily cap on items kept aside: beyond it a push is refused whole (429), nothing stored, and DSLs see it."""
import json
from datetime import timedelta

from webapp.clock import iso, utcnow
from webapp.sync import quota

from .conftest import count, signed_in_phone, switch


def kept_aside(db):
    return count(db, "sync_items", "status != 'stored'")


def bad(phone, n):
    """An item of a kind nobody knows: verified and opened, then quarantined."""
    return phone.item("recipe", {"body": f"bad {n}"})


def test_past_the_item_cap_a_push_is_refused_whole_and_the_phone_is_told_when_to_retry(client, auth, notes, db, app):
    app.config["SYNC_QUARANTINE_ITEMS_PER_DAY"] = 3
    phone = signed_in_phone(client, auth, "staff")
    assert set(phone.statuses([bad(phone, n) for n in range(3)]).values()) == {"quarantined"}
    good = phone.item("note", {"body": "a good note"})
    response = phone.push([good, bad(phone, 3)])
    assert response.status_code == 429
    answer = response.get_json()
    assert answer["status"] == 429 and "results" not in answer
    assert answer["error"].startswith("Too many items from you have been kept aside today")
    assert "at most 3 items or 20 MB a day" in answer["error"] and "this phone keeps every item" in answer["error"]
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= 25 * 3600
    # nothing of the refused push is stored: neither the good item nor the one that would be kept aside
    assert count(db, "notes") == 0 and kept_aside(db) == 3 and count(db, "sync_items") == 3
    # a push that keeps nothing aside still goes
    assert phone.statuses([good]) == {good["id"]: "stored"}


def test_one_push_with_more_to_keep_aside_than_the_cap_stores_nothing(client, auth, notes, db, app):
    app.config["SYNC_QUARANTINE_ITEMS_PER_DAY"] = 2
    phone = signed_in_phone(client, auth, "staff")
    items = [phone.item("note", {"body": "first"})] + [bad(phone, n) for n in range(3)]
    assert phone.push(items).status_code == 429
    assert count(db, "sync_items") == 0 and count(db, "notes") == 0 and count(db, "phones") == 0


def test_the_byte_cap_counts_what_is_kept(client, auth, notes, db, app):
    phone = signed_in_phone(client, auth, "staff")
    first = bad(phone, 1)
    size = len(json.dumps(first))
    app.config["SYNC_QUARANTINE_BYTES_PER_DAY"] = size + size // 2  # room for one, never two
    assert phone.statuses([first]) == {first["id"]: "quarantined"}
    assert db.execute("SELECT length(envelope) FROM sync_items").fetchone()[0] == size
    response = phone.push([bad(phone, 2)])
    assert response.status_code == 429 and kept_aside(db) == 1


def test_conflicts_count_as_kept_aside(client, auth, notes, db, app):
    app.config["SYNC_QUARANTINE_ITEMS_PER_DAY"] = 1
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("note", {"body": "first version"})
    assert phone.statuses([item]) == {item["id"]: "stored"}
    other = phone.item("note", {"body": "second version"}, item_id=item["id"])
    assert phone.statuses([other]) == {item["id"]: "conflict"}
    third = phone.item("note", {"body": "third version"}, item_id=item["id"])
    assert phone.push([third]).status_code == 429


def test_the_cap_is_per_uploader(client, auth, notes, db, app):
    app.config["SYNC_QUARANTINE_ITEMS_PER_DAY"] = 1
    phone = signed_in_phone(client, auth, "staff")
    assert set(phone.statuses([bad(phone, 1)]).values()) == {"quarantined"}
    assert phone.push([bad(phone, 2)]).status_code == 429
    switch(auth, phone, "staff2")
    assert set(phone.statuses([bad(phone, 3)]).values()) == {"quarantined"}


def test_what_was_kept_aside_on_an_earlier_day_does_not_count(client, auth, notes, db, app):
    app.config["SYNC_QUARANTINE_ITEMS_PER_DAY"] = 1
    phone = signed_in_phone(client, auth, "staff")
    assert set(phone.statuses([bad(phone, 1)]).values()) == {"quarantined"}
    with db.atomic():
        db.execute("UPDATE sync_items SET received_at = ?", [iso(utcnow() - timedelta(days=1, hours=1))])
    assert set(phone.statuses([bad(phone, 2)]).values()) == {"quarantined"}


def test_a_dsl_sees_that_the_cap_was_reached(client, auth, notes, db, app):
    app.config["SYNC_QUARANTINE_ITEMS_PER_DAY"] = 1
    phone = signed_in_phone(client, auth, "staff")
    auth.logout()
    auth.login("dsl")
    assert "data-cap-reached" not in client.get("/sync/quarantine").get_data(as_text=True)
    switch(auth, phone, "staff")
    phone.statuses([bad(phone, 1)])
    assert phone.push([bad(phone, 2)]).status_code == 429
    assert phone.push([bad(phone, 3)]).status_code == 429
    switch(auth, phone, "dsl")
    page = " ".join(client.get("/sync/quarantine").get_data(as_text=True).split())
    assert "data-cap-reached" in page and "(1 item or 20 MB for each person) was reached" in page
    assert "Sally Staff: 2 pushes refused" in page
    [row] = db.query("SELECT * FROM sync_caps_reached")
    with app.app_context():
        assert row["who"] == f"user:{app.people['staff']}" and row["day"] == quota.today(utcnow())


def test_the_school_day_is_the_schools_not_utcs(app):
    app.config["SCHOOL_TIMEZONE"] = "Europe/London"
    with app.app_context():
        from webapp.clock import parse_iso
        day, start, end = quota.school_day(parse_iso("2026-07-01T23:30:00Z"))  # 00:30 on 2 July in London
    assert (day, start, end) == ("2026-07-02", "2026-07-01T23:00:00Z", "2026-07-02T23:00:00Z")


def test_the_openapi_document_lists_429_for_the_push(client):
    document = client.get("/api/openapi.json").get_json()
    answer = document["paths"]["/api/sync/push"]["post"]["responses"]["429"]
    assert answer["headers"]["Retry-After"]["required"] is True

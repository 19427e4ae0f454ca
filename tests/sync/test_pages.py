"""Pages for DSLs and admins: phones, items kept aside, and device keys."""
from datetime import timedelta

import pytest

from tests.conftest import csrf_from
from webapp.clock import iso, utcnow
from webapp.sync import store

from .conftest import count, signed_in_phone


def add_phone(db, device_id, user_id, waiting, oldest_hours_ago):
    now = utcnow()
    oldest = iso(now - timedelta(hours=oldest_hours_ago)) if oldest_hours_ago is not None else None
    store.record_phone(db, device_id, user_id, "push", waiting, oldest, iso(now))


@pytest.mark.parametrize("who, status", [("dsl", 200), ("head", 200), ("admin", 200), ("staff", 403),
                                         ("governor", 403)])
def test_phones_page_is_for_dsls_heads_and_admins(client, auth, who, status):
    auth.login(who)
    assert client.get("/sync/phones").status_code == status


def test_phones_holding_items_over_a_day_are_flagged_first(client, auth, db, app):
    add_phone(db, "fresh-phone", app.people["staff"], 2, 1)
    add_phone(db, "stale-phone", app.people["staff2"], 5, 30)
    add_phone(db, "empty-phone", app.people["staff"], 0, None)
    auth.login("dsl")
    html = client.get("/sync/phones").get_data(as_text=True)
    assert "1 phone has held items for more than 24 hours" in html
    assert html.index("stale-phone") < html.index("fresh-phone")
    assert html.count("Over 24 hours") == 1 and "Sam Second" in html and "Nothing waiting" in html


def test_home_page_links_dsls_to_phones(client, auth):
    auth.login("dsl")
    assert "/sync/phones" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/sync/quarantine", "/sync/device-keys"])
def test_staff_cannot_see_sync_pages(client, auth, path):
    auth.login("staff")
    assert client.get(path).status_code == 403


def quarantine_one(client, auth, payload=None, kind="note"):
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item(kind, payload if payload is not None else {"body": "x", "for_dsl_only": True})
    assert phone.statuses([item]) == {item["id"]: "quarantined"}
    auth.logout()
    return item


def test_quarantine_lists_items_with_a_count_and_shows_what_they_say(client, auth, notes, db):
    quarantine_one(client, auth, {"body": "x", "for_dsl_only": True, "where": "Swimming pool changing room"})
    auth.login("dsl")
    html = client.get("/sync/quarantine").get_data(as_text=True)
    assert 'Items kept aside <span class="tag">1</span>' in html and "The form&#39;s checks failed" in html
    seq = next(db.query("SELECT seq FROM sync_items"))["seq"]
    detail = client.get(f"/sync/quarantine/{seq}").get_data(as_text=True)
    assert "Swimming pool changing room" in detail and "Only DSLs may send this note." in detail
    assert "Sally Staff" in detail


def test_phones_page_points_dsls_at_items_kept_aside(client, auth, notes):
    quarantine_one(client, auth)
    auth.login("dsl")
    assert "1 item kept aside" in client.get("/sync/phones").get_data(as_text=True)


def test_an_item_that_cannot_be_opened_is_still_listed(client, auth, notes, db):
    phone = signed_in_phone(client, auth, "staff")
    item = {**phone.item("note", {"body": "x"}), "sealed": "not-a-jwe"}
    phone.statuses([item])
    auth.logout()
    auth.login("dsl")
    seq = next(db.query("SELECT seq FROM sync_items"))["seq"]
    assert "It cannot be read" in client.get(f"/sync/quarantine/{seq}").get_data(as_text=True)


def test_trying_again_stores_an_item_once_its_kind_exists(client, auth, notes, db, app):
    item = quarantine_one(client, auth, {"body": "arrived before the kind existed"}, kind="later")
    app.extensions["sync_kinds"]["later"] = notes.kind
    auth.login("dsl")
    seq = next(db.query("SELECT seq FROM sync_items"))["seq"]
    page = client.get(f"/sync/quarantine/{seq}").get_data(as_text=True)
    response = client.post(f"/sync/quarantine/{seq}/retry", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302
    row = next(db.query("SELECT * FROM sync_items"))
    assert row["status"] == "stored" and row["resolved_by"] == app.people["dsl"] and row["ref"].startswith("notes:")
    assert next(db.query("SELECT * FROM notes"))["item_id"] == item["id"]
    assert notes.emails == ["arrived before the kind existed"]
    assert "Stored when tried again" in client.get("/sync/quarantine").get_data(as_text=True)


def test_trying_again_that_still_fails_keeps_the_item(client, auth, notes, db):
    quarantine_one(client, auth)
    auth.login("dsl")
    seq = next(db.query("SELECT seq FROM sync_items"))["seq"]
    page = client.get(f"/sync/quarantine/{seq}").get_data(as_text=True)
    response = client.post(f"/sync/quarantine/{seq}/retry", data={"csrf_token": csrf_from(page)},
                           follow_redirects=True)
    assert "It still cannot be stored" in response.get_data(as_text=True)
    assert next(db.query("SELECT status FROM sync_items"))["status"] == "quarantined"


def test_marking_dealt_with_needs_a_note_and_keeps_the_item(client, auth, notes, db, app):
    quarantine_one(client, auth)
    auth.login("dsl")
    seq = next(db.query("SELECT seq FROM sync_items"))["seq"]
    token = csrf_from(client.get(f"/sync/quarantine/{seq}").get_data(as_text=True))
    response = client.post(f"/sync/quarantine/{seq}/resolve", data={"csrf_token": token, "note": ""})
    assert response.status_code == 200 and "Say what you did about this item." in response.get_data(as_text=True)
    client.post(f"/sync/quarantine/{seq}/resolve", data={"csrf_token": token, "note": "Asked Sally to log it again."})
    row = next(db.query("SELECT * FROM sync_items"))
    assert row["resolution"] == "Asked Sally to log it again." and row["resolved_by"] == app.people["dsl"]
    assert 'Items kept aside <span class="tag">0</span>' in client.get("/sync/quarantine").get_data(as_text=True)
    assert count(db, "sync_items") == 1


def test_an_item_with_a_made_up_time_still_shows(client, auth, notes, db):
    phone = signed_in_phone(client, auth, "staff")
    phone.statuses([{**phone.item("note", {"body": "x"}), "created_at": "half past nine"}])
    auth.logout()
    auth.login("dsl")
    seq = next(db.query("SELECT seq FROM sync_items"))["seq"]
    assert "Unknown" in client.get(f"/sync/quarantine/{seq}").get_data(as_text=True)


def test_a_stored_item_has_no_quarantine_page(client, auth, notes, db):
    phone = signed_in_phone(client, auth, "staff")
    phone.statuses([phone.item("note", {"body": "fine"})])
    auth.logout()
    auth.login("dsl")
    seq = next(db.query("SELECT seq FROM sync_items"))["seq"]
    assert client.get(f"/sync/quarantine/{seq}").status_code == 404
    assert client.get("/sync/quarantine/999").status_code == 404


def test_admin_lists_and_revokes_device_keys(client, auth, notes, db, app):
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("note", {"body": "after revocation"})
    auth.logout()
    auth.login("admin")
    page = client.get("/sync/device-keys").get_data(as_text=True)
    assert "Sally Staff" in page and "Live" in page and "Current" in page
    kid = next(db.query("SELECT kid FROM device_keys"))["kid"]
    client.post(f"/sync/device-keys/{kid}/revoke", data={"csrf_token": csrf_from(page)})
    row = next(db.query("SELECT * FROM device_keys"))
    assert row["revoked_by"] == app.people["admin"] and row["revoked_at"]
    assert "Revoked" in client.get("/sync/device-keys").get_data(as_text=True)
    assert client.post("/sync/device-keys/nope/revoke", data={"csrf_token": csrf_from(page)}).status_code == 404
    auth.logout()
    auth.login("staff2")
    phone.refresh()
    assert phone.statuses([item]) == {item["id"]: "quarantined"}


def test_demo_school_has_phones_and_one_is_flagged(app, runner, db):
    db.execute("DELETE FROM user_roles")
    db.execute("DELETE FROM users")
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    from webapp.sync.views import _flag_phones
    rows = _flag_phones(list(db.query("SELECT * FROM phones")), utcnow(), 24)
    assert len(rows) == 3 and [r["flagged"] for r in rows] == [True, False, False]

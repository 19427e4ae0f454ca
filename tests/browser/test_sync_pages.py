"""On a phone-sized screen: the DSLs' phones and kept-aside pages, and the admin's signing keys."""
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import Auth
from tests.sync.phone import Phone
from webapp.clock import iso, utcnow
from webapp.db import connect
from webapp.sync import store


def seed(live_server, tmp_path):
    """A stale phone, and one item kept aside because its kind is unknown (sent by a Python phone)."""
    app = live_server.app
    app.config["SEALING_KEY_FOLDER"] = str(tmp_path / "sealing-keys")
    db = connect(app.config["DATABASE"])
    now = utcnow()
    store.record_phone(db, "9a0c4d6e-1b2f-4e3a-8c5d-7f6e5d4c3b2a", app.people["staff"], "push", 3,
                       iso(now - timedelta(hours=30)), iso(now - timedelta(hours=2)))
    db.conn.close()
    client = app.test_client()
    Auth(client).login("staff")
    phone = Phone(client)
    phone.register()
    phone.statuses([phone.item("recipe", {"what": "A note made by an app newer than the server"})])


def test_dsl_pages_on_a_phone(page, live_server, tmp_path):
    seed(live_server, tmp_path)
    sign_in(page, live_server, "dsl")
    page.get_by_role("link", name="Phones", exact=False).filter(has_text="Items waiting").click()
    expect(page.get_by_text("1 phone has held items for more than 24 hours.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="1 item kept aside").click()
    expect(page.get_by_role("heading", name="Items kept aside 1")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="open this item").click()
    expect(page.get_by_text("A note made by an app newer than the server")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Mark as dealt with").click()
    expect(page.get_by_text("Say what you did about this item.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What you did about it").fill("Asked Sally which app she used.")
    page.get_by_role("button", name="Mark as dealt with").click()
    expect(page.get_by_text("Marked as dealt with. The item is kept.")).to_be_visible()
    assert_accessible(page)


def test_admin_revokes_a_key_on_a_phone(page, live_server, tmp_path):
    seed(live_server, tmp_path)
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/sync/device-keys")
    assert_accessible(page)
    page.get_by_role("button", name="Revoke Sally Staff's key on phone-1").click()
    expect(page.get_by_text("Key revoked.")).to_be_visible()
    assert_accessible(page)

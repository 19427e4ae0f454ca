"""The phone shows the server's own count of what came back to correct, on any phone, until it is dealt with."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.phone import ready_offline
from webapp.db import connect
from webapp.sync import store


def returned_on_the_server(app, who="staff"):
    """Keep a concern returned to its author, as if it had come back from another phone of theirs."""
    db = connect(app.config["DATABASE"])
    try:
        with db.atomic():
            return store.add_returned(db, {
                "item_id": "11111111-2222-4333-8444-555555555555", "content_sha256": "ab" * 32, "kind": "concern",
                "author_id": app.people[who], "uploader_id": app.people[who], "device_id": "another-phone",
                "payload": {"category": "abusive_message", "location": "", "account": "RETURNED-COUNT-1"},
                "errors": {"location": ["Say where it happened."]},
                "created_at": "2026-12-01T10:15:00Z", "received_at": "2026-12-01T10:20:00Z"})
    finally:
        db.conn.close()


def test_what_came_back_from_another_phone_shows_until_it_is_discarded(page, live_server):
    returned_id = returned_on_the_server(live_server.app)
    sign_in(page, live_server, "staff")  # a fresh phone: it never sent that concern itself
    ready_offline(page)
    status = page.locator("[data-outbox-status]")
    expect(status).to_have_text("1 item came back from the school to correct: Concern written 1 Dec, 10:15.")
    expect(status.get_by_role("link", name="Concern written 1 Dec, 10:15")).to_have_attribute(
        "href", f"/sync/returned/{returned_id}")
    page.goto(f"{live_server.url}/phone")
    panel = page.locator('[data-panel="returned"]')
    expect(panel).to_have_text("1 item came back from the school to correct: Concern written 1 Dec, 10:15.")
    assert_accessible(page)
    page.screenshot(path="/tmp/phone-returned.png", full_page=True)

    panel.get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/sync/returned/{returned_id}")
    page.goto(f"{live_server.url}/sync/returned/{returned_id}/discard")
    page.get_by_label(re.compile("reason|Why", re.I)).fill("Logged again in person with the DSL.")
    page.get_by_role("button", name="Discard it").click()
    page.wait_for_url(f"{live_server.url}/concerns/mine")
    expect(page.locator("[data-outbox-status]")).not_to_contain_text("came back")
    page.goto(f"{live_server.url}/phone")
    expect(panel).to_have_text("Nothing")


def test_another_persons_returned_items_are_not_shown_after_they_sign_out(page, live_server):
    returned_on_the_server(live_server.app, "staff")
    sign_in(page, live_server, "staff")
    expect(page.locator("[data-outbox-status]")).to_contain_text("1 item came back from the school to correct")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile("/login"))
    sign_in(page, live_server, "staff2")
    ready_offline(page)
    page.goto(f"{live_server.url}/phone")
    expect(page.locator('[data-panel="returned"]')).to_have_text("Nothing")
    expect(page.locator("[data-outbox-status]")).not_to_contain_text("came back")

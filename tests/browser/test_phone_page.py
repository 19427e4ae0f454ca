"""The "This phone" page keeps itself up to date as items are kept and delivered."""
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.phone import log_concern, ready_offline, wait_for_rows


def test_this_phone_shows_what_waits_and_updates_when_it_is_delivered(page, context, live_server):
    sign_in(page, live_server, "staff")
    ready_offline(page)
    context.set_offline(True)
    log_concern(page, live_server.url, "PHONEPAGE-1 message on a pupil's watch")
    page.goto(f"{live_server.url}/phone")
    waiting = page.locator('[data-panel="waiting"]')
    expect(waiting).to_contain_text("1 item")
    assert_accessible(page)
    context.set_offline(False)  # the page sends what waits; the panel follows without a reload
    wait_for_rows(live_server.app, "SELECT id FROM concerns WHERE account LIKE 'PHONEPAGE-1%'", (), 1)
    expect(waiting).to_have_text("Nothing")

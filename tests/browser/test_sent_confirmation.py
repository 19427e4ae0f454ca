"""One confirmation, with a number: every route to "sent" tells the person the same words."""
import re
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.phone import fill_concern, log_concern, ready_offline, rows, wait_for_rows
from tests.browser.test_offline_shared_phone import ask_for_device

SAVED = "Saved on this phone — will send when connected"


def test_a_concern_sent_online_gives_its_number_and_a_link_to_my_concerns(page, live_server):
    sign_in(page, live_server, "staff")
    ready_offline(page)
    fill_concern(page, live_server.url, "NUMBERED-1 a message on a pupil's tablet")
    page.get_by_role("button", name="Send to the DSLs").click()
    [concern] = wait_for_rows(live_server.app, "SELECT id FROM concerns WHERE account LIKE 'NUMBERED-1%'", (), 1)
    words = f"Sent — concern number {concern['id']} has reached the DSLs."
    note = page.locator("[data-saved-note]")
    expect(note).to_have_text(f"{words} My concerns")
    expect(page.locator("[data-outbox-status]")).to_have_text(f"{words} My concerns")
    expect(page.locator("#phone-status")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path="/tmp/phone-sent-online.png", full_page=True)
    note.get_by_role("link", name="My concerns").click()
    page.wait_for_url(f"{live_server.url}/concerns/mine")
    expect(page.get_by_role("cell", name=str(concern["id"]), exact=True)).to_be_visible()


def test_a_concern_kept_offline_says_saved_then_sent_with_its_number(page, context, live_server):
    sign_in(page, live_server, "staff")
    ready_offline(page)
    context.set_offline(True)
    log_concern(page, live_server.url, "NUMBERED-2 photos taken in the changing room")
    note = page.locator("[data-saved-note]")
    expect(note).to_have_text(SAVED)
    expect(page.locator("[data-outbox-status]")).to_contain_text("1 item waiting to send")
    context.set_offline(False)  # fires `online`: the page sends what waits
    [concern] = wait_for_rows(live_server.app, "SELECT id FROM concerns WHERE account LIKE 'NUMBERED-2%'", (), 1)
    words = f"Sent — concern number {concern['id']} has reached the DSLs. My concerns"
    expect(note).to_have_text(words)
    expect(page.locator("[data-outbox-status]")).to_have_text(words)


def test_a_request_sent_after_reconnecting_gives_its_number_and_a_link_to_my_requests(page, context, live_server):
    sign_in(page, live_server, "staff")
    ready_offline(page)
    context.set_offline(True)
    ask_for_device(page, live_server.url, "NUMBERED-3 fixing the hall boiler")
    context.set_offline(False)
    [request] = wait_for_rows(live_server.app, "SELECT id FROM device_requests WHERE detail LIKE 'NUMBERED-3%'",
                              (), 1)
    note = page.locator("[data-saved-note]")
    expect(note).to_have_text(f"Sent — request number {request['id']} has reached the headteacher. My requests")
    expect(note.get_by_role("link", name="My requests")).to_have_attribute("href", "/requests/mine")
    page.goto(f"{live_server.url}/requests/mine")
    expect(page.get_by_text(f"Request number {request['id']}")).to_be_visible()


def test_items_kept_on_another_page_are_confirmed_wherever_the_person_is(page, context, live_server):
    sign_in(page, live_server, "staff")
    ready_offline(page)
    context.set_offline(True)
    log_concern(page, live_server.url, "NUMBERED-4 first")
    log_concern(page, live_server.url, "NUMBERED-5 second")
    page.goto(f"{live_server.url}/phone")  # kept by earlier pages: this one only learns where they went
    expect(page.locator('[data-panel="waiting"]')).to_contain_text("2 items")
    expect(page.locator("[data-offline-note]")).to_be_visible()
    context.set_offline(False)
    found = wait_for_rows(live_server.app, "SELECT id FROM concerns WHERE account LIKE 'NUMBERED-%' ORDER BY id",
                          (), 2)
    first, second = (r["id"] for r in found)
    expect(page.locator("[data-outbox-status]")).to_have_text(
        f"Sent — concern numbers {first} and {second} have reached the school. My concerns")
    expect(page.locator('[data-panel="waiting"]')).to_have_text("Nothing")
    expect(page.locator("[data-offline-note]")).to_be_hidden()  # back online: the page says so too
    expect(page.locator("[data-last-sent]")).to_have_text(
        f"Sent — concern numbers {first} and {second} have reached the school. My concerns")
    page.screenshot(path="/tmp/phone-this-phone-sent.png", full_page=True)


def test_the_web_form_without_javascript_confirms_in_the_same_words(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/concerns/new")
    page.locator("#category-abusive_message").check()
    page.get_by_label("When did it happen?").fill(
        (live_server_now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Where did it happen?").fill("Hall")
    page.get_by_label("What happened?").fill("NUMBERED-6 sent without JavaScript")
    page.get_by_role("button", name="Send to the DSLs").click()
    [concern] = rows(live_server.app, "SELECT id FROM concerns WHERE account LIKE 'NUMBERED-6%'")
    expect(page.get_by_text(f"Sent — concern number {concern['id']} has reached the DSLs.")).to_be_visible()
    assert re.search(r"/concerns/mine$", page.url)
    context.close()


def live_server_now():
    from datetime import datetime
    from zoneinfo import ZoneInfo
    return datetime.now(ZoneInfo("Europe/London"))

"""An enrolled school phone with no signal: someone never signed in on it logs a concern, confirmed later."""
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.phone import rows, sign_out, wait_for_rows
from tests.school_phones.conftest import add_device

SHOTS = "/tmp/school-phone-shots"


def controlled(page):
    """Wait until the service worker controls the page (its precache, with the school phone's form, is in)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def test_a_person_never_signed_in_logs_a_concern_on_an_enrolled_phone(page, context, live_server):
    app, url = live_server.app, live_server.url
    device = add_device(app, "3")
    sign_in(page, live_server, "admin")
    page.goto(f"{url}/devices/{device}")
    page.get_by_role("link", name="Enrol it as a school phone").click()
    controlled(page)
    page.get_by_role("button", name="Enrol this phone as 3").click()
    expect(page.locator("[data-enrol-status]")).to_have_text(
        "This phone is now enrolled as school phone 3. Sign out: anyone can then log a concern on it.")
    page.screenshot(path=f"{SHOTS}/1-enrolled.png", full_page=True)
    assert rows(app, "SELECT school_device_id FROM school_phone_keys WHERE revoked_at IS NULL") == [
        {"school_device_id": device}]
    sign_out(page)

    context.set_offline(True)
    page.goto(f"{url}/")  # with no signal the app opens "This phone", which offers the school phone's form
    page.get_by_role("link", name="Log a concern on this school phone without signing in").click()
    expect(page.get_by_role("heading", name="Log a concern on this school phone")).to_be_visible()
    page.get_by_label("Your name").select_option(label="Sally Staff")
    page.locator("#category-abusive_message").check()
    page.get_by_label("Where did it happen?").fill("The field")
    page.get_by_label("What happened?").fill("SCHOOLPHONE-1 a message sent to a child on the field")
    page.screenshot(path=f"{SHOTS}/2-offline-form.png", full_page=True)
    page.get_by_role("button", name="Send to the DSLs").click()
    expect(page.locator("[data-saved-note]")).to_have_text("Saved on this phone — will send when connected")
    expect(page.locator("[data-school-phone-waiting]")).to_have_text("1 concern waiting on this phone to send.")
    assert_accessible(page)
    assert not rows(app, "SELECT id FROM concerns")

    context.set_offline(False)  # the page's `online` event sends it, with nobody signed in
    [concern] = wait_for_rows(app, "SELECT id, reporter_id FROM concerns", [], 1)
    expect(page.locator("[data-saved-note]")).to_have_text("Saved on this phone and sent.")
    page.screenshot(path=f"{SHOTS}/3-sent.png", full_page=True)
    assert concern["reporter_id"] == app.people["staff"]
    assert rows(app, "SELECT named_as, named_user_id FROM school_phone_concerns") == [
        {"named_as": "Sally Staff", "named_user_id": app.people["staff"]}]
    assert not rows(app, "SELECT * FROM school_phone_answers")

    sign_in(page, live_server, "staff")
    banner = page.locator("[data-school-phone-banner]")
    expect(banner).to_contain_text("1 concern was logged in your name on a school phone.")
    banner.get_by_role("link", name="Confirm or deny").click()
    assert_accessible(page)
    page.get_by_label("Yes, I logged it").check()
    page.screenshot(path=f"{SHOTS}/4-confirm.png", full_page=True)
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("status").filter(has_text="Thank you")).to_be_visible()
    assert rows(app, "SELECT concern_id, answer FROM school_phone_answers") == [
        {"concern_id": concern["id"], "answer": "confirmed"}]


def test_a_phone_not_enrolled_says_so_and_offers_sign_in(page, live_server):
    page.goto(f"{live_server.url}/school-phones/concern")
    expect(page.locator("[data-not-enrolled]")).to_be_visible()
    expect(page.locator("[data-not-enrolled]")).to_contain_text("This phone is not enrolled as a school phone")
    expect(page.locator("form[data-school-phone-form]")).to_be_hidden()
    page.goto(f"{live_server.url}/login")
    expect(page.get_by_role("link", name="Log a concern on this school phone without signing in")).to_be_hidden()

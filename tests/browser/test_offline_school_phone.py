"""An enrolled school phone with no signal: someone never signed in on it logs a concern, confirmed later."""
import collections
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.phone import fire_background_sync, rows, sign_out, wait_for_rows
from tests.school_phones.conftest import add_device
from webapp.clock import iso, utcnow
from webapp.db import connect
from webapp.school_phones import store as school_phone_store

SHOTS = "/tmp/school-phone-shots"


def controlled(page):
    """Wait until the service worker controls the page (its precache, with the school phone's form, is in)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def enrol_and_sign_out(page, live_server, shots=False):
    """Enrol this browser as school phone 3 through the device register, then sign the administrator out."""
    app, url = live_server.app, live_server.url
    device = add_device(app, "3")
    sign_in(page, live_server, "admin")
    page.goto(f"{url}/devices/{device}")
    page.get_by_role("link", name="Enrol it as a school phone").click()
    controlled(page)
    page.get_by_role("button", name="Enrol this phone as 3").click()
    expect(page.locator("[data-enrol-status]")).to_have_text(
        "This phone is now enrolled as school phone 3. Sign out: anyone can then log a concern on it.")
    if shots:
        page.screenshot(path=f"{SHOTS}/1-enrolled.png", full_page=True)
    assert rows(app, "SELECT school_device_id FROM school_phone_keys WHERE revoked_at IS NULL") == [
        {"school_device_id": device}]
    sign_out(page)


def log_offline(page, context, url, account, shots=False):
    """With the network cut, open the school phone's form from "This phone" and log a concern as Sally Staff."""
    context.set_offline(True)
    page.goto(f"{url}/")  # with no signal the app opens "This phone", which offers the school phone's form
    page.get_by_role("link", name="Log a concern on this school phone without signing in").click()
    expect(page.get_by_role("heading", name="Log a concern on this school phone")).to_be_visible()
    page.get_by_label("Your name").select_option(label="Sally Staff")
    page.locator("#category-abusive_message").check()
    page.get_by_label("Where did it happen?").fill("The field")
    page.get_by_label("What happened?").fill(account)
    if shots:
        page.screenshot(path=f"{SHOTS}/2-offline-form.png", full_page=True)
    page.get_by_role("button", name="Send to the DSLs").click()
    expect(page.locator("[data-saved-note]")).to_have_text("Saved on this phone — will send when connected")
    expect(page.locator("[data-school-phone-waiting]")).to_have_text("1 concern waiting on this phone to send.")


@pytest.fixture
def pushes(live_server):
    """Count, by item id, how many school phone pushes the server answered for each item ("refused": whole pushes refused)."""
    app, seen = live_server.app, collections.Counter()
    view = app.view_functions["school_phones_api.push"]

    def counting():
        try:
            answer = view()
        except Exception:  # a push refused whole (403, 429...) carries nothing it accepted
            seen["refused"] += 1
            raise
        body = answer if isinstance(answer, dict) else answer.get_json(silent=True) or {}
        seen.update(r["id"] for r in body.get("results", []))
        return answer
    app.view_functions["school_phones_api.push"] = counting
    yield seen
    app.view_functions["school_phones_api.push"] = view


def arrived_once(app, account, pushes):
    """Wait for the concern to reach the school; check that one push, and only one, carried it."""
    [concern] = wait_for_rows(app, "SELECT id, reporter_id FROM concerns WHERE account = ?", [account], 1)
    assert list(pushes.values()) == [1]
    assert rows(app, "SELECT status FROM school_phone_items") == [{"status": "stored"}]
    assert rows(app, "SELECT concern_id FROM school_phone_concerns") == [{"concern_id": concern["id"]}]
    return concern


def school_phone_outbox(page):
    return page.evaluate("""async () => {
        const { schoolPhoneItems } = await import("outbox");
        return (await schoolPhoneItems()).length;
    }""")


def test_a_person_never_signed_in_logs_a_concern_on_an_enrolled_phone(page, context, live_server, pushes):
    app, url = live_server.app, live_server.url
    enrol_and_sign_out(page, live_server, shots=True)
    log_offline(page, context, url, "SCHOOLPHONE-1 a message sent to a child on the field", shots=True)
    assert_accessible(page)
    assert not rows(app, "SELECT id FROM concerns")

    context.set_offline(False)  # the page's `online` event sends it, with nobody signed in
    concern = arrived_once(app, "SCHOOLPHONE-1 a message sent to a child on the field", pushes)
    # the same words as every route to sent, with the number the school gave it
    expect(page.locator("[data-saved-note]")).to_have_text(
        re.compile(rf"^Sent — concern number {concern['id']} has reached the DSLs\."))
    expect(page.locator("[data-school-phone-waiting]")).to_have_text("")
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


def test_a_concern_left_waiting_goes_from_another_page_once(page, context, live_server, pushes):
    app, url = live_server.app, live_server.url
    enrol_and_sign_out(page, live_server)
    account = "SCHOOLPHONE-2 logged, then the phone went to another page"
    log_offline(page, context, url, account)
    page.goto(f"{url}/key-details")  # still offline: a page kept on the phone, with no school phone script
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("!document.querySelector('script[src*=\"schoolphone\"]')")
    assert not rows(app, "SELECT id FROM concerns")
    context.set_offline(False)  # this page's `online` event sends what waits, as for any item
    concern = arrived_once(app, account, pushes)
    expect(page.locator("[data-outbox-status]")).to_have_text(
        re.compile(rf"^Sent — concern number {concern['id']} has reached the school\."))
    assert school_phone_outbox(page) == 0
    page.reload()  # sending again, from a load, finds nothing left to send
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.evaluate("import('sending').then((m) => m.syncNow()).then(() => true)")
    arrived_once(app, account, pushes)


def test_background_sync_delivers_a_school_phone_concern_without_a_page(page, context, live_server, pushes):
    app, url = live_server.app, live_server.url
    enrol_and_sign_out(page, live_server)
    account = "SCHOOLPHONE-3 logged, then the phone was put away"
    log_offline(page, context, url, account)
    page.reload()  # offline: the form comes from the phone, and the concern still waits
    expect(page.locator("[data-school-phone-waiting]")).to_have_text("1 concern waiting on this phone to send.")
    page.goto("about:blank")  # no page of the app is open to send it
    context.set_offline(False)
    fire_background_sync(page, context, url)
    concern = arrived_once(app, account, pushes)
    assert concern["reporter_id"] == app.people["staff"]
    page.goto(f"{url}/login")  # the phone's outbox is empty: nothing is sent twice
    expect(page.locator("[data-school-phone-waiting]")).to_have_text("")
    assert school_phone_outbox(page) == 0
    arrived_once(app, account, pushes)


def test_a_concern_signed_after_the_enrolment_ended_is_kept_aside_for_a_dsl(page, context, live_server, pushes):
    app, url = live_server.app, live_server.url
    enrol_and_sign_out(page, live_server)
    log_offline(page, context, url, "SCHOOLPHONE-4 logged just as the enrolment ended")
    db = connect(app.config["DATABASE"])
    with db.conn:
        [device] = rows(app, "SELECT school_device_id FROM school_phone_keys")
        school_phone_store.revoke(db, device["school_device_id"], app.people["admin"], "handset lost", iso(utcnow()))
    db.conn.close()
    context.set_offline(False)
    expect(page.locator("[data-outbox-status]")).to_have_text(re.compile(
        r"^1 item reached the school but could not be accepted as sent: kept aside for a DSL to check\."))
    assert rows(app, "SELECT status, kind FROM school_phone_items") == [{"status": "quarantined", "kind": "concern"}]
    assert list(pushes.values()) == [1] and school_phone_outbox(page) == 0


def test_a_phone_the_school_does_not_know_keeps_the_concern_and_says_why(page, context, live_server, pushes):
    app, url = live_server.app, live_server.url
    enrol_and_sign_out(page, live_server)
    context.set_offline(True)
    page.goto(f"{url}/")  # offline: no page is refreshing the phone's enrolment meanwhile
    page.evaluate("""async () => {  // as if enrolled with a school that has since lost the phone's key
        const { generateDeviceKey } = await import("envelope");
        const { withSchoolPhoneStore } = await import("outbox");
        const { privateKey } = await generateDeviceKey();
        const known = await withSchoolPhoneStore("phone", "readonly", (s) => s.get("enrolment"));
        await withSchoolPhoneStore("phone", "readwrite", (s) => s.put({ ...known, privateKey, kid: "unknown-key" }));
    }""")
    log_offline(page, context, url, "SCHOOLPHONE-5 logged on a phone the school does not know")
    context.set_offline(False)
    expect(page.locator("[data-school-phone-waiting]")).to_have_text(re.compile(
        r"^This phone is not enrolled as a school phone, or its enrolment has ended: nothing was accepted .* "
        r"1 concern waiting on this phone to send\.$"))
    assert list(pushes)  # it was sent, and refused whole: each try later is refused the same way
    assert not rows(app, "SELECT id FROM concerns") and not rows(app, "SELECT * FROM school_phone_items")
    assert school_phone_outbox(page) == 1

"""A phone left signed in: after a "Lock" tap or the idle time, saving needs the person's PIN; five wrong
PINs remove their key from the phone, and what it signed before still delivers."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.phone import fill_concern, log_concern, outbox_count, ready_offline, rows, wait_for_rows

KEY_OF = """async (userId) => {
    const { withStore } = await import("outbox");
    const record = await withStore("keys", "readonly", (s) => s.get(userId));
    return record ? { wrapped: Boolean(record.wrapped), unlocked: Boolean(record.privateKey),
                      extractable: record.privateKey ? record.privateKey.extractable : null } : null;
}"""


LOCKED_SOON = """async (userId) => {
    const { withStore } = await import("outbox");
    for (let tries = 0; tries < 400; tries++) {
        const record = await withStore("keys", "readonly", (s) => s.get(userId));
        if (record && record.wrapped && !record.privateKey) return true;
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
}"""


def choose_pin(page, pin="2468"):
    panel = page.locator("[data-pin-setup]")
    expect(panel.get_by_role("heading", name="Choose a PIN for this phone")).to_be_visible()
    panel.get_by_label("Choose a PIN (4 to 12 digits)").fill("1234")
    panel.get_by_role("button", name="Set the PIN").click()
    expect(panel.get_by_text("Choose a PIN that is harder to guess")).to_be_visible()
    expect(panel.get_by_label("Choose a PIN (4 to 12 digits)")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    panel.get_by_label("Choose a PIN (4 to 12 digits)").fill(pin)
    panel.get_by_label("Enter the PIN again").fill(pin[::-1])
    panel.get_by_role("button", name="Set the PIN").click()
    expect(panel.get_by_text("The two PINs are not the same.")).to_be_visible()
    panel.get_by_label("Enter the PIN again").fill(pin)
    panel.get_by_role("button", name="Set the PIN").click()
    expect(panel.get_by_text("PIN set.")).to_be_visible()


def unlock_with(page, pin):
    panel = page.locator("[data-pin-unlock]")
    panel.get_by_label("Your PIN for this phone").fill(pin)
    panel.get_by_role("button", name="Unlock and save").click()


def test_a_locked_phone_saves_only_with_the_pin_and_nobody_reads_as_the_person(page, context, live_server):
    app, url = live_server.app, live_server.url
    staff = app.people["staff"]
    sign_in(page, live_server, "staff")
    choose_pin(page)
    # Once wrapped under the PIN, the key that signs can no longer be read out of the phone.
    assert page.evaluate(KEY_OF, staff) == {"wrapped": True, "unlocked": True, "extractable": False}
    ready_offline(page)
    page.get_by_role("button", name="Lock").click()
    expect(page.locator("[data-outbox-status]")).to_contain_text("Locked.")
    assert page.evaluate(KEY_OF, staff)["unlocked"] is False
    assert page.evaluate("fetch('/api/session').then((r) => r.status)") == 401  # the server's session ended too

    context.set_offline(True)
    fill_concern(page, url, "PIN-1 a message sent to a pupil")
    page.get_by_role("button", name="Send to the DSLs").click()
    expect(page.get_by_role("heading", name="This phone is locked")).to_be_visible()
    assert_accessible(page)
    unlock_with(page, "1357")
    expect(page.get_by_text("That PIN is not right. 4 tries left")).to_be_visible()
    assert outbox_count(page) == 0
    unlock_with(page, "2468")
    expect(page.locator("[data-saved-note]")).to_contain_text("Saved on this phone")
    assert outbox_count(page) == 1

    # Back in signal, the item waits for a sign-in (the session ended at the lock), then arrives once.
    context.set_offline(False)
    sign_in(page, live_server, "staff")
    found = wait_for_rows(app, "SELECT reporter_id FROM concerns WHERE account LIKE 'PIN-1%'", [], 1)
    assert found == [{"reporter_id": staff}]


def test_five_wrong_pins_after_the_idle_time_remove_the_key_and_what_it_signed_still_arrives(
        page, context, live_server):
    app, url = live_server.app, live_server.url
    staff = app.people["staff"]
    sign_in(page, live_server, "staff")
    choose_pin(page, "97531")
    ready_offline(page)
    context.set_offline(True)
    log_concern(page, url, "PIN-2 saved before the phone was left")
    # Left unused for longer than the idle time: the next page locks the key.
    page.evaluate("""async () => { const { putState } = await import("outbox");
        await putState("activity", { at: Date.now() - 31 * 60 * 1000 }); }""")
    fill_concern(page, url, "PIN-3 typed by whoever picked the phone up")
    assert page.evaluate(LOCKED_SOON, staff), "the key was never locked after the idle time"
    page.get_by_role("button", name="Send to the DSLs").click()
    for left in (4, 3, 2, 1):
        unlock_with(page, "11112")
        expect(page.get_by_text(re.compile(f"That PIN is not right. {left} tr"))).to_be_visible()
    unlock_with(page, "11112")
    expect(page.get_by_text("5 wrong PINs: your signing key has been removed")).to_be_visible()
    assert page.evaluate(KEY_OF, staff) is None
    assert page.get_by_label("What happened?").input_value().startswith("PIN-3")  # the typing is still here
    page.get_by_role("button", name="Send to the DSLs").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("removed from this phone after too many wrong PINs")
    assert outbox_count(page) == 1

    context.set_offline(False)
    wait_for_rows(app, "SELECT id FROM concerns WHERE account LIKE 'PIN-2%'", [], 1)
    assert rows(app, "SELECT id FROM concerns WHERE account LIKE 'PIN-3%'") == []

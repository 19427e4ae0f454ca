"""Keys on the phone: a key the school stopped is replaced, and a refused one asks the person to sign in again."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.phone import (fill_concern, log_concern, outbox_count, ready_offline, rows, sign_out,
                                 wait_for_rows)

KEYS = "SELECT kid, revoked_at FROM device_keys WHERE user_id = ? ORDER BY registered_at, kid"


def phone_kid(page, user_id):
    return page.evaluate("""async (userId) => {
        const { withStore } = await import("outbox");
        const key = await withStore("keys", "readonly", (s) => s.get(userId));
        return key ? key.kid || null : null;
    }""", user_id)


def stop_key_on_account_page(page, url):
    page.goto(f"{url}/account/phones")
    page.get_by_role("button", name=re.compile("Stop this key")).click()
    expect(page.get_by_text("That key no longer works")).to_be_visible()


def test_a_key_stopped_on_account_phones_is_replaced_and_what_waited_is_not_lost(page, context, browser,
                                                                                 live_server):
    app, url, staff = live_server.app, live_server.url, live_server.app.people["staff"]
    sign_in(page, live_server, "staff")
    ready_offline(page)
    old = phone_kid(page, staff)
    context.set_offline(True)
    log_concern(page, url, "KEYS-1 kept before the key was stopped")
    # On a computer, the person stops this phone's key (a lost phone): the phone learns it at its next visit.
    computer = browser.new_context(viewport={"width": 390, "height": 844})
    elsewhere = computer.new_page()
    sign_in(elsewhere, live_server, "staff")
    elsewhere.goto(f"{url}/account/phones")
    elsewhere.locator(f'tr[data-key="{old}"]').get_by_role("button", name=re.compile("Stop this key")).click()
    expect(elsewhere.get_by_text("That key no longer works")).to_be_visible()
    computer.close()
    context.set_offline(False)
    page.goto(f"{url}/concerns/new")
    wait_for_new_kid(page, staff, old)
    new = phone_kid(page, staff)
    assert rows(app, KEYS, [staff])[-1] == {"kid": new, "revoked_at": None}
    assert [k["revoked_at"] is not None for k in rows(app, KEYS, [staff]) if k["kid"] == old] == [True]
    # What waited was signed by the stopped key: it reaches the school, kept aside for a DSL, not lost.
    [aside] = wait_for_rows(app, "SELECT status, key_kid FROM sync_items WHERE key_kid = ?", [old], 1)
    assert aside["status"] == "quarantined" and outbox_count(page) == 0
    # What is saved now is signed by the new key and accepted.
    fill_concern(page, url, "KEYS-2 kept after the key was replaced")
    page.get_by_role("button", name="Send to the DSLs").click()
    [concern] = wait_for_rows(app, "SELECT id FROM concerns WHERE account LIKE 'KEYS-2%'", (), 1)
    expect(page.locator("[data-saved-note]")).to_contain_text(f"Sent — concern number {concern['id']}")
    assert rows(app, "SELECT key_kid FROM sync_items WHERE status = 'stored'") == [{"key_kid": new}]


def wait_for_new_kid(page, user_id, old):
    assert page.evaluate("""async ([userId, old]) => {
        const { withStore } = await import("outbox");
        for (let tries = 0; tries < 400; tries++) {
            const key = await withStore("keys", "readonly", (s) => s.get(userId));
            if (key && key.kid && key.kid !== old) return true;
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return false;
    }""", [user_id, old]), "the phone never replaced its stopped key"


def test_a_refused_key_tells_the_person_to_sign_in_again_and_keeps_their_typing(page, context, live_server):
    app, url, staff = live_server.app, live_server.url, live_server.app.people["staff"]
    sign_in(page, live_server, "staff")
    ready_offline(page)
    app.config["KEY_REGISTRATION_MINUTES"] = -1  # this sign-in is now too old to set up a new key
    stop_key_on_account_page(page, url)
    page.goto(f"{url}/")
    status = page.locator("[data-outbox-status]")
    expect(status).to_contain_text("The school stopped this phone's signing key")
    expect(status).to_contain_text("Sign in again to set up a new one")
    page.goto(f"{url}/phone")
    expect(page.locator('[data-panel="key"]')).to_contain_text("Sign in again to set up a new one")
    assert_accessible(page)
    page.screenshot(path="/tmp/phone-key-refused.png", full_page=True)
    assert phone_kid(page, staff) is None

    context.set_offline(True)  # with no signal, the form says why it cannot keep this, and keeps the typing
    fill_concern(page, url, "KEYS-3 typed while the key was refused")
    page.get_by_role("button", name="Send to the DSLs").click()
    expect(page.get_by_role("alert")).to_contain_text("Sign in again to set up a new one")
    expect(page.get_by_label("What happened?")).to_have_value("KEYS-3 typed while the key was refused")
    context.set_offline(False)

    app.config["KEY_REGISTRATION_MINUTES"] = 10
    sign_out(page)
    sign_in(page, live_server, "staff")
    ready_offline(page)
    assert rows(app, KEYS, [staff])[-1]["revoked_at"] is None
    page.goto(f"{url}/phone")
    expect(page.locator('[data-panel="key"]')).to_have_text("Set up: what you save here is signed as you")
    expect(page.locator("[data-outbox-status]")).not_to_contain_text("Sign in again")


def test_a_password_change_stops_the_key_and_the_phone_makes_a_new_one(page, live_server):
    from tests.conftest import PASSWORD
    app, url, staff = live_server.app, live_server.url, live_server.app.people["staff"]
    sign_in(page, live_server, "staff")
    ready_offline(page)
    old = phone_kid(page, staff)
    page.goto(f"{url}/account/password")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password").fill("otter lantern meadow piano")
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url(lambda u: not u.endswith("/account/password"))
    page.goto(f"{url}/concerns/new")
    wait_for_new_kid(page, staff, old)
    assert rows(app, "SELECT revoked_at FROM device_keys WHERE kid = ?", [old])[0]["revoked_at"] is not None
    assert rows(app, "SELECT revoked_at FROM device_keys WHERE kid = ?", [phone_kid(page, staff)]) == [
        {"revoked_at": None}]


def test_a_first_key_refused_says_to_sign_in_again(page, live_server):
    live_server.app.config["KEY_REGISTRATION_MINUTES"] = -1  # no sign-in is recent enough: every new key refused
    sign_in(page, live_server, "staff")
    expect(page.locator("[data-outbox-status]")).to_have_text(re.compile("^Sign in again to set up this phone"))
    assert phone_kid(page, live_server.app.people["staff"]) is None


class HoldNewKey:
    """WSGI wrapper holding the `which`th key registration after it is armed (the second), until released."""

    def __init__(self, wsgi_app, which=2):
        import threading
        self.wsgi_app, self.seen, self.armed, self.which = wsgi_app, 0, False, which
        self.arrived, self.release = threading.Event(), threading.Event()

    def __call__(self, environ, start_response):
        if self.armed and environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"] == "/api/devices/keys":
            self.seen += 1
            if self.seen == self.which:  # by default the new key, made after a 409 for the stopped one
                self.arrived.set()
                self.release.wait()
        return self.wsgi_app(environ, start_response)


def test_a_stopped_key_is_remembered_when_the_page_is_left_before_the_new_key_is_answered(page, live_server):
    app, url, staff = live_server.app, live_server.url, live_server.app.people["staff"]
    sign_in(page, live_server, "staff")
    ready_offline(page)
    app.config["KEY_REGISTRATION_MINUTES"] = -1
    page.goto(f"{url}/account/phones", wait_until="networkidle")
    hold = HoldNewKey(app.wsgi_app)
    app.wsgi_app, hold.armed = hold, True
    try:
        page.get_by_role("button", name=re.compile("Stop this key")).click()
        assert hold.arrived.wait(15), "the phone never asked for a new key"
        page.goto(f"{url}/")  # the person moves on while the school has not answered yet
    finally:
        hold.release.set()
    expect(page.locator("[data-outbox-status]")).to_contain_text("The school stopped this phone's signing key")
    assert phone_kid(page, staff) is None


def test_two_checks_at_once_of_a_stopped_key_replace_it_once(page, live_server):
    """A page opening while a push finds items kept aside checks the key twice at once: one new key, held."""
    app, url, staff = live_server.app, live_server.url, live_server.app.people["staff"]
    sign_in(page, live_server, "staff")
    ready_offline(page)
    old = phone_kid(page, staff)
    stop_key_on_account_page(page, url)
    page.evaluate("""async () => {
        const { ensureDeviceKey } = await import("devicekey");
        const { csrf_token, user } = await (await fetch("/api/session", { cache: "no-store" })).json();
        await Promise.all([ensureDeviceKey(user, csrf_token), ensureDeviceKey(user, csrf_token),
                           ensureDeviceKey(user, csrf_token)]);
    }""")
    wait_for_new_kid(page, staff, old)
    live = [k["kid"] for k in rows(app, KEYS, [staff]) if k["revoked_at"] is None]
    assert live == [phone_kid(page, staff)]  # no second new key that nobody holds


def test_signing_out_while_the_key_is_checked_leaves_no_key_on_the_phone(page, live_server):
    """Sign-out waits for a check already asking the school, so the check cannot put the key back after."""
    app, url, staff = live_server.app, live_server.url, live_server.app.people["staff"]
    sign_in(page, live_server, "staff")
    ready_offline(page)
    assert phone_kid(page, staff) is not None
    registered = len(rows(app, KEYS, [staff]))
    hold = HoldNewKey(app.wsgi_app, which=1)
    app.wsgi_app, hold.armed = hold, True
    try:
        page.evaluate("""async () => {
            const { ensureDeviceKey } = await import("devicekey");
            const { csrf_token, user } = await (await fetch("/api/session", { cache: "no-store" })).json();
            window.checking = ensureDeviceKey(user, csrf_token);  // held at the school until released
        }""")
        assert hold.arrived.wait(15), "the check never asked the school"
        page.evaluate("""async (userId) => {
            const { deleteState } = await import("outbox");
            const { forgetDeviceKey } = await import("devicekey");
            await deleteState("session");  // what signing out does, in its order (app.js signOut)
            window.forgetting = forgetDeviceKey(userId);
        }""", staff)
    finally:
        hold.release.set()
    page.evaluate("() => Promise.all([window.checking, window.forgetting])")
    assert phone_kid(page, staff) is None
    page.evaluate("""async () => {  // a check that starts after the sign-out does nothing
        const { ensureDeviceKey } = await import("devicekey");
        const { csrf_token, user } = await (await fetch("/api/session", { cache: "no-store" })).json();
        await ensureDeviceKey(user, csrf_token);
    }""")
    assert phone_kid(page, staff) is None and len(rows(app, KEYS, [staff])) == registered

"""Driving the app as a phone would: the service worker, the network switch, what is stored."""
import re
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from webapp.db import connect

# Everything the phone keeps: IndexedDB records, Web Storage and every cached response body.
DUMP_PHONE = """async () => {
    const out = [JSON.stringify(localStorage), JSON.stringify(sessionStorage)];
    const db = await new Promise((ok, fail) => {
        const r = indexedDB.open('safeguarding'); r.onsuccess = () => ok(r.result); r.onerror = fail; });
    for (const name of db.objectStoreNames) {
        const rows = await new Promise((ok) => {
            const r = db.transaction(name).objectStore(name).getAll(); r.onsuccess = () => ok(r.result); });
        out.push(JSON.stringify(rows, (k, v) => v instanceof ArrayBuffer || ArrayBuffer.isView(v)
            ? new TextDecoder().decode(v) : v));
    }
    for (const cacheName of await caches.keys()) {
        const cache = await caches.open(cacheName);
        for (const request of await cache.keys()) out.push(await (await cache.match(request)).text());
    }
    return out.join('\\n');
}"""

OUTBOX_COUNT = """async () => {
    const db = await new Promise((ok) => { const r = indexedDB.open('safeguarding'); r.onsuccess = () => ok(r.result); });
    return await new Promise((ok) => { const r = db.transaction('outbox').objectStore('outbox').count();
        r.onsuccess = () => ok(r.result); });
}"""


def ready_offline(page):
    """Wait until the service worker controls the page and has kept the capture forms."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    expect(page.locator("html")).to_have_attribute("data-offline-forms", re.compile(r"^[1-9]"))
    expect(page.locator("[data-outbox-status]")).not_to_have_text("")
    assert page.evaluate("""async () => {
        const { getState, withStore } = await import("outbox");
        for (let tries = 0; tries < 400; tries++) {
            const session = await getState("session");
            const key = session && await withStore("keys", "readonly", (s) => s.get(session.user.id));
            if (key && key.kid) return true;
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return false;
    }"""), "this phone never got a registered signing key"


def fill_concern(page, url, account, category="abusive_message", location="Year 5 classroom", picture=None):
    """Open the concern form and fill in what a person must, with a picture if given as (name, bytes)."""
    page.goto(f"{url}/concerns/new")
    page.locator(f"#category-{category}").check()
    page.get_by_label("Where did it happen?").fill(location)
    page.get_by_label("What happened?").fill(account)
    if picture:
        page.locator("input[name=attachments]").set_input_files(
            {"name": picture[0], "mimeType": "image/png", "buffer": picture[1]})


def log_concern(page, url, account, **fields):
    """Fill in and submit the concern form; wait for the phone to say it kept it."""
    fill_concern(page, url, account, **fields)
    page.get_by_role("button", name="Send to the DSLs").click()
    expect(page.locator("[data-saved-note]")).to_have_text(re.compile("^(Saved on this phone|Sent — )"))


def outbox_count(page):
    return page.evaluate(OUTBOX_COUNT)


def rows(app, sql, params=()):
    db = connect(app.config["DATABASE"])
    try:
        return [dict(r) for r in db.query(sql, params)]
    finally:
        db.conn.close()


def wait_until(predicate, timeout=15):
    """Poll server-side state until predicate() is true; fail at the deadline."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "the server never reached the expected state"
        time.sleep(0.05)


def wait_for_rows(app, sql, params, count, timeout=15):
    """Poll the server's database until the query returns at least count rows."""
    wait_until(lambda: len(rows(app, sql, params)) >= count, timeout)
    return rows(app, sql, params)


def ready_to_keep(page, user_id):
    """Wait until this phone holds a registered signing key for the person (so forms can be kept)."""
    assert page.evaluate("""async (userId) => {
        const { withStore } = await import("outbox");
        for (let tries = 0; tries < 400; tries++) {
            const key = await withStore("keys", "readonly", (s) => s.get(userId));
            if (key && key.kid) return true;
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return false;
    }""", user_id)


SENT = re.compile(r"^Sent — ")


def sent(page):
    """Wait until the phone says what it kept has reached the school ("Sent — concern number 3 ...")."""
    expect(page.locator("[data-outbox-status]")).to_have_text(SENT)


def kept_then_sent(page):
    """Wait until the form just sent says it was kept on the phone, then until it says it was sent.

    The form's own note stays on the page ("Saved on this phone — will send when connected", then
    "Sent — concern number 3 has reached the DSLs. My concerns"), unlike the status line, which an
    earlier "Sent — ..." may still show before this item is even kept.
    """
    note = page.locator("[data-saved-note]")
    expect(note).to_contain_text(re.compile("Saved on this phone|Sent — "))
    # The note changes only once the push that took this item came back: the status line's text
    # may still be an earlier "Sent — ..." until then.
    expect(note).to_have_text(SENT)
    sent(page)


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile("/login"))


def school_time(delta):
    """Return now + delta as a datetime-local value in the school's time zone."""
    return (datetime.now(ZoneInfo("Europe/London")) + delta).strftime("%Y-%m-%dT%H:%M")


def pulled_ready(page):
    """Wait until the phone holds the encrypted copy of what a DSL or the head last pulled."""
    assert page.evaluate("""async () => {
        const { getState } = await import("outbox");
        for (let tries = 0; tries < 400; tries++) {
            if (await getState("pulled")) return true;
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return false;
    }"""), "the phone never stored what it pulled"


def fire_background_sync(page, context, url):
    """Deliver the worker's "outbox" Background Sync event through CDP, as Chromium does when signal returns."""
    cdp = context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    for _ in range(750):  # the registration list arrives as an event; let Playwright deliver it
        if any(r["scopeURL"] == f"{url}/" for r in registrations):
            break
        page.wait_for_timeout(20)
    registration = next((r for r in registrations if r["scopeURL"] == f"{url}/"), None)
    assert registration, "the service worker's registration never showed in DevTools"
    cdp.send("ServiceWorker.dispatchSyncEvent", {"origin": url, "registrationId": registration["registrationId"],
                                                  "tag": "outbox", "lastChance": False})

"""The head and DSLs with no signal: pulled work readable offline, encrypted, wiped on sign-out and idle."""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.phone import DUMP_PHONE, pulled_ready, ready_offline, rows, wait_for_rows, wait_until
from tests.conftest import Auth

STATE_NAMES = """async () => {
    const db = await new Promise((ok) => { const r = indexedDB.open('safeguarding'); r.onsuccess = () => ok(r.result); });
    return await new Promise((ok) => { const r = db.transaction('state').objectStore('state').getAllKeys();
        r.onsuccess = () => ok(r.result); });
}"""


def web_concern(app, account):
    """Log a concern through the ordinary web form, as a member of staff with signal would."""
    client = app.test_client()
    auth = Auth(client)
    auth.login("staff")
    now = datetime.now(ZoneInfo("Europe/London")).strftime("%Y-%m-%dT%H:%M")
    response = client.post("/concerns/new", data={
        "category": "abusive_message", "occurred_at": now, "location": "Playground", "account": account,
        "csrf_token": auth.csrf("/concerns/new")})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return rows(app, "SELECT id FROM concerns WHERE account = ?", [account])[0]["id"]


def web_request(app, detail):
    client = app.test_client()
    auth = Auth(client)
    auth.login("staff")
    at = lambda h: (datetime.now(ZoneInfo("Europe/London")) + timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M")  # noqa: E731
    response = client.post("/requests/new", data={
        "for_whom": "visitor", "visitor_name": "Rita Roofer", "visitor_organisation": "Top Tiles",
        "device": "phone", "purpose": "work_task", "detail": detail, "location": "playground",
        "starts_at": at(1), "ends_at": at(4), "csrf_token": auth.csrf("/requests/new")})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return rows(app, "SELECT id FROM device_requests WHERE detail = ?", [detail])[0]["id"]


def test_dsl_reads_the_queue_offline_and_adds_to_a_case(page, context, live_server):
    app, url = live_server.app, live_server.url
    concern_id = web_concern(app, "LEADS-1 rude messages in the class chat")
    sign_in(page, live_server, "dsl")
    ready_offline(page)
    pulled_ready(page)
    context.set_offline(True)
    page.goto(f"{url}/concerns/queue")                       # never kept: the phone page instead
    pulled = page.locator("[data-pulled]")
    expect(pulled).to_contain_text("Concern queue")
    expect(pulled).to_contain_text("Received")                # labels, never keys
    assert "received" not in pulled.inner_text().replace("Received", "")
    assert_accessible(page)
    page.get_by_role("link", name=f"Add an entry to case {concern_id}").click()
    expect(page.locator("input[name=concern_id]")).to_have_value(str(concern_id))
    page.get_by_label("What are you recording?").select_option("note")
    page.get_by_label("Details").fill("LEADS-NOTE spoke to the class teacher")
    page.get_by_role("button", name="Add to the chronology").click()
    expect(page.get_by_role("status").filter(has_text="Saved on this phone")).to_be_visible()
    assert "LEADS-NOTE" not in page.evaluate(DUMP_PHONE)
    context.set_offline(False)
    entry = wait_for_rows(app, "SELECT author_id, source FROM case_events WHERE body LIKE 'LEADS-NOTE%'", [], 1)
    assert entry == [{"author_id": app.people["dsl"], "source": "phone"}]


def test_pulled_data_is_encrypted_and_wiped_at_sign_out(page, context, live_server):
    app, url = live_server.app, live_server.url
    web_concern(app, "LEADS-2 offensive pictures on a tablet")
    sign_in(page, live_server, "dsl")
    ready_offline(page)
    pulled_ready(page)
    assert {"pulled", "pull-key"} <= set(page.evaluate(STATE_NAMES))
    assert "Playground" not in page.evaluate(DUMP_PHONE)       # the pulled queue is stored encrypted
    context.set_offline(True)
    page.goto(f"{url}/phone")
    expect(page.locator("[data-pulled]")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("[data-outbox-status]")).to_contain_text("Signed out on this phone")
    names = set(page.evaluate(STATE_NAMES))
    assert not names & {"pulled", "pull-key", "session"}
    page.goto(f"{url}/phone")
    expect(page.get_by_role("heading", level=1)).to_have_text("This phone")
    expect(page.locator("[data-pulled]")).to_be_hidden()


def test_pulled_data_is_wiped_after_thirty_idle_minutes_offline(page, context, live_server):
    app, url = live_server.app, live_server.url
    web_concern(app, "LEADS-3 idle wipe")
    page.clock.install()
    sign_in(page, live_server, "dsl")
    ready_offline(page)
    pulled_ready(page)
    context.set_offline(True)
    page.goto(f"{url}/phone")
    expect(page.locator("[data-pulled]")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("data-started", "")  # the last touch is before the jump
    page.clock.fast_forward("29:00")
    assert "pull-key" in page.evaluate(STATE_NAMES)
    page.clock.fast_forward("02:00")          # the page's minute timer notices the idle phone
    wait_until(lambda: "pull-key" not in page.evaluate(STATE_NAMES), timeout=10)
    assert "pulled" not in page.evaluate(STATE_NAMES)


def test_head_decides_offline_through_the_outbox(page, context, live_server):
    app, url = live_server.app, live_server.url
    request_id = web_request(app, "LEADS-4 measuring the roof")
    sign_in(page, live_server, "head")
    ready_offline(page)
    pulled_ready(page)
    context.set_offline(True)
    page.goto(f"{url}/requests/decisions")
    expect(page.locator("[data-offline-case]")).to_contain_text("Rita Roofer")
    page.get_by_role("link", name=f"Decide request {request_id}").click()
    expect(page.locator("input[name=request_id]")).to_have_value(str(request_id))
    page.locator("input[name=outcome][value=approved]").check()
    page.get_by_label("Conditions").fill("Only on the roof, never near learners")
    page.get_by_role("button", name=re.compile("Record")).click()
    expect(page.get_by_role("status").filter(has_text="Saved on this phone")).to_be_visible()
    context.set_offline(False)
    decided = wait_for_rows(app, "SELECT outcome, conditions, source FROM decisions WHERE request_id = ?",
                            [request_id], 1)
    assert decided == [{"outcome": "approved", "conditions": "Only on the roof, never near learners",
                        "source": "phone"}]

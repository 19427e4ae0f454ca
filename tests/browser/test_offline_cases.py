"""A DSL reads a whole case, and the head a request, from the phone's encrypted copy with no signal."""
import io
import re
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.phone import DUMP_PHONE, pulled_ready, ready_offline, rows, school_time, wait_for_rows
from tests.concerns.conftest import png
from tests.browser.test_offline_leads import web_concern, web_request
from tests.conftest import Auth
from webapp.concerns.categories import label as category_label


def web_entry(app, concern_id, body):
    """Add a note to a case through the web page, as a DSL with signal would."""
    client = app.test_client()
    auth = Auth(client)
    auth.login("dsl2")
    page = f"/concerns/{concern_id}"
    response = client.post(page, data={"concern_id": concern_id, "kind": "note", "body": body,
                                       "csrf_token": auth.csrf(page)})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def concern_with_picture(app, account):
    """Log a concern with a picture through the web form."""
    client = app.test_client()
    auth = Auth(client)
    auth.login("staff")
    response = client.post("/concerns/new", data={
        "category": "abusive_message", "occurred_at": school_time(timedelta(0)), "location": "Playground",
        "account": account, "attachments": (io.BytesIO(png(300, 200)), "chat.png"),
        "csrf_token": auth.csrf("/concerns/new")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return rows(app, "SELECT id FROM concerns WHERE account = ?", [account])[0]["id"]


def test_dsl_reads_a_whole_case_offline_and_adds_an_entry_beneath_it(page, context, live_server):
    app, url = live_server.app, live_server.url
    concern_id = concern_with_picture(app, "CASE-1 unkind messages about a Year 6 girl")
    web_entry(app, concern_id, "CASE-1-NOTE spoke to her parents after school")
    sign_in(page, live_server, "dsl")
    ready_offline(page)
    pulled_ready(page)
    assert "CASE-1" not in page.evaluate(DUMP_PHONE)            # kept encrypted
    context.set_offline(True)
    page.goto(f"{url}/concerns/{concern_id}")
    case = page.locator("[data-offline-case]")
    expect(case).to_contain_text(f"Concern {concern_id}: {category_label('abusive_message')}")
    expect(case).to_contain_text("CASE-1 unkind messages about a Year 6 girl")
    expect(case).to_contain_text("Sally Staff")                 # the reporter
    expect(case).to_contain_text("Playground")
    expect(case).to_contain_text("Note, by Derek Deputy")       # the chronology, in labels
    expect(case).to_contain_text("CASE-1-NOTE spoke to her parents")
    thumbnail = case.get_by_role("img", name="Small copy of chat.png")
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("img => img.naturalWidth") == 160
    expect(case.locator(".freshness")).to_have_text(re.compile(r"^Queue as of \d\d:\d\d, (just now|1 minute ago)$"))
    assert "abusive_message" not in case.inner_text() and "received" not in case.inner_text()
    assert_accessible(page)
    page.screenshot(path="/tmp/offline-case.png", full_page=True)
    expect(page.locator("input[name=concern_id]")).to_have_value(str(concern_id))
    page.get_by_label("What are you recording?").select_option("note")
    page.get_by_label("Details").fill("CASE-1-OFFLINE checked the chat log with the teacher")
    page.get_by_role("button", name="Add to the chronology").click()
    expect(page.get_by_role("status").filter(has_text="Saved on this phone")).to_be_visible()
    context.set_offline(False)
    entry = wait_for_rows(app, "SELECT concern_id, author_id, source FROM case_events "
                               "WHERE body LIKE 'CASE-1-OFFLINE%'", [], 1)
    assert entry == [{"concern_id": concern_id, "author_id": app.people["dsl"], "source": "phone"}]
    page.goto(f"{url}/concerns/queue")                          # the next sync brings the offline reading
    viewed = wait_for_rows(app, "SELECT actor_id, subject FROM audit_log WHERE action = 'case.view.offline'", [], 1)
    assert viewed == [{"actor_id": app.people["dsl"], "subject": f"concern:{concern_id}"}]


def test_head_decides_offline_with_the_request_in_view(page, context, live_server):
    app, url = live_server.app, live_server.url
    request_id = web_request(app, "CASE-2 measuring the roof for new tiles")
    sign_in(page, live_server, "head")
    ready_offline(page)
    pulled_ready(page)
    context.set_offline(True)
    page.goto(f"{url}/requests/decisions")
    waiting = page.locator("[data-offline-case]")
    for words in ("Rita Roofer (Top Tiles), recorded by Sally Staff", "Mobile phone", "A work task",
                  "CASE-2 measuring the roof", "playground", "Requests as of "):
        expect(waiting).to_contain_text(re.compile(re.escape(words), re.I))
    assert "work_task" not in waiting.inner_text()
    assert_accessible(page)
    page.get_by_role("link", name=f"Decide request {request_id}").click()
    card = page.locator("[data-offline-case]")
    expect(card).to_contain_text("Rita Roofer")
    expect(card).to_contain_text("Until")
    expect(page.locator("input[name=request_id]")).to_have_value(str(request_id))
    page.screenshot(path="/tmp/offline-decide.png", full_page=True)
    page.locator("input[name=outcome][value=approved]").check()
    page.get_by_label("Conditions").fill("CASE-2 roof only, never near learners")
    page.get_by_role("button", name=re.compile("Record")).click()
    expect(page.get_by_role("status").filter(has_text="Saved on this phone")).to_be_visible()
    context.set_offline(False)
    decided = wait_for_rows(app, "SELECT outcome, source FROM decisions WHERE request_id = ?", [request_id], 1)
    assert decided == [{"outcome": "approved", "source": "phone"}]


def test_a_case_after_the_copy_is_wiped_says_so_and_keeps_the_form(page, context, live_server):
    app, url = live_server.app, live_server.url
    concern_id = web_concern(app, "CASE-3 after the wipe")
    sign_in(page, live_server, "dsl")
    ready_offline(page)
    pulled_ready(page)
    page.evaluate("async () => { const { wipePulled } = await import('pulled'); await wipePulled(); }")
    context.set_offline(True)
    page.goto(f"{url}/concerns/{concern_id}")
    expect(page.locator("[data-offline-case]")).to_contain_text("This phone holds no copy to read")
    assert "CASE-3" not in page.content() and "CASE-3" not in page.evaluate(DUMP_PHONE)
    expect(page.get_by_role("button", name="Add to the chronology")).to_be_visible()
    assert rows(app, "SELECT count(*) AS n FROM audit_log WHERE action = 'case.view.offline'")[0]["n"] == 0

"""On a phone: a member of staff logs a concern, and a DSL carries it to a close the policy accepts."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.phone import kept_then_sent, ready_to_keep, rows, sent, sign_out
from tests.concerns.conftest import png



def log_concern(page, live_server):
    page.goto(f"{live_server.url}/concerns/new")
    ready_to_keep(page, live_server.app.people["staff"])
    assert_accessible(page)
    expect(page.get_by_text("call 999 now")).to_be_visible()
    page.get_by_label("Abusive or unkind message").check()
    expect(page.get_by_label("When did it happen?")).not_to_have_value("")
    page.get_by_label("Where did it happen?").fill("Year 4 classroom")
    page.get_by_label("Which learners were involved?").fill("Year 4 pupil (boy)")
    page.get_by_label("What happened?").fill("He showed me a threatening message sent to his tablet last night.")
    page.get_by_label("What did you do straight away?").fill("Reassured him and took a screenshot.")
    page.get_by_label("I have told a DSL in person").check()
    page.get_by_label("Photos or screenshots (optional)").set_input_files(
        [{"name": "message.png", "mimeType": "image/png", "buffer": png(4, 4)}])
    page.get_by_role("button", name="Send to the DSLs").click()
    kept_then_sent(page)


def add_entry(page, kind, **fields):
    """Add one chronology entry from the case page's form."""
    form = page.locator("form.entry-form")
    form.get_by_label("What are you recording?").select_option(kind)
    if "body" in fields:
        form.get_by_label("Details").fill(fields["body"])
    if "assignee" in fields:
        form.get_by_label("Assign to").select_option(label=fields["assignee"])
    with page.expect_navigation():  # the case page posts straight away and comes back
        form.get_by_role("button", name="Add to the chronology").click()


def work_the_case(page, live_server, concern_id):
    page.goto(f"{live_server.url}/concerns/queue")
    expect(page.get_by_text("1 new concern")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Concern {concern_id}: Abusive or unkind message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Concern {concern_id}: Abusive or unkind message")
    expect(page.get_by_text("He showed me a threatening message")).to_be_visible()
    expect(page.locator(".closing-missing")).to_contain_text("behaviour or anti-bullying action taken")
    assert_accessible(page)
    add_entry(page, "assignment", assignee="Me (the person signed in)")
    expect(page.get_by_text("Entry added to the case.")).to_be_visible()
    add_entry(page, "closed")
    expect(page.get_by_role("alert")).to_contain_text("This case cannot close yet")
    assert_accessible(page)
    add_entry(page, "behaviour_action", body="Anti-bullying plan agreed with both families.")
    add_entry(page, "outcome", body="Messages stopped; weekly check-ins for a month.")
    add_entry(page, "lessons_learnt", body="Teach the online kindness unit to Year 4 earlier.")
    expect(page.get_by_text("you can close the case")).to_be_visible()
    add_entry(page, "closed", body="All required steps recorded.")
    expect(page.locator(".queue-tags .status-closed")).to_have_text("Closed")
    assert_accessible(page)


def test_staff_logs_a_concern_and_a_dsl_closes_it(page, live_server):
    sign_in(page, live_server, "staff")
    log_concern(page, live_server)
    [concern] = rows(live_server.app, "SELECT * FROM concerns")
    assert (concern["category"], concern["source"], concern["told_dsl_in_person"]) == ("abusive_message", "phone", 1)
    assert rows(live_server.app, "SELECT filename FROM concern_attachments") == [{"filename": "message.png"}]
    page.goto(f"{live_server.url}/concerns/mine")
    expect(page.get_by_text("Received")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    sign_in(page, live_server, "dsl")
    work_the_case(page, live_server, concern["id"])
    with page.expect_response(re.compile(r"/pictures/1$")) as picture:
        page.get_by_role("link", name="message.png").click()
    assert picture.value.headers["content-type"] == "image/png"
    page.go_back()

    page.goto(f"{live_server.url}/concerns/entry?concern={concern['id']}")
    ready_to_keep(page, live_server.app.people["dsl"])
    assert_accessible(page)
    page.get_by_label("What are you recording?").select_option("note")
    page.get_by_label("Details").fill("Mother rang to say thank you.")
    page.get_by_role("button", name="Add to the chronology").click()
    kept_then_sent(page)
    kinds = [r["kind"] for r in rows(live_server.app, "SELECT kind FROM case_events ORDER BY id")]
    assert kinds == ["assignment", "behaviour_action", "outcome", "lessons_learnt", "closed", "note"]
    access = [r["action"] for r in rows(live_server.app, "SELECT action FROM audit_log ORDER BY id")]
    assert "attachment.open" in access and "case.view" in access
    sign_out(page)

    sign_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/concerns/mine")
    expect(page.get_by_text("Closed", exact=True)).to_be_visible()
    expect(page.get_by_text("Mother rang")).to_have_count(0)

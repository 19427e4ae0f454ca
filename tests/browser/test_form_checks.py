"""Every capture form refuses on the phone, offline and online, what the server would refuse, in its words."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from werkzeug.datastructures import MultiDict

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.phone import outbox_count, ready_offline, ready_to_keep, school_time
from webapp.concerns.forms import CaseEventForm, ConcernForm
from webapp.db import connect
from webapp.governance.forms import DeclarationForm
from webapp.permissions.forms import DecisionForm, DeviceRequestForm

MODES = ["offline", "online"]


def server_says(app, form_class, data, prepare=None):
    """Return the server's messages for this data, by field: what the phone must say word for word."""
    with app.test_request_context():
        form = form_class(formdata=MultiDict(data), meta={"csrf": False})
        if prepare:
            prepare(form)
        form.validate()
        return {name: messages[0] for name, messages in form.errors.items()}


def open_form(page, context, live_server, who, path, mode):
    sign_in(page, live_server, who)
    if mode == "offline":
        ready_offline(page)
        context.set_offline(True)
        page.goto(f"{live_server.url}{path}")
    else:
        page.goto(f"{live_server.url}{path}")
        ready_to_keep(page, live_server.app.people[who])


def submit_and_expect(page, button, expected, shot):
    """Submit; each expected message is next to its field, tied to it, and linked from the summary."""
    page.get_by_role("button", name=button).click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.locator("li")).to_have_count(len(expected))
    for field_id, message in expected.items():
        link = summary.get_by_role("link", name=message, exact=True)
        expect(link).to_be_visible()
        note = page.locator(f"#{field_id}-error")
        expect(note).to_have_text(message)
        target = page.locator(link.get_attribute("href"))
        expect(target).to_have_attribute("aria-invalid", "true")
        described = page.locator(f"[aria-describedby~='{field_id}-error']")
        expect(described).to_have_count(1)
    page.screenshot(path=f"/tmp/checks-{shot}.png", full_page=True)
    assert outbox_count(page) == 0
    assert_accessible(page)


@pytest.mark.parametrize("mode", MODES)
def test_concern_mistakes_are_caught_in_the_servers_words(page, context, live_server, mode):
    app = live_server.app
    open_form(page, context, live_server, "staff", "/concerns/new", mode)
    when = school_time(timedelta(hours=2))
    page.get_by_label("When did it happen?").fill(when)
    page.get_by_label("Where did it happen?").fill("   ")
    page.get_by_label("Which learners were involved?").fill("A" * 1001)
    page.get_by_label("What happened?").fill(" \n  ")
    said = server_says(app, ConcernForm, {"occurred_at": when, "location": "   ", "learners": "A" * 1001,
                                          "account": " \n  "})
    assert set(said) == {"category", "occurred_at", "location", "learners", "account"}
    submit_and_expect(page, "Send to the DSLs", said, f"concern-{mode}")
    expect(page.get_by_label("Which learners were involved?")).to_have_value("A" * 1001)  # never cut short


def test_a_long_paste_is_kept_whole_with_a_warning(page, live_server):
    sign_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/concerns/new")
    page.get_by_label("Where did it happen?").fill("x" * 250)
    expect(page.get_by_label("Where did it happen?")).to_have_value("x" * 250)
    expect(page.locator("#location-error")).to_have_text("Use at most 200 characters.")
    page.get_by_label("Where did it happen?").fill("Field")
    expect(page.locator("#location-error")).to_have_count(0)


def test_a_long_paste_made_before_the_pages_script_is_ready_is_still_warned_about(browser, live_server):
    # A slow phone shows the form before its script runs: what was pasted by then is checked when it does.
    context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
    page = context.new_page()
    sign_in(page, live_server, "staff")
    held = []
    page.route("**/static/gen/checks.*.js", lambda route: held.append(route))  # no module of the page runs until it is let through
    page.goto(f"{live_server.url}/concerns/new", wait_until="commit")
    page.get_by_label("Where did it happen?").fill("x" * 250)
    for _ in range(1000):  # each evaluate lets the held request's route reach this thread
        if held:
            break
        page.evaluate("0")
    assert held and page.evaluate("!document.documentElement.classList.contains('js')"), "the script ran first"
    for route in held:
        route.continue_()
    expect(page.locator("#location-error")).to_have_text("Use at most 200 characters.")
    expect(page.get_by_label("Where did it happen?")).to_have_value("x" * 250)
    context.close()


@pytest.mark.parametrize("mode", MODES)
def test_device_request_mistakes_are_caught_in_the_servers_words(page, context, live_server, mode):
    app = live_server.app
    open_form(page, context, live_server, "staff", "/requests/new", mode)
    starts, ends = school_time(timedelta(hours=3)), school_time(timedelta(hours=1))
    page.get_by_label("A visitor or contractor").check()
    page.get_by_label("Their organisation or company").fill("Kent Roofing Ltd")
    page.get_by_label("Where on site").select_option("hall")
    page.get_by_label("From").fill(starts)
    page.get_by_label("Until").fill(ends)
    data = {"for_whom": "visitor", "visitor_organisation": "Kent Roofing Ltd", "location": "hall",
            "starts_at": starts, "ends_at": ends}
    from webapp.permissions.store import list_areas
    db = connect(app.config["DATABASE"])
    said = server_says(app, DeviceRequestForm, data, lambda form: form.set_areas(list_areas(db)))
    db.conn.close()
    assert set(said) == {"visitor_name", "device", "purpose", "ends_at"}
    submit_and_expect(page, "Send to the headteacher", said, f"request-{mode}")
    expect(page.locator("[data-refusal-panel]")).to_have_count(0)  # a mistake, not a refusal


@pytest.mark.parametrize("mode", MODES)
def test_an_approval_needs_conditions_and_an_end_still_to_come(page, context, live_server, mode):
    app = live_server.app
    open_form(page, context, live_server, "head", "/requests/decide?request=1", mode)
    ended = school_time(timedelta(hours=-1))
    page.get_by_label("Approve").check()
    page.get_by_label("Permission ends").fill(ended)
    said = server_says(app, DecisionForm, {"request_id": "1", "outcome": "approved", "ends_at": ended})
    assert set(said) == {"conditions", "ends_at"}
    submit_and_expect(page, "Record decision", said, f"decision-{mode}")
    page.get_by_label("Decline").check()
    said = server_says(app, DecisionForm, {"request_id": "1", "outcome": "declined", "reason": "  "})
    page.get_by_label("Reason").fill("  ")
    submit_and_expect(page, "Record decision", said, f"decline-{mode}")


@pytest.mark.parametrize("mode", MODES)
def test_a_declaration_of_only_spaces_is_caught(page, context, live_server, mode):
    app = live_server.app
    open_form(page, context, live_server, "staff", "/declarations/new", mode)
    page.get_by_label("Who is it with?").fill("    ")
    page.get_by_label("How could it lead to contact").fill("z" * 2001)
    said = server_says(app, DeclarationForm, {"with_whom": "    ", "details": "z" * 2001})
    assert set(said) == {"relationship", "with_whom", "details"}
    submit_and_expect(page, "Send my declaration", said, f"declaration-{mode}")


@pytest.mark.parametrize("mode", MODES)
def test_a_case_entry_missing_what_its_kind_needs_is_caught(page, context, live_server, mode):
    app = live_server.app
    open_form(page, context, live_server, "dsl", "/concerns/entry?concern=1", mode)
    page.get_by_label("What are you recording?").select_option("police_contacted")
    said = server_says(app, CaseEventForm, {"concern_id": "1", "kind": "police_contacted"})
    assert set(said) == {"reference"}
    submit_and_expect(page, "Add to the chronology", said, f"entry-{mode}")
    page.get_by_label("What are you recording?").select_option("lessons_learnt")
    page.get_by_label("Details").fill("None.")
    said = server_says(app, CaseEventForm, {"concern_id": "1", "kind": "lessons_learnt", "body": "None."})
    submit_and_expect(page, "Add to the chronology", said, f"lessons-{mode}")

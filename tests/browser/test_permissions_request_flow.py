"""On a phone: a contractor's request, the head's written decision, and the permissions in force."""
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.phone import kept_then_sent, ready_to_keep, school_time, sign_out
from webapp.db import connect



def rows(live_server, sql):
    db = connect(live_server.app.config["DATABASE"])
    try:
        return list(db.query(sql))
    finally:
        db.conn.close()


def record_contractor_request(page, live_server):
    page.goto(f"{live_server.url}/requests/new")
    ready_to_keep(page, live_server.app.people["staff"])
    assert_accessible(page)
    page.get_by_label("A visitor or contractor").check()
    page.get_by_label("Visitor's full name").fill("Dan Roofer")
    page.get_by_label("Their organisation or company").fill("Kent Roofing Ltd")
    page.get_by_label("Device").select_option("phone")
    page.get_by_label("Photos of the building or grounds").check()
    page.get_by_label("A few words about it").fill("Photos of the hall roof for the repair quote.")
    page.get_by_label("Where on site").select_option("hall")
    page.get_by_label("From").fill(school_time(timedelta(minutes=-10)))
    page.get_by_label("Until").fill(school_time(timedelta(hours=3)))
    page.get_by_role("button", name="Send to the headteacher").click()
    kept_then_sent(page)


def test_request_decision_and_permission_in_force(page, live_server):
    sign_in(page, live_server, "staff")
    record_contractor_request(page, live_server)
    [request] = rows(live_server, "SELECT * FROM device_requests")
    assert (request["visitor_name"], request["source"], request["refused_rule"]) == ("Dan Roofer", "phone", None)

    page.goto(f"{live_server.url}/requests/mine")
    expect(page.get_by_text("Waiting for the headteacher")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    sign_in(page, live_server, "head")
    page.goto(f"{live_server.url}/requests/decisions")
    ready_to_keep(page, live_server.app.people["head"])
    expect(page.get_by_role("heading", name="Mobile phone for Dan Roofer (Kent Roofing Ltd)")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Approve").check()
    page.get_by_label("Conditions").fill("Before 8:30 or after 15:30 only, with no learners in the hall.")
    page.get_by_role("button", name="Record decision").click()
    kept_then_sent(page)
    [decision] = rows(live_server, "SELECT * FROM decisions")
    assert decision["outcome"] == "approved" and decision["request_id"] == request["id"]
    sign_out(page)

    sign_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/requests/mine")
    expect(page.get_by_text("Before 8:30 or after 15:30 only, with no learners in the hall.")).to_be_visible()
    expect(page.locator(".tag-approved")).to_have_text("Approved")
    assert_accessible(page)
    page.goto(f"{live_server.url}/requests/in-force")
    expect(page.get_by_role("heading", name="Dan Roofer (Kent Roofing Ltd)")).to_be_visible()
    expect(page.get_by_text("Photos of the hall roof")).to_have_count(0)
    assert_accessible(page)


def open_the_form(page, live_server):
    page.goto(f"{live_server.url}/requests/new")
    ready_to_keep(page, live_server.app.people["staff"])


def choose_a_forbidden_place(page):
    page.get_by_label("Myself").check()
    page.get_by_label("Device").select_option("phone")
    page.get_by_label("Staying reachable for an emergency").check()
    page.get_by_label("A few words about it").fill("Waiting for a call from the GP.")
    page.get_by_label("Where on site").select_option("changing_rooms")
    page.get_by_label("From").fill(school_time(timedelta(minutes=5)))
    page.get_by_label("Until").fill(school_time(timedelta(hours=1)))
    page.get_by_role("button", name="Send to the headteacher").click()


def test_a_forbidden_request_is_refused_on_the_spot_and_recorded(page, live_server):
    sign_in(page, live_server, "staff")
    open_the_form(page, live_server)
    choose_a_forbidden_place(page)
    panel = page.locator("[data-refusal-panel]")
    expect(panel).to_contain_text("clause 5.1.4")
    expect(panel).to_contain_text("recorded as refused")
    expect(page.get_by_label("A few words about it")).to_have_value("Waiting for a call from the GP.")
    assert [r["refused_rule"] for r in rows(live_server, "SELECT * FROM device_requests")] == ["restricted_area"]
    assert page.evaluate("""async () => (await (await import("outbox")).waiting()).count""") == 0
    assert_accessible(page)


def test_offline_the_phone_explains_the_refusal_itself(page, context, live_server):
    sign_in(page, live_server, "staff")
    open_the_form(page, live_server)
    context.set_offline(True)
    choose_a_forbidden_place(page)
    panel = page.locator("[data-refusal-panel]")
    expect(panel).to_contain_text("clause 5.1.4")
    expect(panel).to_contain_text("Nothing has been saved")
    expect(page.get_by_label("A few words about it")).to_have_value("Waiting for a call from the GP.")
    assert rows(live_server, "SELECT * FROM device_requests") == []
    assert page.evaluate("""async () => (await (await import("outbox")).waiting()).count""") == 0
    assert_accessible(page)


def test_declining_without_a_reason_is_stopped_before_it_is_kept(page, live_server):
    from tests.permissions.conftest import insert_request
    db = connect(live_server.app.config["DATABASE"])
    insert_request(db, live_server.app.people["staff"])
    db.conn.close()
    sign_in(page, live_server, "head")
    page.goto(f"{live_server.url}/requests/decisions")
    ready_to_keep(page, live_server.app.people["head"])
    page.get_by_label("Decline").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Give a reason for declining or withdrawing.")
    assert page.evaluate("""async () => (await (await import("outbox")).waiting()).count""") == 0
    assert_accessible(page)

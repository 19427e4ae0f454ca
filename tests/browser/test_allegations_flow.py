"""On a phone: a concern about the head reaches the chair alone; the whistleblowing pages open offline."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD


def sign_in_as(page, live_server, email):
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login"))


def make_chair(app):
    from webapp.auth.store import create_user
    from webapp.db import connect
    db = connect(app.config["DATABASE"])
    try:
        create_user(db, "chair@test.school", "Carol Chair", PASSWORD, ["chair"])
    finally:
        db.conn.close()


def test_a_teacher_logs_a_concern_about_the_head_and_only_the_chair_finds_it(page, live_server, tmp_path):
    make_chair(live_server.app)
    sign_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/concerns/new")
    about_head = page.get_by_label("It is about the headteacher")
    expect(about_head).to_be_hidden()  # asked only once a member of staff is involved
    page.get_by_label("Staff contact from a personal device").check()
    page.get_by_label("Where did it happen?").fill("Staffroom")
    page.get_by_label("What happened?").fill("Messaged a parent from a personal phone late at night.")
    page.get_by_label("A member of staff is involved").check()
    expect(about_head).to_be_visible()
    about_head.check()
    assert_accessible(page)
    page.get_by_role("button", name="Send to the DSLs").click()
    expect(page.locator("[data-saved-note]")).to_have_text(  # the phone knows where it went, not only that it did
        re.compile(r"^Sent — concern number \d+ is kept for the chair of governors alone\. My concerns$"))
    page.screenshot(path=str(tmp_path / "logged.png"), full_page=True)
    sign_out(page)

    for who in ("head", "dsl"):
        sign_in(page, live_server, who)
        page.goto(f"{live_server.url}/concerns/queue")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.get_by_text("Messaged a parent")).to_have_count(0)
        expect(page.locator('a[href="/concerns/1"]')).to_have_count(0)
        response = page.goto(f"{live_server.url}/concerns/1")
        assert response.status == 404
        sign_out(page)

    sign_in_as(page, live_server, "chair@test.school")
    expect(page.get_by_role("heading", name="Allegations waiting for the LADO")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Concern queue").click()
    page.locator('a[href="/concerns/1"]').click()
    expect(page.get_by_text("About the headteacher: for the chair of governors")).to_be_visible()
    expect(page.get_by_text("Messaged a parent from a personal phone late at night.")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "chair-case.png"), full_page=True)


def test_the_whistleblowing_pages_open_offline_signed_out(page, context, live_server):
    page.goto(f"{live_server.url}/login")
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    footer = page.locator("footer")
    expect(footer.get_by_role("link", name=re.compile("Whistleblowing"))).to_be_visible()
    context.set_offline(True)
    page.goto(f"{live_server.url}/whistleblowing")
    expect(page.get_by_role("heading", level=1)).to_have_text("Raising a concern about a DSL or the headteacher")
    expect(page.get_by_role("link", name="0800 028 0285")).to_be_visible()
    assert_accessible(page)
    page.locator("footer").get_by_role("link", name=re.compile("Key details")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Key details")
    expect(page.get_by_text("Diane Lead")).to_be_visible()
    assert_accessible(page)


def test_what_an_admin_edits_reaches_the_phone_for_offline_reading(page, context, live_server):
    sign_in(page, live_server, "admin")
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.goto(f"{live_server.url}/whistleblowing/edit")
    page.get_by_label("The school's whistleblowing procedure").fill("Speak to the chair of governors, Mrs Chair.")
    page.get_by_role("button", name="Save the procedures").click()
    expect(page.get_by_text("Speak to the chair of governors, Mrs Chair.")).to_be_visible()
    context.set_offline(True)
    page.goto(f"{live_server.url}/whistleblowing")
    expect(page.get_by_text("Speak to the chair of governors, Mrs Chair.")).to_be_visible()
    assert "Ada Admin" not in page.content()


def test_the_admin_pages_for_procedures_and_key_details_are_accessible(page, live_server):
    sign_in(page, live_server, "admin")
    expect(page.locator("[data-no-chair]")).to_contain_text("Nobody holds the chair of governors")
    assert_accessible(page)
    page.goto(f"{live_server.url}/key-details/edit")
    page.get_by_label("Phone extension").first.fill("call me")
    page.get_by_role("button", name=re.compile("Save")).first.click()
    expect(page.locator(".notice-error")).to_contain_text("Use digits only")
    expect(page.get_by_label("Phone extension").first).to_have_value("call me")  # kept to correct
    assert_accessible(page)
    page.get_by_label("Title").first.fill("Deputy DSL")
    page.get_by_label("Phone extension").first.fill("214")
    page.get_by_role("button", name=re.compile("Save")).first.click()
    expect(page.locator(".notice-success")).to_contain_text("Details saved")
    page.goto(f"{live_server.url}/key-details")
    expect(page.get_by_text("extension 214")).to_be_visible()
    page.goto(f"{live_server.url}/whistleblowing/edit")
    assert_accessible(page)

"""The chair of governors, who alone sees a concern about the headteacher, reads it with no signal too."""
from playwright.sync_api import expect

from tests.browser.phone import DUMP_PHONE, pulled_ready, ready_offline
from tests.concerns.conftest import Concerns
from tests.conftest import PASSWORD, Auth
from webapp.db import connect


def test_the_chair_reads_a_concern_about_the_head_offline(page, context, live_server):
    app, url = live_server.app, live_server.url
    db = connect(app.config["DATABASE"])
    try:
        from webapp.auth import store
        store.create_user(db, "chair@test.school", "Carol Chair", PASSWORD, ["chair"])
    finally:
        db.conn.close()
    client = app.test_client()
    concern_id = Concerns(client, Auth(client)).log("staff", {
        "account": "CHAIR-1 the head messaged a parent from a personal phone", "about_head": "y",
        "category": "staff_personal_contact", "staff_involved": "y"})
    page.goto(f"{url}/login")
    page.get_by_label("Email address").fill("chair@test.school")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/")
    ready_offline(page)
    pulled_ready(page)
    assert "CHAIR-1" not in page.evaluate(DUMP_PHONE)  # kept encrypted
    context.set_offline(True)
    page.goto(f"{url}/concerns/{concern_id}")
    case = page.locator("[data-offline-case]")
    expect(case).to_contain_text("CHAIR-1 the head messaged a parent")
    expect(case).to_contain_text("Sally Staff")

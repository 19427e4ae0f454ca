"""On a phone: a DSL links a pupil to a concern, gives a teacher an action, replies to the teacher and
prints the child's chronology; the teacher then sees the action and the reply."""
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pypdf
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.phone import sign_out
from tests.conftest import Auth
from tests.concerns.conftest import Concerns
from tests.learners.conftest import pupil_csv


def seed(live_server, tmp_path):
    """Import the class list and have the teacher log a concern, through the real command and form."""
    app = live_server.app
    (tmp_path / "class.csv").write_bytes(pupil_csv())
    result = app.test_cli_runner().invoke(args=["import-learners", str(tmp_path / "class.csv")])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    return Concerns(client, Auth(client)).log("staff", {"learners": "Ollie in 4B",
                                                       "account": "Ollie was sent a cruel message."})


def test_a_dsl_links_a_pupil_and_prints_the_chronology_and_the_teacher_sees_action_and_reply(
        page, live_server, tmp_path):
    concern_id = seed(live_server, tmp_path)
    today = datetime.now(ZoneInfo("Europe/London")).date().isoformat()
    sign_in(page, live_server, "dsl")
    page.goto(f"{live_server.url}/concerns/{concern_id}")
    page.get_by_label("Find a pupil by name or UPN").fill("oliver")
    page.get_by_role("button", name="Find", exact=True).click()
    expect(page.locator(".found-pupils")).to_contain_text("Year 4, class 4C")
    page.get_by_role("button", name="Link Ollie Smith, year 4, class 4B").click()
    expect(page.get_by_text("Ollie Smith is linked to this concern.")).to_be_visible()
    assert_accessible(page)

    page.get_by_text("Add an action").click()
    page.get_by_label("What needs doing").fill("Check in with Ollie at lunchtime")
    page.get_by_label("Who will do it").select_option(label="Sally Staff")
    page.get_by_label("Due by").fill(today)
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("Action added.")).to_be_visible()
    page.get_by_label("Your reply").fill("Thank you, this is being dealt with.")
    page.get_by_role("button", name="Send the reply").click()
    expect(page.get_by_text("Reply sent")).to_be_visible()

    page.locator(".linked-pupils").get_by_role("link").click()
    expect(page.get_by_role("heading", name="Ollie Smith", exact=True)).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "record.png"), full_page=True)
    link = page.get_by_role("link", name="Print the chronology (PDF)")
    pdf = page.request.get(live_server.url + link.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(pdf.body())).pages)
    for expected in ("CONFIDENTIAL", "Exported by Diane Lead", "Chronology of Ollie Smith",
                     "Ollie was sent a cruel message.", "Check in with Ollie at lunchtime", "Owner: Sally Staff"):
        assert expected in text, expected
    sign_out(page)

    sign_in(page, live_server, "staff")
    actions = page.locator("#my-actions + .actions-list")
    expect(actions).to_contain_text("Check in with Ollie at lunchtime")
    expect(actions).to_contain_text("Due today")
    assert_accessible(page)
    page.goto(f"{live_server.url}/concerns/mine")
    expect(page.get_by_text("Thank you, this is being dealt with.")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/actions")
    assert_accessible(page)
    page.locator(".actions-list").get_by_role("button", name="Mark done").click()
    expect(page.get_by_text("You have no open actions.")).to_be_visible()

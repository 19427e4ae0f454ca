"""The governing body's report on a phone, accessible, and printed to a clean A4 PDF by Chromium."""
import io

import pypdf
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_concerns_flow import ready_to_keep, sent, sign_out
from tests.governance.conftest import add_concern, add_version
from webapp.db import connect

HEADINGS = ["Report for the governing body", "Concerns by category", "Concerns by month logged",
            "How quickly concerns were dealt with", "Open cases by age", "Requests to use a personal device",
            "The policy itself (today)"]


def seed(live_server):
    db = connect(live_server.app.config["DATABASE"])
    people = live_server.app.people
    add_version(db, people, written="2026-07-01", effective="2026-09-01", review="2027-07-01")
    for at in ("2026-09-10T09:00:00Z", "2026-10-10T09:00:00Z", "2026-10-20T09:00:00Z"):
        add_concern(db, people, "restricted_area", at, [("note", at)])
    add_concern(db, people, "school_device", "2026-11-02T09:00:00Z")
    db.conn.close()


def test_a_governor_prints_the_termly_report_to_a4(page, live_server):
    seed(live_server)
    sign_in(page, live_server, "governor")
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Report for the governing body")).to_be_visible()
    page.get_by_label("From", exact=True).fill("2026-09-01")
    page.get_by_label("To", exact=True).fill("2026-12-31")
    page.get_by_role("button", name="Show this period").click()
    expect(page.get_by_role("img", name="Concerns by category", exact=True)).to_be_visible()
    assert_accessible(page)
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert abs(width - 595) < 2 and abs(height - 842) < 2  # A4 in points
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for heading in HEADINGS:
        assert heading in text, heading
    assert "1 September 2026 to 31 December 2026" in text
    assert "Device used in a no-phone area" in text and "fewer than 3" in text
    for control in ("Hide screen", "Sign out", "Show this period", "Download these tables"):
        assert control not in text, f"{control} is printed"
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_governance_pages_have_no_accessibility_violations(page, live_server):
    seed(live_server)
    sign_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/policy")
    expect(page.get_by_role("heading", name="Acknowledge this version")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Tick the box to confirm you have read it.").first).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/declarations/new")
    ready_to_keep(page, live_server.app.people["staff"])
    page.get_by_role("button", name="Send my declaration").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("A neighbour").check()
    page.get_by_label("Who is it with?").fill("The parent of a learner in Year 4")
    page.get_by_role("button", name="Send my declaration").click()
    sent(page)  # kept on the phone, then delivered through the outbox
    db = connect(live_server.app.config["DATABASE"])
    assert db.execute("SELECT with_whom, source FROM declarations").fetchall() == [
        ("The parent of a learner in Year 4", "phone")]
    db.conn.close()
    page.goto(f"{live_server.url}/declarations/mine")
    assert_accessible(page)
    sign_out(page)
    sign_in(page, live_server, "head")
    for path in ("/declarations", "/declarations/1", "/policy/acknowledgements", "/reports"):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)

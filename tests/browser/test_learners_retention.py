"""On a phone: an admin uploads the school's pupil list from SIMS, and the headteacher, once a record
is past its review date, decides to destroy it, sees what will go, and confirms."""
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.phone import rows, sign_out
from tests.conftest import Auth
from tests.concerns.conftest import Concerns
from tests.learners.conftest import CLASS, pupil_csv


def test_an_admin_uploads_the_list_and_the_head_destroys_a_record_past_review(page, live_server, tmp_path):
    app = live_server.app
    csv = tmp_path / "class.csv"
    csv.write_bytes(pupil_csv(CLASS + ["A123456789020,O'Brien,Zo\u00eb,,05/06/2018,3,3A,"], encoding="cp1252"))
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/learners/import")
    page.get_by_label("The pupil list (CSV)").set_input_files(str(csv))
    page.get_by_role("button", name="Check the list").click()
    expect(page.locator('[data-count="new"]')).to_have_text("5")
    assert_accessible(page)
    page.get_by_role("button", name="Import 5 pupils").click()
    expect(page.get_by_text("Pupil list imported: 5 new")).to_be_visible()
    assert rows(app, "SELECT forename FROM learners WHERE upn = 'A123456789020'") == [{"forename": "Zo\u00eb"}]
    sign_out(page)

    # Years later: Aisha's record is past its review date, with one case about her alone.
    with app.app_context():
        from webapp.db import get_db
        db = get_db()
        db.execute("UPDATE learners SET dob = '2000-01-10' WHERE upn = 'A123456789015'")
        db.conn.commit()
    client = app.test_client()
    concern_id = Concerns(client, Auth(client)).log("staff", {"account": "Aisha was sent a cruel message."})
    aisha = rows(app, "SELECT id FROM learners WHERE upn = 'A123456789015'")[0]["id"]
    Auth(client).login("dsl")
    from tests.learners.conftest import Pupils
    assert Pupils(app, client, tmp_path).link(concern_id, aisha).status_code == 302

    sign_in(page, live_server, "head")
    page.goto(f"{live_server.url}/learners/{aisha}")
    page.get_by_text("Record the review decision").click()
    page.get_by_label("Decision", exact=True).select_option(label="Destroy the record")
    page.get_by_label("Date of the decision").fill("2026-12-01")
    page.get_by_label("Reason").fill("Past the retention period; no hold.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", name="Destroy the record of Aisha Khan")).to_be_visible()
    expect(page.get_by_text(f"concern {concern_id}")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "destroy.png"), full_page=True)
    page.get_by_role("button", name="Destroy the record now").click()
    expect(page.get_by_text("Tick the box to confirm").first).to_be_visible()
    assert rows(app, "SELECT count(*) AS n FROM concerns WHERE id = ?", [concern_id]) == [{"n": 1}]
    page.get_by_label("I understand that this cannot be undone").check()
    page.get_by_role("button", name="Destroy the record now").click()
    expect(page.get_by_role("heading", name="This record was destroyed")).to_be_visible()
    assert_accessible(page)
    assert rows(app, "SELECT count(*) AS n FROM concerns WHERE id = ?", [concern_id]) == [{"n": 0}]
    page.goto(f"{live_server.url}/concerns/queue")
    expect(page.get_by_text("Aisha was sent a cruel message.")).to_have_count(0)

"""Closing a case: outcome, lessons learnt and the category's required actions, or an override."""
import pytest

from webapp.concerns.categories import CATEGORIES, required_before_close

ENTRY = {
    "head_informed": {"body": "Told the head in person."},
    "police_contacted": {"body": "Rang 101.", "reference": "KC-2026-1234"},
    "lado_informed": {"body": "Referral sent to the LADO."},
    "visitor_challenged": {"body": "Contractor told the rules and signed the visitor sheet."},
    "behaviour_action": {"body": "Anti-bullying plan agreed."},
}


@pytest.fixture
def as_dsl(auth):
    def open_case(concerns, category):
        concern_id = concerns.log("staff", {"category": category})
        auth.login("dsl")
        return concern_id
    return open_case


def status(db, concern_id):
    return db.execute("SELECT status FROM concern_state WHERE concern_id = ?", [concern_id]).fetchone()[0]


@pytest.mark.parametrize("cat", CATEGORIES, ids=[c.key for c in CATEGORIES])
def test_closing_needs_outcome_lessons_and_the_category_actions(client, concerns, db, as_dsl, cat):
    concern_id = as_dsl(concerns, cat.key)
    response = concerns.add(concern_id, "closed")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "This case cannot close yet" in html
    assert "an outcome" in html and "lessons learnt" in html
    assert status(db, concern_id) == "received"
    outcome = {"allegation_outcome": "unfounded"} if cat.against_staff else {}
    assert concerns.add(concern_id, "outcome", body="Dealt with.", **outcome).status_code == 302
    concerns.add(concern_id, "lessons_learnt", body="None: the rules worked.")
    for kind in required_before_close(cat.key, cat.against_staff):
        response = concerns.add(concern_id, "closed")
        assert "This case cannot close yet" in response.get_data(as_text=True)
        assert status(db, concern_id) == "in_progress"
        assert concerns.add(concern_id, kind, **ENTRY[kind]).status_code == 302
    page = client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "you can close the case" in page
    assert concerns.add(concern_id, "closed", body="All done.").status_code == 302
    assert status(db, concern_id) == "closed"


@pytest.mark.parametrize("cat", [c for c in CATEGORIES if c.required], ids=lambda c: c.key)
def test_the_case_page_lists_what_is_still_missing(client, concerns, as_dsl, cat):
    concern_id = as_dsl(concerns, cat.key)
    html = client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "Before this case can close, record:" in html
    expected = {"behaviour_action": "behaviour or anti-bullying action taken", "head_informed": "headteacher informed",
                "police_contacted": "police contacted, with the police reference",
                "lado_informed": "LADO informed", "visitor_challenged": "visitor challenged and told the rules"}
    for kind in cat.required:
        assert f"<li>{expected[kind]}</li>" in html


def test_police_contact_needs_a_reference(concerns, db, as_dsl):
    concern_id = as_dsl(concerns, "illegal_content")
    response = concerns.add(concern_id, "police_contacted", body="Rang 101")
    assert "Enter the police reference number." in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM case_events").fetchone()[0] == 0


def test_lessons_learnt_of_none_must_say_why(concerns, db, as_dsl):
    concern_id = as_dsl(concerns, "restricted_area")
    response = concerns.add(concern_id, "lessons_learnt", body="None")
    assert "If there are no lessons to learn, say why" in response.get_data(as_text=True)
    assert concerns.add(concern_id, "lessons_learnt", body="None: rule followed.").status_code == 302


def test_an_override_reason_closes_a_case_without_the_usual_entries(concerns, db, as_dsl):
    concern_id = as_dsl(concerns, "illegal_content")
    response = concerns.add(concern_id, "closing_override", body="")
    assert "Give the reason for closing without the usual entries." in response.get_data(as_text=True)
    concerns.add(concern_id, "closing_override", body="Duplicate of concern 3, which holds the record.")
    assert concerns.add(concern_id, "closed").status_code == 302
    assert status(db, concern_id) == "closed"


def test_a_closed_case_cannot_close_again_but_can_take_notes_and_reopen(concerns, db, as_dsl):
    concern_id = as_dsl(concerns, "school_device")
    concerns.add(concern_id, "closing_override", body="Device found the same day.")
    concerns.add(concern_id, "closed")
    assert "already closed" in concerns.add(concern_id, "closed").get_data(as_text=True)
    assert concerns.add(concern_id, "note", body="Later: passcode now set.").status_code == 302
    assert status(db, concern_id) == "closed"
    assert concerns.add(concern_id, "status_change", status="in_progress").status_code == 302
    assert status(db, concern_id) == "in_progress"


def test_closing_through_a_status_change_follows_the_same_rules(concerns, db, as_dsl):
    concern_id = as_dsl(concerns, "restricted_area")
    assert "cannot close yet" in concerns.add(concern_id, "status_change", status="closed").get_data(as_text=True)
    assert status(db, concern_id) == "received"


@pytest.mark.parametrize("fields, message", [
    ({"kind": "dance"}, "Choose one of the kinds of entry listed."),
    ({"kind": "note", "body": ""}, "Write the details for \u2018Note\u2019."),
    ({"kind": "assignment"}, "Choose who to assign this case to."),
    ({"kind": "assignment", "assignee_id": "1"}, "Choose one of the DSLs listed."),
    ({"kind": "status_change", "status": ""}, "Choose the new status."),
    ({"kind": "status_change", "status": "lost"}, "Choose received, being dealt with or closed."),
    ({"kind": "note", "body": "x" * 5001}, "Use at most 5,000 characters."),
])
def test_bad_entries_are_refused_and_keep_what_was_typed(concerns, db, as_dsl, fields, message):
    concern_id = as_dsl(concerns, "restricted_area")
    response = concerns.add(concern_id, **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html and "There is a problem" in html
    assert db.execute("SELECT count(*) FROM case_events").fetchone()[0] == 0


def test_assignment_sets_the_assignee(client, concerns, db, as_dsl):
    concern_id = as_dsl(concerns, "restricted_area")
    dsl2 = client.application.people["dsl2"]
    assert concerns.add(concern_id, "assignment", assignee_id=dsl2).status_code == 302
    row = db.execute("SELECT assignee_id, status FROM concern_state").fetchone()
    assert tuple(row) == (dsl2, "in_progress")
    assert "Assigned to Derek Deputy" in client.get(f"/concerns/{concern_id}").get_data(as_text=True)

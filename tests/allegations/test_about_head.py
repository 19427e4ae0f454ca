"""A concern about the headteacher reaches the chair of governors alone, who works it and may share it."""
from tests.conftest import PEOPLE

from .conftest import SECRET

HEAD_CASE = {"account": SECRET, "category": "staff_personal_contact", "staff_involved": "y", "about_head": "y"}
EVERYONE_ELSE = ["staff", "staff2", "dsl", "dsl2", "head", "governor", "admin"]


def recipients(mailbox):
    return {to for m in mailbox.messages for to in m["to"]}


def test_only_the_chair_is_emailed_and_sees_it(client, auth, concerns, chair, mailbox, db):
    concern_id = concerns.log("staff", HEAD_CASE)
    assert recipients(mailbox) == {chair[0]}
    body = mailbox.messages[0]["body"]
    assert f"/concerns/{concern_id}" in body and "Staff contact from a personal device" in body
    assert SECRET not in body and "Sally Staff" not in body
    for who in EVERYONE_ELSE:
        auth.login(who)
        response = client.get(f"/concerns/{concern_id}")
        assert response.status_code in (403, 404) and SECRET not in response.get_data(as_text=True), who
        if response.status_code == 404:
            assert f'href="/concerns/{concern_id}"' not in client.get("/concerns/queue").get_data(as_text=True)
            assert [c for c in client.get("/api/sync/pull").get_json()["changes"] if c["type"] == "concern"] == []
        auth.logout()
    auth.login(chair[0])
    assert f'href="/concerns/{concern_id}"' in client.get("/concerns/queue").get_data(as_text=True)
    html = client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert SECRET in html and "About the headteacher: for the chair of governors" in html
    assert [c["id"] for c in client.get("/api/sync/pull").get_json()["changes"] if c["type"] == "concern"] == [
        concern_id]


def test_the_chair_works_the_case_and_cannot_close_it_before_the_lado(client, auth, concerns, chair, db):
    concern_id = concerns.log("staff", HEAD_CASE)
    auth.login(chair[0])
    concerns.add(concern_id, "outcome", body="Investigated.", allegation_outcome="unsubstantiated")
    concerns.add(concern_id, "lessons_learnt", body="None: the procedure was followed.")
    refused = concerns.add(concern_id, "closed").get_data(as_text=True)
    assert "This case cannot close yet" in refused and "LADO consulted (within one working day)" in refused
    assert concerns.add(concern_id, "lado_informed", body="Rang the LADO the same morning.").status_code == 302
    assert concerns.add(concern_id, "closed").status_code == 302
    assert db.execute("SELECT status FROM concern_state").fetchone()[0] == "closed"


def test_the_chair_can_share_it_with_a_named_dsl_but_never_the_head(client, auth, concerns, chair, db, app):
    concern_id = concerns.log("staff", HEAD_CASE)
    auth.login(chair[0])
    html = client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assignees = html.split('id="assignee_id"')[1].split("</select>")[0]
    assert "Helen Head" not in assignees and "Derek Deputy" in assignees
    assert concerns.add(concern_id, "assignment", assignee_id=app.people["head"]).status_code == 200
    assert concerns.add(concern_id, "assignment", assignee_id=app.people["dsl2"]).status_code == 302
    auth.logout()
    for who, status in [("dsl2", 200), ("dsl", 404), ("head", 404)]:
        auth.login(who)
        assert client.get(f"/concerns/{concern_id}").status_code == status, who
        auth.logout()


def test_a_chair_opening_an_ordinary_case_is_told_plainly(client, auth, concerns, chair):
    concern_id = concerns.log("staff", {"account": SECRET})
    auth.login(chair[0])
    response = client.get(f"/concerns/{concern_id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and SECRET not in html
    assert "There is no case with this number that you can open." in html
    assert "you see only the concerns about the headteacher" in html
    assert client.get("/concerns/99999").get_data(as_text=True).count("There is no case with this number") == 1


def test_with_no_chair_the_form_says_so_and_the_concern_waits(client, auth, concerns, mailbox, person, db):
    auth.login("staff")
    assert "Nobody holds the chair of governors" in client.get("/concerns/new").get_data(as_text=True)
    response = concerns.post_concern(HEAD_CASE)
    assert response.status_code == 302
    assert "waits for them" in client.get("/concerns/mine").get_data(as_text=True)
    auth.logout()
    assert recipients(mailbox) == set()
    concern_id = concerns.last_id()
    email, _ = person(["chair"], name="New Chair", email="newchair@test.school")
    auth.login(email)
    assert SECRET in client.get(f"/concerns/{concern_id}").get_data(as_text=True)


def test_the_form_does_not_mention_a_missing_chair_once_there_is_one(client, auth, chair):
    auth.login("staff")
    assert "Nobody holds the chair of governors" not in client.get("/concerns/new").get_data(as_text=True)


def test_a_concern_about_the_head_from_a_phone_goes_to_the_chair_alone(app, db, chair, mailbox):
    from webapp.auth.store import get_user
    from webapp.concerns.sync import KINDS
    with app.test_request_context():
        with db.atomic():
            result = KINDS["concern"](db, {"category": "other_online_safety", "occurred_at": "2026-11-25T09:00:00Z",
                                           "location": "Hall", "account": SECRET, "about_head": True},
                                      get_user(db, app.people["staff"]), {"item_id": "item-1"})
    assert "ref" in result
    row = db.execute("SELECT about_head, staff_involved, flagged_for_head FROM concerns").fetchone()
    assert tuple(row) == (1, 1, 1)
    assert recipients(mailbox) == {chair[0]}
    assert PEOPLE["head"][0] not in recipients(mailbox)

"""A member of staff a concern is about never sees it, whatever roles they hold; others see what their role allows."""
import pytest

from tests.conftest import PEOPLE

from .conftest import SEARCH_WORD, SECRET, allegation

COMBINATIONS = [("staff",), ("staff", "dsl"), ("staff", "head"), ("staff", "dsl", "admin"),
                ("staff", "head", "admin"), ("admin",), ("staff", "dsl", "head", "admin"),
                ("staff", "governor"), ("staff", "dsl", "governor")]
CASE_ROLES = {"dsl", "head", "chair"}


def case_worker(roles):
    return bool(CASE_ROLES & set(roles))


@pytest.fixture
def case_about(client, auth, concerns, person, chair, mailbox):
    """A concern about X (holding `roles`): about the head when X is the head; return (id, X)."""
    def make(roles):
        email, x_id = person(roles)
        head_case = "head" in roles
        concern_id = allegation(concerns, auth, client, chair[0] if head_case else "dsl", x_id, head_case)
        auth.login("head" if not head_case else chair[0])  # someone else works the case: audit lines exist
        client.get(f"/concerns/{concern_id}")
        auth.logout()
        return concern_id, email
    return make


@pytest.mark.parametrize("roles", COMBINATIONS, ids=["+".join(r) for r in COMBINATIONS])
def test_the_subject_sees_nothing_of_the_case(client, auth, db, case_about, mailbox, roles):
    concern_id, email = case_about(roles)
    auth.login(email)
    hidden = 404 if case_worker(roles) else 403
    for path in (f"/concerns/{concern_id}", f"/concerns/{concern_id}/pictures/1",
                 f"/concerns/{concern_id}/chronology.pdf", f"/concerns/{concern_id}/chronology.pdf?pictures=1"):
        response = client.get(path)
        assert response.status_code == hidden, path
        assert SECRET not in response.get_data(as_text=True)
    for query in ("", f"?q={SEARCH_WORD}", "?status=open", "?category=staff_personal_contact"):
        response = client.get(f"/concerns/queue{query}")
        assert response.status_code == (200 if case_worker(roles) else 403)
        html = response.get_data(as_text=True)
        assert f'href="/concerns/{concern_id}"' not in html and SECRET not in html
    changes = client.get("/api/sync/pull").get_json()["changes"]
    assert [c for c in changes if c["type"] == "concern" and c["id"] == concern_id] == []
    if {"head", "chair"} & set(roles):
        log = client.get("/audit").get_data(as_text=True)
        assert f"<td>Concern {concern_id}</td>" not in log
    token = auth.csrf("/")
    before = db.execute("SELECT count(*) FROM case_events").fetchone()[0]
    response = client.post(f"/concerns/{concern_id}", data={"csrf_token": token, "concern_id": concern_id,
                                                             "kind": "note", "body": "I was never here"})
    assert response.status_code == hidden
    if case_worker(roles):
        response = client.post("/concerns/entry", data={"csrf_token": token, "concern_id": concern_id,
                                                         "kind": "note", "body": "I was never here"})
        assert "There is no such case" in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM case_events").fetchone()[0] == before
    assert email not in {to for m in mailbox.messages for to in m["to"]}


@pytest.mark.parametrize("roles", [("staff", "dsl"), ("staff", "head", "admin")], ids=["dsl", "head+admin"])
def test_the_subject_still_sees_their_own_reports_and_other_cases(client, auth, concerns, case_about, roles):
    concern_id, email = case_about(roles)
    auth.login(email)
    token = auth.csrf("/concerns/new")
    from tests.concerns.conftest import REPORT, school_time
    response = client.post("/concerns/new", data={**REPORT, "occurred_at": school_time(), "csrf_token": token})
    assert response.status_code == 302
    mine = concerns.last_id()
    assert f"<td>{mine}</td>" in client.get("/concerns/mine").get_data(as_text=True)
    assert client.get(f"/concerns/{mine}").status_code == 200
    queue = client.get("/concerns/queue").get_data(as_text=True)
    assert f'href="/concerns/{mine}"' in queue and f'href="/concerns/{concern_id}"' not in queue


def test_other_case_workers_see_a_case_about_a_dsl(client, auth, case_about, chair):
    concern_id, _ = case_about(("staff", "dsl"))
    for who, status in [("dsl2", 200), ("head", 200), (chair[0], 404), ("governor", 403), ("staff2", 403)]:
        auth.login(who)
        response = client.get(f"/concerns/{concern_id}")
        assert response.status_code == status, who
        assert (SECRET in response.get_data(as_text=True)) == (status == 200)
        auth.logout()


def test_the_case_page_names_the_subject_for_those_who_may_see_it(client, auth, case_about):
    concern_id, _ = case_about(("staff", "dsl"))
    auth.login("dsl2")
    html = client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "Xavier Accused" in html and "Member of staff this concern is about" in html


def test_others_still_see_the_audit_lines_the_subject_cannot(client, auth, case_about):
    concern_id, email = case_about(("staff", "dsl", "governor"))
    auth.login("head")
    assert f"<td>Concern {concern_id}</td>" in client.get("/audit").get_data(as_text=True)


def test_a_subject_is_never_offered_as_assignee_nor_accepted(client, auth, concerns, case_about, db):
    concern_id, email = case_about(("staff", "dsl"))
    x_id = db.execute("SELECT id FROM users WHERE email = ?", [email]).fetchone()[0]
    auth.login("dsl2")
    html = client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert f'<option value="{x_id}">' not in html.split('id="assignee_id"')[1].split("</select>")[0]
    response = concerns.add(concern_id, "assignment", assignee_id=x_id)
    assert response.status_code == 200
    assert db.execute("SELECT count(*) FROM case_events WHERE kind = 'assignment'").fetchone()[0] == 0


def test_emails_about_a_case_never_reach_its_subject_even_as_head(client, auth, concerns, person, mailbox):
    # an allegation (staff involved) goes to the head alone, so a DSL it may be about is never emailed
    email, _ = person(("staff", "dsl"))
    concerns.log("staff", {"category": "staff_images_of_learners", "staff_involved": "y"})
    assert {to for m in mailbox.messages for to in m["to"]} == {PEOPLE["head"][0]}


def test_the_head_named_on_an_ordinary_case_sees_nothing_of_it(client, auth, concerns, person, mailbox):
    email, x_id = person(("staff", "head", "admin"))
    concern_id = allegation(concerns, auth, client, "dsl", x_id)
    auth.login(email)
    assert client.get(f"/concerns/{concern_id}").status_code == 404
    assert f'href="/concerns/{concern_id}"' not in client.get("/concerns/queue").get_data(as_text=True)
    assert f"<td>Concern {concern_id}</td>" not in client.get("/audit").get_data(as_text=True)
    assert [c for c in client.get("/api/sync/pull").get_json()["changes"] if c["id"] == concern_id] == []


def test_a_case_pulled_before_its_subject_was_named_leaves_their_phone(client, auth, concerns, person):
    from .conftest import link_subject
    email, x_id = person(("staff", "dsl"))
    concern_id = concerns.log("staff", {"account": SECRET, "staff_involved": "y"})
    auth.login(email)
    first = client.get("/api/sync/pull").get_json()
    assert [c["id"] for c in first["changes"] if c["type"] == "concern"] == [concern_id]
    auth.logout()
    auth.login("dsl")
    link_subject(client, concerns, concern_id, x_id)
    auth.logout()
    auth.login(email)
    later = client.get("/api/sync/pull", query_string={"since": first["cursor"]}).get_json()["changes"]
    assert [c for c in later if c["type"] == "concern"] == [
        {"type": "concern", "id": concern_id, "changed_at": later[0]["changed_at"], "removed": True}]
    assert [c for c in client.get("/api/sync/pull").get_json()["changes"] if c["type"] == "concern"] == []


def test_a_childs_record_leaves_out_a_case_about_the_reader(app, client, auth, concerns, person, tmp_path):
    from tests.learners.conftest import Pupils
    from .conftest import link_subject
    pupils = Pupils(app, client, tmp_path)
    learner_id = pupils.load()["A123456789012"]
    email, x_id = person(("staff", "dsl"))
    about_x = concerns.log("staff", {"account": SECRET, "staff_involved": "y"})
    other = concerns.log("staff", {"account": "Another worry about Ollie"})
    auth.login("dsl")
    for concern_id in (about_x, other):
        assert pupils.link(concern_id, learner_id).status_code == 302
    link_subject(client, concerns, about_x, x_id)
    html = client.get(f"/learners/{learner_id}").get_data(as_text=True)
    assert SECRET in html and "Another worry about Ollie" in html
    auth.logout()
    auth.login(email)
    html = client.get(f"/learners/{learner_id}").get_data(as_text=True)
    assert SECRET not in html and f'href="/concerns/{about_x}"' not in html
    assert "Another worry about Ollie" in html


def test_the_chair_alone_exports_a_case_about_the_head(client, auth, concerns, chair, person):
    from tests.exports.conftest import pdf_text
    email, x_id = person(("staff", "head"))
    concern_id = allegation(concerns, auth, client, chair[0], x_id, about_head=True)
    for who, status in [("head", 404), ("dsl", 404), (email, 404), (chair[0], 200)]:
        auth.login(who)
        response = client.get(f"/concerns/{concern_id}/chronology.pdf")
        assert response.status_code == status, who
        auth.logout()
    auth.login(chair[0])
    assert SECRET in pdf_text(client.get(f"/concerns/{concern_id}/chronology.pdf").data)[0]


def test_an_action_on_a_case_about_the_reader_is_not_listed_for_them(client, auth, concerns, person, app):
    from datetime import date, timedelta
    from .conftest import link_subject
    email, x_id = person(("staff", "dsl"))
    concern_id = concerns.log("staff", {"account": SECRET, "staff_involved": "y"})
    auth.login("dsl")
    due = (date.today() + timedelta(days=3)).isoformat()
    response = concerns.add(concern_id, "action", body="Speak to the LADO today", assignee_id=app.people["dsl2"],
                            due_on=due)
    assert response.status_code == 302
    link_subject(client, concerns, concern_id, x_id)
    assert "Speak to the LADO today" in client.get("/actions").get_data(as_text=True)
    auth.logout()
    auth.login(email)
    assert "Speak to the LADO today" not in client.get("/actions").get_data(as_text=True)
    assert "Speak to the LADO today" not in client.get("/").get_data(as_text=True)

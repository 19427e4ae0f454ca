"""Declared relationships (5.2.3): declared by staff, agreed by a DSL or the head, confirmed yearly."""
import pytest
import time_machine

from webapp.governance import store

FORM = "/declarations/new"
GOOD = {"relationship": "neighbour", "with_whom": "The parent of a learner in Year 4",
        "details": "We chat over the fence and have each other's numbers."}


def declare(client, auth, **changes):
    data = {**GOOD, "csrf_token": auth.csrf(FORM), **changes}
    return client.post(FORM, data={k: v for k, v in data.items() if v is not None})


def count(db):
    return db.execute("SELECT count(*) FROM declarations").fetchone()[0]


def test_staff_declare_and_reviewers_are_told_without_details(client, auth, db, people, mailbox):
    auth.login("staff")
    form = client.get(FORM).get_data(as_text=True)
    assert 'data-outbox="declaration"' in form and "call 999" in form
    assert declare(client, auth).status_code == 302
    row = db.execute("SELECT declared_by, relationship, with_whom, source FROM declarations").fetchone()
    assert tuple(row) == (people["staff"], "neighbour", GOOD["with_whom"], "web")
    assert sorted(m["to"][0] for m in mailbox.messages) == [
        "dsl2@test.school", "dsl@test.school", "head@test.school"]
    assert all(GOOD["with_whom"] not in m["body"] and "Sally" not in m["body"] for m in mailbox.messages)
    assert GOOD["with_whom"] in client.get("/declarations/mine").get_data(as_text=True)


@pytest.mark.parametrize("changes, message", [
    ({"relationship": None}, "Choose what kind of relationship it is."),
    ({"relationship": "pen_pal"}, "Choose what kind of relationship it is."),
    ({"with_whom": "   "}, "Describe who the relationship is with."),
])
def test_a_declaration_with_no_relationship_described_is_refused(client, auth, db, changes, message):
    auth.login("staff")
    response = declare(client, auth, **changes)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert count(db) == 0


def test_a_dsl_records_the_arrangement_but_not_for_their_own(client, auth, db, people):
    auth.login("staff")
    declare(client, auth)
    declaration_id = db.execute("SELECT max(id) FROM declarations").fetchone()[0]
    auth.logout()
    auth.login("dsl")
    assert "Waiting for an arrangement (1)" in client.get("/declarations").get_data(as_text=True)
    url = f"/declarations/{declaration_id}"
    empty = client.post(url, data={"arrangement": "", "csrf_token": auth.csrf(url)})
    assert "Describe the arrangement" in empty.get_data(as_text=True)
    client.post(url, data={"arrangement": "Messages only about lifts.", "csrf_token": auth.csrf(url)})
    assert store.get_declaration(db, declaration_id)["arrangement"] == "Messages only about lifts."
    assert "Arrangements in place (1)" in client.get("/declarations").get_data(as_text=True)
    declare(client, auth)
    own = db.execute("SELECT max(id) FROM declarations").fetchone()[0]
    client.post(f"/declarations/{own}", data={"arrangement": "Fine by me.", "csrf_token": auth.csrf(url)})
    assert store.get_declaration(db, own)["arrangement"] is None


@pytest.mark.parametrize("who", ["staff", "governor", "admin"])
def test_only_dsls_and_the_head_review_declarations(client, auth, who):
    auth.login(who)
    assert client.get("/declarations").status_code == 403
    assert client.get("/declarations/1").status_code == 403


def test_reconfirmed_once_per_school_year(app, client, auth, db, people):
    with time_machine.travel("2026-10-01T12:00:00Z", tick=False):
        auth.login("staff")
        declare(client, auth)
        declaration_id = db.execute("SELECT max(id) FROM declarations").fetchone()[0]
        assert "Please confirm" not in client.get("/declarations/mine").get_data(as_text=True)
    with time_machine.travel("2027-08-31T12:00:00Z", tick=False):
        auth.login("dsl")
        assert "Not yet confirmed for 2026 to 2027 (0)" in client.get("/declarations").get_data(as_text=True)
    with time_machine.travel("2027-09-01T08:00:00Z", tick=False):
        auth.login("dsl")
        assert "Not yet confirmed for 2027 to 2028 (1)" in client.get("/declarations").get_data(as_text=True)
        auth.logout()
        auth.login("staff2")
        url = f"/declarations/{declaration_id}/confirm"
        assert client.post(url, data={"csrf_token": auth.csrf("/")}).status_code == 404
        auth.logout()
        auth.login("staff")
        assert "Please confirm for 2027 to 2028" in client.get("/declarations/mine").get_data(as_text=True)
        client.post(url, data={"csrf_token": auth.csrf("/declarations/mine")})
        client.post(url, data={"csrf_token": auth.csrf("/declarations/mine")})
        years = db.execute("SELECT school_year FROM declaration_confirmations ORDER BY 1").fetchall()
        assert [y[0] for y in years] == [2026, 2027]
        auth.logout()
        auth.login("dsl")
        assert "Not yet confirmed for 2027 to 2028 (0)" in client.get("/declarations").get_data(as_text=True)


def test_staff_say_when_a_relationship_has_ended(client, auth, db):
    auth.login("staff")
    declare(client, auth)
    declaration_id = db.execute("SELECT max(id) FROM declarations").fetchone()[0]
    client.post(f"/declarations/{declaration_id}/end", data={"csrf_token": auth.csrf("/declarations/mine")})
    assert store.get_declaration(db, declaration_id)["ended_at"] is not None
    auth.logout()
    auth.login("head")
    assert "Waiting for an arrangement (0)" in client.get("/declarations").get_data(as_text=True)

"""Who may see what: staff their own status only, DSLs and the head everything, others nothing."""
import pytest

from .conftest import png

ROLES = ["staff", "staff2", "dsl", "dsl2", "head", "governor", "admin"]
CASE_WORKERS = {"dsl", "dsl2", "head"}
STAFF = {"staff", "staff2", "dsl", "dsl2", "head"}


@pytest.fixture
def logged(concerns):
    """A concern by `staff` with one picture; return (concern id, attachment id)."""
    concern_id = concerns.log("staff", {"account": "Narrative only DSLs may read"}, files=[("a.png", png())])
    return concern_id, 1


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("path, allowed", [
    ("/concerns/new", STAFF), ("/concerns/mine", STAFF), ("/concerns/queue", CASE_WORKERS),
    ("/concerns/{id}", CASE_WORKERS), ("/concerns/{id}/pictures/1", CASE_WORKERS),
    ("/concerns/entry?concern={id}", CASE_WORKERS)])
def test_each_role_sees_only_what_it_may(client, auth, logged, who, path, allowed):
    auth.login(who)
    response = client.get(path.format(id=logged[0]))
    assert response.status_code == (200 if who in allowed else 403)
    if who not in CASE_WORKERS:
        assert "Narrative only DSLs may read" not in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["staff", "staff2", "governor", "admin"])
def test_only_case_workers_may_add_to_a_case(client, auth, concerns, logged, who, db):
    auth.login(who)
    token = auth.csrf("/")
    for path in (f"/concerns/{logged[0]}", "/concerns/entry"):
        response = client.post(path, data={"csrf_token": token, "concern_id": logged[0], "kind": "note",
                                           "body": "sneaky"})
        assert response.status_code == 403
    assert list(db.query("SELECT * FROM case_events")) == []


def test_my_concerns_lists_only_mine_and_their_status(client, auth, concerns):
    mine = concerns.log("staff", {"location": "Staffroom"})
    concerns.log("staff2", {"location": "Library"})
    auth.login("dsl")
    concerns.add(mine, "note", body="DSL note the reporter must not see")
    auth.logout()
    auth.login("staff")
    html = client.get("/concerns/mine").get_data(as_text=True)
    assert f"<td>{mine}</td>" in html and "Received" in html
    assert "DSL note the reporter must not see" not in html
    assert f"<td>{mine + 1}</td>" not in html


def test_status_shown_to_the_reporter_follows_the_case(client, auth, concerns):
    concern_id = concerns.log("staff")
    auth.login("staff")
    assert "Received" in client.get("/concerns/mine").get_data(as_text=True)
    auth.logout()
    auth.login("dsl")
    concerns.add(concern_id, "assignment", assignee_id=client.application.people["dsl"])
    auth.logout()
    auth.login("staff")
    assert "Being dealt with" in client.get("/concerns/mine").get_data(as_text=True)


def test_a_concern_that_does_not_exist_is_not_found(client, auth, logged):
    auth.login("dsl")
    assert client.get("/concerns/999").status_code == 404
    assert client.get("/concerns/999/pictures/1").status_code == 404


def test_a_picture_opens_only_under_its_own_concern(client, auth, concerns, logged):
    other = concerns.log("staff2")
    auth.login("dsl")
    assert client.get(f"/concerns/{other}/pictures/{logged[1]}").status_code == 404
    response = client.get(f"/concerns/{logged[0]}/pictures/{logged[1]}")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["Cache-Control"] == "no-store"


def test_an_entry_posted_to_one_case_cannot_land_on_another(client, auth, concerns, logged, db):
    other = concerns.log("staff2")
    auth.login("dsl")
    token = auth.csrf("/")
    response = client.post(f"/concerns/{logged[0]}", data={"csrf_token": token, "concern_id": other,
                                                          "kind": "note", "body": "wrong case"})
    assert response.status_code == 400
    assert list(db.query("SELECT * FROM case_events")) == []

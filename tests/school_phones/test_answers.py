"""The person a school phone named confirms or denies the concern at their next sign-in; DSLs see which."""
import pytest

from tests.conftest import csrf_from

from .conftest import rows


@pytest.fixture
def logged(app, school_phone):
    """A concern logged on school phone 3 in Sally Staff's name; return its id."""
    item = school_phone.concern("ANSWER-1 something on the field", {"user_id": app.people["staff"],
                                                                     "name": "Sally Staff"})
    assert school_phone.statuses([item]) == ["stored"]
    return rows(app, "SELECT id FROM concerns")[0]["id"]


def answer(client, concern_id, answer, note=""):
    page = client.get("/school-phones/mine").get_data(as_text=True)
    return client.post(f"/school-phones/concerns/{concern_id}/answer",
                       data={"csrf_token": csrf_from(page), f"c{concern_id}-answer": answer,
                             f"c{concern_id}-note": note}, follow_redirects=True)


def test_the_named_person_is_asked_at_sign_in_and_confirms(app, client, auth, logged):
    auth.login("staff")
    home = client.get("/").get_data(as_text=True)
    assert "1 concern was logged in your name on a school phone." in home
    page = client.get("/school-phones/mine").get_data(as_text=True)
    assert f"Concern {logged}, logged" in page and "on school phone 3" in page
    assert "ANSWER-1" not in page  # what was written is not shown: it may be about them
    response = answer(client, logged, "confirmed")
    assert "Thank you: the DSLs can see that you logged it." in response.get_data(as_text=True)
    assert rows(app, "SELECT concern_id, user_id, answer FROM school_phone_answers") == [
        {"concern_id": logged, "user_id": app.people["staff"], "answer": "confirmed"}]
    assert "logged in your name on a school phone" not in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login("dsl")
    assert "Sally Staff — logged on school phone 3, confirmed by them on" in client.get(
        "/concerns/queue").get_data(as_text=True)


def test_a_denied_concern_is_kept_with_the_denial_recorded(app, client, auth, logged):
    app.config["SMTP_HOST"] = "mail.invalid"
    auth.login("staff")
    response = answer(client, logged, "denied", "I was teaching in Year 2 all morning")
    assert "the DSLs can see that it was not you" in response.get_data(as_text=True)
    assert rows(app, "SELECT answer, note FROM school_phone_answers") == [
        {"answer": "denied", "note": "I was teaching in Year 2 all morning"}]
    assert len(rows(app, "SELECT * FROM concerns WHERE id = ?", [logged])) == 1
    told = [r["subject"] for r in rows(app, "SELECT subject FROM mail_outbox")]
    assert told.count(f"Concern {logged}: the person named says they did not log it") == 2
    # the answer is a record: the database refuses to change or remove it
    from webapp.db import connect
    db = connect(app.config["DATABASE"])
    with pytest.raises(Exception, match="never changed or removed"):
        db.execute("DELETE FROM school_phone_answers")
    db.conn.close()
    auth.logout()
    auth.login("dsl")
    case = client.get(f"/concerns/{logged}").get_data(as_text=True)
    assert "Sally Staff — logged on school phone 3; DENIED by them on" in case
    assert "“I was teaching in Year 2 all morning”" in case and "ANSWER-1" in case


def test_an_answer_is_given_once(app, client, auth, logged):
    auth.login("staff")
    answer(client, logged, "confirmed")
    response = answer(client, logged, "denied")
    assert "You have already answered about this concern." in response.get_data(as_text=True)
    assert [r["answer"] for r in rows(app, "SELECT answer FROM school_phone_answers")] == ["confirmed"]


def test_nobody_else_may_answer(app, client, auth, logged):
    auth.login("staff2")
    assert "No concern has been logged in your name" in client.get("/school-phones/mine").get_data(as_text=True)
    token = csrf_from(client.get("/school-phones/mine").get_data(as_text=True))
    response = client.post(f"/school-phones/concerns/{logged}/answer",
                           data={"csrf_token": token, f"c{logged}-answer": "denied"})
    assert response.status_code == 404
    assert client.post("/school-phones/concerns/99999/answer", data={"csrf_token": token}).status_code == 404
    assert not rows(app, "SELECT * FROM school_phone_answers")


def test_an_answer_must_be_chosen(app, client, auth, logged):
    auth.login("staff")
    response = answer(client, logged, "")
    assert response.status_code == 400
    assert "Say whether you logged this concern." in response.get_data(as_text=True)
    response = answer(client, logged, "maybe")
    assert response.status_code == 400
    assert not rows(app, "SELECT * FROM school_phone_answers")


def test_the_answers_page_needs_sign_in(client):
    assert client.get("/school-phones/mine").status_code == 302


def test_my_concerns_lists_a_school_phone_concern_only_once_confirmed(app, client, auth, logged):
    auth.login("staff")
    assert "You have not logged any concerns." in client.get("/concerns/mine").get_data(as_text=True)
    answer(client, logged, "confirmed")
    mine = client.get("/concerns/mine").get_data(as_text=True)
    assert f"<td>{logged}</td>" in mine


def test_a_denied_concern_never_shows_in_my_concerns(app, client, auth, logged):
    auth.login("staff")
    answer(client, logged, "denied")
    assert "You have not logged any concerns." in client.get("/concerns/mine").get_data(as_text=True)


def pulled_reporter(app, client, concern_id, since=None):
    """Pull as the signed-in DSL; return (the reporter line of this case's kept copy or None, the cursor)."""
    query = {"device_id": "dsl-phone", "waiting": 0, **({"since": since} if since else {})}
    body = client.get("/api/sync/pull", query_string=query).get_json()
    cases = [c for c in body["changes"] if c["type"] == "concern" and c["id"] == concern_id and c.get("data")]
    return (cases[0]["data"]["case"]["reporter"] if cases else None), body["cursor"]


def test_a_dsls_phone_keeps_the_credit_and_gets_the_answer(app, client, auth, logged):
    import time_machine
    from datetime import timedelta
    from webapp.clock import utcnow
    start = utcnow()
    with time_machine.travel(start + timedelta(minutes=10), tick=False):  # the case is older than the overlap
        auth.login("dsl")
        reporter, cursor = pulled_reporter(app, client, logged)
        auth.logout()
    assert reporter == "Sally Staff — unconfirmed — logged on school phone 3"
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        auth.login("staff")
        answer(client, logged, "confirmed")
        auth.logout()
        auth.login("dsl")
        reporter, _ = pulled_reporter(app, client, logged, cursor)
    assert reporter is not None, "the answer did not bring the case back to the DSL's phone"
    assert reporter.startswith("Sally Staff — logged on school phone 3, confirmed by them on")

"""Every view of a case and every opening of a picture is logged and shown to case workers."""
from datetime import datetime, timedelta, timezone

import time_machine

from webapp.clock import iso

from .conftest import png


def log_rows(db):
    return [dict(r) for r in db.query("SELECT concern_id, user_id, at, what, attachment_id FROM concern_access "
                                      "ORDER BY id")]


def test_viewing_a_case_and_opening_a_picture_are_logged(client, auth, concerns, db, app):
    concern_id = concerns.log("staff", files=[("message.png", png())])
    auth.login("dsl")
    soon = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(minutes=10)
    with time_machine.travel(soon, tick=False):
        client.get(f"/concerns/{concern_id}")
    with time_machine.travel(soon + timedelta(minutes=5), tick=False):
        assert client.get(f"/concerns/{concern_id}/pictures/1").data == png()
    dsl = app.people["dsl"]
    assert log_rows(db) == [
        {"concern_id": concern_id, "user_id": dsl, "at": iso(soon), "what": "case", "attachment_id": None},
        {"concern_id": concern_id, "user_id": dsl, "at": iso(soon + timedelta(minutes=5)), "what": "attachment",
         "attachment_id": 1}]


def test_the_case_page_shows_its_access_log(client, auth, concerns):
    concern_id = concerns.log("staff", files=[("message.png", png())])
    auth.login("head")
    client.get(f"/concerns/{concern_id}/pictures/1")
    auth.logout()
    auth.login("dsl")
    html = client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    section = html[html.index("Who has opened this case"):]
    assert "Helen Head" in section and "Opened picture message.png" in section
    assert "Diane Lead" in section and "Opened the case" in section


def test_refused_and_missing_requests_are_not_logged(client, auth, concerns, db):
    concern_id = concerns.log("staff", files=[("message.png", png())])
    auth.login("staff")
    client.get(f"/concerns/{concern_id}")
    client.get(f"/concerns/{concern_id}/pictures/1")
    auth.logout()
    auth.login("dsl")
    client.get(f"/concerns/{concern_id}/pictures/99")
    assert log_rows(db) == []


def test_a_case_shown_again_with_a_problem_is_logged_too(client, auth, concerns, db):
    concern_id = concerns.log("staff")
    auth.login("dsl")
    response = concerns.add(concern_id, "closed")  # one GET for the token, one refused POST
    assert "cannot close yet" in response.get_data(as_text=True)
    assert [r["what"] for r in log_rows(db)] == ["case", "case"]

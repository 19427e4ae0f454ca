"""Every view of a case and every opening of a picture goes to the audit log and shows on the case."""
from datetime import datetime, timedelta, timezone

import time_machine

from webapp.clock import iso

from .conftest import png


def log_rows(db):
    return [dict(r) for r in db.query("SELECT actor_id, at, action, subject, detail FROM audit_log "
                                      "WHERE action IN ('case.view', 'attachment.open') ORDER BY id")]


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
        {"actor_id": dsl, "at": iso(soon), "action": "case.view", "subject": f"concern:{concern_id}",
         "detail": "{}"},
        {"actor_id": dsl, "at": iso(soon + timedelta(minutes=5)), "action": "attachment.open",
         "subject": f"concern:{concern_id}", "detail": '{"attachment_id":1,"filename":"message.png"}'}]


def test_the_case_page_shows_its_access_log(client, auth, concerns):
    concern_id = concerns.log("staff", files=[("message.png", png())])
    auth.login("head")
    client.get(f"/concerns/{concern_id}/pictures/1")
    auth.logout()
    auth.login("dsl")
    html = client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    section = html[html.index("Who has opened this case"):]
    assert "Helen Head" in section and "Opened a picture (Picture: message.png)" in section
    assert "Diane Lead" in section and "Viewed a case" in section


def test_refused_and_missing_requests_are_not_logged(client, auth, concerns, db):
    concern_id = concerns.log("staff", files=[("message.png", png())])
    auth.login("staff")
    client.get(f"/concerns/{concern_id}")
    client.get(f"/concerns/{concern_id}/pictures/1")
    auth.logout()
    auth.login("dsl")
    client.get(f"/concerns/{concern_id}/pictures/99")
    client.get("/concerns/999999")
    assert log_rows(db) == []


def test_a_case_shown_again_with_a_problem_is_logged_too(client, auth, concerns, db):
    concern_id = concerns.log("staff")
    auth.login("dsl")
    response = concerns.add(concern_id, "closed")  # one GET for the token, one refused POST
    assert "cannot close yet" in response.get_data(as_text=True)
    assert [r["action"] for r in log_rows(db)] == ["case.view", "case.view"]


def test_opening_a_case_marks_it_opened(client, auth, concerns, db):
    concern_id = concerns.log("staff")
    assert db.execute("SELECT opened_at FROM concern_state WHERE concern_id = ?", [concern_id]).fetchone()[0] is None
    auth.login("dsl")
    client.get(f"/concerns/{concern_id}")
    assert db.execute("SELECT opened_at FROM concern_state WHERE concern_id = ?", [concern_id]).fetchone()[0]

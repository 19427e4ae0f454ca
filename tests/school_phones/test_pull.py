"""What the person a school phone named pulls: that a concern waits for their answer, and nothing of it until they confirm."""
import json
from datetime import timedelta

import pytest
import time_machine

from webapp.clock import utcnow

from tests.concerns.conftest import Concerns

from .conftest import rows
from .test_answers import answer

MARKER = "PULLED-1 a message on the field"


@pytest.fixture
def start():
    return utcnow()


@pytest.fixture
def logged(app, school_phone, start):
    """A concern of the category abusive_message logged on school phone 3 in Sally Staff's name; its id."""
    with time_machine.travel(start, tick=False):
        item = school_phone.concern(MARKER, {"user_id": app.people["staff"], "name": "Sally Staff"},
                                    category="abusive_message")
        assert school_phone.statuses([item]) == ["stored"]
    return rows(app, "SELECT id FROM concerns")[0]["id"]


def pull(client, since=None):
    query = {"device_id": "sally-phone", "waiting": 0, **({"since": since} if since else {})}
    response = client.get("/api/sync/pull", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def about(body, concern_id):
    """Return {type: change} of the changes about this concern."""
    return {c["type"]: c for c in body["changes"] if c["id"] == concern_id}


def test_before_answering_the_named_person_pulls_only_that_it_waits_for_them(app, client, auth, logged, start):
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        auth.login("staff")
        body = pull(client)
    changes = about(body, logged)
    assert set(changes) == {"school_phone_question"}  # no concern_status: not theirs until they say so
    assert changes["school_phone_question"]["data"] == {
        "id": logged, "logged_at": rows(app, "SELECT created_at FROM concerns")[0]["created_at"],
        "school_phone": "school phone 3", "waiting_for_answer": True}
    text = json.dumps(body)
    assert "abusive_message" not in text and "PULLED-1" not in text and "field" not in text


def test_once_confirmed_the_concern_comes_as_theirs_and_the_question_goes(app, client, auth, logged, start):
    with time_machine.travel(start + timedelta(minutes=10), tick=False):  # past the pull's overlap
        auth.login("staff")
        cursor = pull(client)["cursor"]
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        answer(client, logged, "confirmed")
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        changes = about(pull(client, cursor), logged)
        fresh = about(pull(client), logged)
    assert changes["concern_status"]["data"] == {"id": logged, "category": "abusive_message", "status": "received",
                                                 "created_at": changes["concern_status"]["data"]["created_at"]}
    assert changes["school_phone_question"]["removed"] is True
    assert set(fresh) == {"concern_status"}  # a first pull names no answered question


def test_once_denied_nothing_more_comes(app, client, auth, logged, start):
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        auth.login("staff")
        cursor = pull(client)["cursor"]
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        answer(client, logged, "denied", "Not me")
        auth.logout()
        auth.login("dsl")  # a DSL changes the case's status: still nothing reaches the person named
        assert Concerns(client, auth).add(logged, "status_change", status="in_progress").status_code == 302
        auth.logout()
    assert rows(app, "SELECT status FROM concern_state") == [{"status": "in_progress"}]
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        auth.login("staff")
        later = pull(client, cursor)
        fresh = pull(client)
    assert about(later, logged) == {"school_phone_question": {
        "type": "school_phone_question", "id": logged, "changed_at": about(later, logged)[
            "school_phone_question"]["changed_at"], "removed": True}}
    assert about(fresh, logged) == {}
    for body in (later, fresh):
        assert "abusive_message" not in json.dumps(body) and "PULLED-1" not in json.dumps(body)


def test_nobody_else_pulls_the_question(app, client, auth, logged):
    auth.login("staff2")
    assert about(pull(client), logged) == {}


def test_the_persons_own_concerns_still_come_as_before(app, client, auth, logged):
    own_id = Concerns(client, auth).log("staff")
    auth.login("staff")
    own = [r["id"] for r in rows(app, "SELECT id FROM concerns WHERE id != ?", [logged])]
    statuses = [c["id"] for c in pull(client)["changes"] if c["type"] == "concern_status"]
    assert statuses == own == [own_id]

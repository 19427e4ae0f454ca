"""Requests and decisions from a phone's outbox: the same form, the same rules, the same rows."""
import pytest

from webapp import change_log
from webapp.auth.store import get_user
from webapp.permissions import sync
from webapp.permissions.forms import PURPOSES

from .conftest import insert_request

PAYLOAD = {"for_whom": "visitor", "visitor_name": "Dan Roofer", "visitor_organisation": "Kent Roofing Ltd",
           "device": "phone", "purpose": "photos_of_premises", "detail": "Roof photos", "location": "hall",
           "starts_at": "2026-01-13T09:00:00Z", "ends_at": "2026-01-13T15:00:00+00:00",
           "during_teaching": False, "urgent": False}


@pytest.fixture
def phone(app, db, morning):
    """Call the sync handlers as the push endpoint would, inside a transaction."""
    def send(kind, payload, who="staff", item_id="item-1"):
        with app.test_request_context():
            author = get_user(db, app.people[who])
            meta = {"item_id": item_id, "created_at": "2026-01-13T08:55:00Z", "device_id": "d1",
                    "uploader_id": author["id"]}
            with db.atomic():
                return sync.KINDS[kind](db, payload, author, meta)
    return send


def rows(db, table):
    return list(db.query(f"SELECT * FROM {table} ORDER BY id"))


def test_a_request_from_a_phone_is_stored_like_a_web_one(phone, db, app):
    result = phone("device_request", PAYLOAD)
    [row] = rows(db, "device_requests")
    assert result["ref"] == f"device_requests:{row['id']}" and result["after_commit"] is None
    assert (row["source"], row["item_id"], row["created_at"], row["received_at"]) == \
        ("phone", "item-1", "2026-01-13T08:55:00Z", "2026-01-13T09:00:00Z")
    assert (row["starts_at"], row["ends_at"], row["requester_id"]) == \
        ("2026-01-13T09:00:00Z", "2026-01-13T15:00:00Z", app.people["staff"])


def test_a_datetime_local_in_a_payload_is_school_time(phone, db, time_machine):
    time_machine.move_to("2026-06-09T07:00:00Z", tick=False)
    phone("device_request", {**PAYLOAD, "starts_at": "2026-06-09T10:00", "ends_at": "2026-06-09T11:00"})
    assert rows(db, "device_requests")[0]["starts_at"] == "2026-06-09T09:00:00Z"


def test_the_same_item_twice_is_one_request(phone, db):
    first = phone("device_request", PAYLOAD)
    assert phone("device_request", PAYLOAD) == {**first, "after_commit": None}
    assert len(rows(db, "device_requests")) == 1


def test_a_forbidden_request_from_a_phone_is_recorded_as_refused(phone, db):
    result = phone("device_request", {**PAYLOAD, "location": "swimming_pool"})
    assert result["ref"].startswith("device_requests:")
    assert rows(db, "device_requests")[0]["refused_rule"] == "restricted_area"


@pytest.mark.parametrize("payload, field", [
    ({**PAYLOAD, "device": "drone"}, "device"),
    ({**PAYLOAD, "location": None}, "location"),
    ({**PAYLOAD, "visitor_name": ""}, "visitor_name"),
    ({**PAYLOAD, "starts_at": "soon"}, "starts_at"),
    ({**PAYLOAD, "detail": ["a", "list"]}, "detail"),
    ("not an object", "payload"),
])
def test_bad_payloads_are_errors_and_store_nothing(phone, db, payload, field):
    result = phone("device_request", payload)
    assert field in result["errors"]
    assert rows(db, "device_requests") == []


@pytest.mark.parametrize("who", ["governor", "admin"])
def test_only_staff_can_ask_from_a_phone(phone, db, who):
    assert "author" in phone("device_request", PAYLOAD, who=who)["errors"]
    assert rows(db, "device_requests") == []


def test_the_head_decides_from_a_phone(phone, db, app):
    request_id = insert_request(db, app.people["staff"])
    result = phone("decision", {"request_id": request_id, "outcome": "approved", "conditions": "Office only",
                                "ends_at": "2026-01-13T12:00"}, who="head", item_id="d-1")
    [decision] = rows(db, "decisions")
    assert result["ref"] == f"decisions:{decision['id']}"
    assert (decision["source"], decision["item_id"], decision["ends_at"], decision["decided_at"]) == \
        ("phone", "d-1", "2026-01-13T12:00:00Z", "2026-01-13T08:55:00Z")


@pytest.mark.parametrize("who", ["staff", "dsl"])
def test_nobody_but_the_head_decides_from_a_phone(phone, db, app, who):
    request_id = insert_request(db, app.people["staff"])
    result = phone("decision", {"request_id": request_id, "outcome": "approved"}, who=who)
    assert "author" in result["errors"] and rows(db, "decisions") == []


def test_a_second_decision_from_a_phone_is_an_error(phone, db, app):
    request_id = insert_request(db, app.people["staff"])
    phone("decision", {"request_id": request_id, "outcome": "approved", "conditions": "Office only",
                       "ends_at": "2026-01-13T12:00"}, who="head", item_id="d-1")
    result = phone("decision", {"request_id": request_id, "outcome": "declined", "reason": "No"},
                   who="head", item_id="d-2")
    assert "request_id" in result["errors"] and len(rows(db, "decisions")) == 1


def _changes(app, db, who, since=None):
    with app.test_request_context():
        return sync.changes_since(db, get_user(db, app.people[who]), since)


def test_staff_pull_their_own_requests_and_the_decisions_on_them(phone, app, db):
    phone("device_request", PAYLOAD)
    insert_request(db, app.people["staff2"], detail="someone else's")
    [change] = _changes(app, db, "staff")
    assert change["type"] == "device_request" and change["data"]["status"] == "waiting"
    assert change["data"]["item_id"] == "item-1" and change["data"]["urgent"] is False
    phone("decision", {"request_id": change["id"], "outcome": "approved", "conditions": "Hall only",
                       "ends_at": "2026-01-13T15:00"},
          who="head", item_id="d-1")
    [after] = _changes(app, db, "staff")
    assert (after["data"]["status"], after["data"]["conditions"], after["data"]["permitted_until"]) == \
        ("approved", "Hall only", "2026-01-13T15:00:00Z")


def test_the_head_pulls_requests_to_decide_and_never_refused_ones(phone, app, db, morning):
    phone("device_request", PAYLOAD, item_id="a")
    phone("device_request", {**PAYLOAD, "location": "toilets"}, item_id="b")
    changes = [c for c in _changes(app, db, "head") if c["type"] == "request_to_decide"]
    assert [c["data"]["location"] for c in changes] == ["hall"]
    assert changes[0]["data"]["visitor_name"] == "Dan Roofer" and changes[0]["data"]["requester_name"] == "Sally Staff"
    shown = changes[0]["data"]
    assert (shown["device_label"], shown["purpose_label"], shown["location_label"], shown["for_whom_label"]) == \
        ("Mobile phone", dict(PURPOSES)[PAYLOAD["purpose"]], "The hall", "A visitor or contractor")
    assert shown["starts_label"].startswith("13 Jan 2026, ") and shown["ends_label"].startswith("13 Jan 2026, ")
    cursor, _ = change_log.newest(db)
    assert _changes(app, db, "head", since=cursor) == []
    morning.move_to("2026-01-13T09:05:00Z", tick=False)
    phone("decision", {"request_id": changes[0]["id"], "outcome": "declined", "reason": "No"}, who="head")
    [decided] = _changes(app, db, "head", since=cursor)
    assert decided["data"]["status"] == "declined" and decided["changed_at"] == "2026-01-13T09:05:00Z"


@pytest.mark.parametrize("who", ["governor", "admin"])
def test_people_without_staff_roles_pull_nothing(phone, app, db, who):
    phone("device_request", PAYLOAD)
    assert _changes(app, db, who) == []

"""The headteacher's written decisions: only the head, never edited, withdrawing is a new decision."""
import sqlite3

import pytest

from .conftest import CONTRACTOR, insert_request


def test_head_approves_with_a_condition_and_an_earlier_end(morning, requests, app):
    requests.ask(**CONTRACTOR)
    request_id = requests.last_id()
    response = requests.approve(request_id, conditions="Only with no learners in the hall.",
                                ends_at="2026-01-13T12:00")
    assert response.status_code == 302 and response.headers["Location"].endswith("/requests/decisions")
    [decision] = requests.rows("decisions")
    assert (decision["outcome"], decision["conditions"], decision["ends_at"], decision["decided_by"]) == \
        ("approved", "Only with no learners in the hall.", "2026-01-13T12:00:00Z", app.people["head"])
    assert decision["decided_at"] == "2026-01-13T09:00:00Z" and decision["source"] == "web"
    requests.sign_in("staff")
    page = requests.client.get("/requests/mine").get_data(as_text=True)
    assert "Approved" in page and "Only with no learners in the hall." in page and "Helen Head" in page
    assert "13 Jan 2026, 12:00" in page


@pytest.mark.parametrize("typed, message", [
    ({"conditions": "   "}, "Write the conditions of the approval"),
    ({"ends_at": ""}, "Enter when the permission ends."),
    ({"ends_at": "2026-01-13T08:30"}, "That end time has already passed"),
])
def test_an_approval_needs_conditions_and_an_end_still_to_come(morning, requests, typed, message):
    requests.ask(starts_at="2026-01-13T08:00")
    response = requests.decide(requests.last_id(), outcome="approved",
                               **{"conditions": "Only in the office.", "ends_at": "2026-01-13T15:30", **typed})
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert requests.rows("decisions") == []


@pytest.mark.parametrize("ends_at, message", [
    ("2026-01-13T16:00", "never later than"),
    ("2026-01-13T10:00", "must end after it starts"),
])
def test_the_end_may_be_earlier_than_asked_never_later(morning, requests, ends_at, message):
    requests.ask(starts_at="2026-01-13T10:00")
    response = requests.approve(requests.last_id(), ends_at=ends_at)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert requests.rows("decisions") == []


def test_declining_needs_a_reason(morning, requests):
    requests.ask()
    request_id = requests.last_id()
    response = requests.decide(request_id, outcome="declined", reason="  ")
    assert response.status_code == 200 and "Give a reason" in response.get_data(as_text=True)
    assert requests.rows("decisions") == []
    requests.decide(request_id, outcome="declined", reason="Use the staffroom phone instead.")
    requests.sign_in("staff")
    page = requests.client.get("/requests/mine").get_data(as_text=True)
    assert "Declined" in page and "Use the staffroom phone instead." in page


@pytest.mark.parametrize("who", ["staff", "dsl", "governor", "admin"])
def test_only_the_head_can_decide(morning, requests, who):
    requests.ask()
    request_id = requests.last_id()
    requests.sign_in(who)
    assert requests.client.get("/requests/decisions").status_code == 403
    assert requests.client.get("/requests/decide").status_code == 403
    response = requests.decide(request_id, who=who, outcome="approved")
    assert response.status_code == 403
    assert requests.rows("decisions") == []


@pytest.mark.parametrize("first, second", [
    ({"outcome": "approved"}, {"outcome": "approved"}),
    ({"outcome": "approved"}, {"outcome": "declined", "reason": "Changed my mind."}),
    ({"outcome": "declined", "reason": "No."}, {"outcome": "approved"}),
])
def test_a_request_already_decided_cannot_be_decided_again(morning, requests, first, second):
    requests.ask()
    request_id = requests.last_id()
    requests.decide(request_id, **first)
    response = requests.decide(request_id, **second)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "already been decided" in page and "withdraw it" in page
    assert len(requests.rows("decisions")) == 1


def test_a_refused_request_has_nothing_to_decide(morning, requests):
    requests.ask(location="toilets")
    response = requests.approve(requests.last_id())
    assert "refused when it was made" in response.get_data(as_text=True)
    assert requests.rows("decisions") == []


@pytest.mark.parametrize("request_id", ["999", "abc", ""])
def test_an_unknown_request_is_a_clear_error(morning, requests, request_id):
    response = requests.approve(request_id)
    assert response.status_code == 200 and "There is a problem" in response.get_data(as_text=True)
    assert requests.rows("decisions") == []


def test_an_unknown_outcome_is_a_clear_error(morning, requests):
    requests.ask()
    response = requests.decide(requests.last_id(), outcome="maybe")
    assert "“maybe” is not one of the options" in response.get_data(as_text=True)
    assert requests.rows("decisions") == []


def test_withdrawing_an_approval_is_a_new_decision(morning, requests):
    requests.ask(**CONTRACTOR)
    request_id = requests.last_id()
    requests.approve(request_id, conditions="Hall only.")
    assert "Withdraw" in requests.client.get("/requests/decisions").get_data(as_text=True)
    response = requests.decide(request_id, outcome="withdrawn", reason="Roof work finished early.")
    assert response.status_code == 302
    approval, withdrawal = requests.rows("decisions")
    assert (approval["outcome"], withdrawal["outcome"], withdrawal["reason"]) == \
        ("approved", "withdrawn", "Roof work finished early.")
    assert "Dan Roofer" not in requests.client.get("/requests/in-force").get_data(as_text=True)
    again = requests.decide(request_id, outcome="withdrawn", reason="Again.")
    assert "already been withdrawn" in again.get_data(as_text=True)
    assert len(requests.rows("decisions")) == 2
    requests.sign_in("staff")
    page = requests.client.get("/requests/mine").get_data(as_text=True)
    assert "Withdrawn" in page and "Roof work finished early." in page


@pytest.mark.parametrize("first", [None, {"outcome": "declined", "reason": "No."}])
def test_only_an_approval_can_be_withdrawn(morning, requests, first):
    requests.ask()
    request_id = requests.last_id()
    if first:
        requests.decide(request_id, **first)
    response = requests.decide(request_id, outcome="withdrawn", reason="Stop.")
    assert "Only a permission that was approved can be withdrawn." in response.get_data(as_text=True)
    assert len(requests.rows("decisions")) == (1 if first else 0)


def test_an_ended_permission_cannot_be_withdrawn(morning, requests):
    requests.ask(ends_at="2026-01-13T09:20")
    request_id = requests.last_id()
    requests.approve(request_id)
    morning.move_to("2026-01-13T09:25:00Z", tick=False)
    response = requests.decide(request_id, outcome="withdrawn", reason="Late.")
    assert "already ended" in response.get_data(as_text=True)


def test_decisions_and_requests_are_never_changed_or_removed(app, db):
    request_id = insert_request(db, app.people["staff"])
    db.execute("INSERT INTO decisions (request_id, outcome, ends_at, decided_by, decided_at, received_at, source) "
                "VALUES (?, 'approved', '2026-01-13T15:00:00Z', ?, 'now', 'now', 'web')",
                [request_id, app.people["head"]])
    for sql in ("UPDATE decisions SET conditions = 'changed'", "DELETE FROM decisions",
                "UPDATE device_requests SET location = 'hall'", "DELETE FROM device_requests"):
        with pytest.raises(sqlite3.IntegrityError, match="never changed or removed"):
            db.execute(sql)
    with pytest.raises(sqlite3.IntegrityError):  # one first decision per request, even bypassing the app
        db.execute("INSERT INTO decisions (request_id, outcome, reason, decided_by, decided_at, received_at, "
                   "source) VALUES (?, 'declined', 'x', ?, 'now', 'now', 'web')", [request_id, app.people["head"]])


def test_waiting_requests_are_urgent_first_then_oldest(morning, requests, app, db):
    staff = app.people["staff"]
    insert_request(db, staff, detail="old and ordinary", created_at="2026-01-12T08:00:00Z")
    insert_request(db, staff, detail="new and urgent", urgent=1, created_at="2026-01-13T08:30:00Z")
    insert_request(db, staff, detail="older and urgent", urgent=1, created_at="2026-01-13T08:00:00Z")
    insert_request(db, staff, detail="newest and ordinary", created_at="2026-01-13T08:45:00Z")
    requests.sign_in("head")
    page = requests.client.get("/requests/decisions").get_data(as_text=True)
    order = [page.index(text) for text in ("older and urgent", "new and urgent", "old and ordinary",
                                           "newest and ordinary")]
    assert order == sorted(order)
    assert page.count('data-outbox="decision"') == 4


def test_the_decision_shell_names_nobody_and_takes_the_request_from_the_address(morning, requests, app, db):
    insert_request(db, app.people["staff"], for_whom="visitor", visitor_name="Dan Roofer",
                   visitor_organisation="Kent Roofing Ltd", detail="Roof photos")
    requests.sign_in("head")
    page = requests.client.get("/requests/decide?request=1").get_data(as_text=True)
    assert 'data-outbox="decision"' in page and 'value="1"' in page and 'data-from-query="request"' in page
    for personal in ("Dan Roofer", "Kent Roofing", "Roof photos", "Sally Staff"):
        assert personal not in page
    for name in ("request_id", "outcome", "conditions", "ends_at", "reason"):
        assert f'name="{name}"' in page

"""Extreme values, sent or stored, never make a page or the sync API answer 500."""
import pytest

from tests.concerns.conftest import png  # noqa: F401  (the concern fixtures' pictures)

from .conftest import signed_in_phone
from .phone import concern
from .test_domains import device_request

EXTREMES = ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00", "9999-12-31T23:59"]


@pytest.mark.parametrize("moment", EXTREMES)
def test_a_concern_at_the_ends_of_time_gets_a_status(client, auth, db, moment):
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("concern", {**concern("At the ends of time"), "occurred_at": moment}, created_at=moment[:19] + "Z")
    assert set(phone.statuses([item]).values()) <= {"stored", "returned", "quarantined"}
    for row in db.query("SELECT created_at FROM concerns"):
        assert "2000-01-01T00:00:00Z" <= row["created_at"] <= "9000"  # clamped at the shared step


@pytest.mark.parametrize("field", ["starts_at", "ends_at"])
@pytest.mark.parametrize("moment", EXTREMES)
def test_a_request_at_the_ends_of_time_gets_a_status(client, auth, db, field, moment):
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("device_request", device_request(**{field: moment}))
    assert set(phone.statuses([item]).values()) <= {"stored", "returned", "quarantined"}


@pytest.mark.parametrize("moment", EXTREMES)
def test_a_web_post_at_the_ends_of_time_is_a_clear_message(client, auth, moment):
    auth.login("staff")
    token = auth.csrf("/concerns/new")
    response = client.post("/concerns/new", data={"csrf_token": token, "category": "other_online_safety",
                                                  "occurred_at": moment[:16], "location": "Hall", "account": "x"})
    assert response.status_code in (200, 302)
    token = auth.csrf("/requests/new")
    response = client.post("/requests/new", data={**device_request(), "during_teaching": "", "csrf_token": token,
                                                  "starts_at": moment[:16], "ends_at": moment[:16]})
    assert response.status_code in (200, 302)


def stored_times_at_the_ends(db, people):
    """Write a concern, a request and a decision at year 1 and year 9999, as a broken phone might have."""
    from webapp.concerns import store as concerns
    from webapp.permissions import store as permissions
    ids = []
    for moment in ("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"):
        ids.append(concerns.insert_concern(db, {
            "reporter_id": people["staff"], "category": "other_online_safety", "occurred_at": moment,
            "location": "Hall", "learners": "", "adults": "", "account": "x", "action_taken": "",
            "told_dsl_in_person": 0, "urgent": 0, "staff_involved": 0, "flagged_for_head": 0, "source": "web",
            "item_id": None, "created_at": moment, "received_at": moment}))
        for status in ("waiting", "approved"):
            request_id = permissions.insert_request(db, {
                "requester_id": people["staff"], "for_whom": "self", "visitor_name": None,
                "visitor_organisation": None, "device": "phone", "purpose": "work_task", "detail": "",
                "location": "hall", "starts_at": moment, "ends_at": moment, "during_teaching": 0, "urgent": 0,
                "refused_rule": None, "refused_clause": None, "created_at": moment, "received_at": moment,
                "source": "web", "item_id": None})
            if status == "approved":
                permissions.insert_decision(db, {
                    "request_id": request_id, "outcome": "approved", "conditions": "", "ends_at": moment,
                    "reason": "", "decided_by": people["head"], "decided_at": moment, "received_at": moment,
                    "source": "web", "item_id": None})
    db.conn.commit()
    return ids


def test_pages_showing_stored_times_at_the_ends_of_time_keep_working(client, auth, db, app):
    ids = stored_times_at_the_ends(db, app.people)
    auth.login("staff")
    for path in ("/concerns/mine", "/requests/mine", "/requests/in-force"):
        assert client.get(path).status_code == 200, path
    auth.logout()
    auth.login("head")
    paths = ["/concerns/queue", "/requests/decisions", "/reports", "/reports.csv",
             "/reports?from=0001-01-01&to=9999-12-31"] + [f"/concerns/{i}" for i in ids]
    for path in paths:
        assert client.get(path).status_code in (200, 302), path


HUGE = ["99999999999999999999999999", "-1", "0", "1e400", "x", "%00", "9" * 400, "-99999999999999999999"]


@pytest.mark.parametrize("value", HUGE)
def test_any_number_in_an_address_or_query_is_a_4xx(client, auth, value):
    auth.login("head")
    for path in (f"/concerns/queue?page={value}", f"/concerns/{value}", f"/sync/quarantine/{value}",
                 f"/sync/returned/{value}", f"/requests/decide?request={value}", f"/concerns/entry?concern={value}"):
        assert client.get(path).status_code < 500, path
    for query in ({"since": value}, {"device_id": "p", "waiting": value}, {"device_id": "p", "waiting": 1, "oldest": value}):
        response = client.get("/api/sync/pull", query_string=query)
        assert response.status_code in (200, 400), (query, response.status_code)
        assert response.is_json

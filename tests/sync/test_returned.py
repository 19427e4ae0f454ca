"""Items the form's checks refused come back to their author alone, to correct once or discard."""
import re

from tests.conftest import csrf_from

from .conftest import count, signed_in_phone, switch
from .phone import concern


def returned_concern(client, auth, db):
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("concern", {**concern("x"), "account": "", "location": "Swimming pool"})
    [result] = phone.push([item]).get_json()["results"]
    assert result["status"] == "returned" and result["errors"]["account"] == ["Say what happened."]
    return phone, item, next(db.query("SELECT id FROM returned_items"))["id"]


def test_a_returned_concern_is_listed_for_its_author_only_with_the_message(client, auth, db):
    _, _, returned_id = returned_concern(client, auth, db)
    mine = client.get("/concerns/mine").get_data(as_text=True)
    assert "Needs your attention" in mine and "Say what happened." in mine
    assert f"/sync/returned/{returned_id}" in mine
    page = client.get(f"/sync/returned/{returned_id}").get_data(as_text=True)
    assert "There is a problem" in page and "Say what happened." in page
    assert 'value="Swimming pool"' in page  # filled in from the server's copy
    for other in ("staff2", "dsl", "head"):
        auth.logout()
        auth.login(other)
        assert client.get(f"/sync/returned/{returned_id}").status_code == 404
        assert "Needs your attention" not in client.get("/concerns/mine").get_data(as_text=True)
    assert count(db, "concerns") == 0 and count(db, "sync_items") == 0


def test_correcting_a_returned_concern_stores_it_once_and_links_it(client, auth, db, app):
    _, _, returned_id = returned_concern(client, auth, db)
    page = client.get(f"/sync/returned/{returned_id}").get_data(as_text=True)
    fields = {"csrf_token": csrf_from(page), "category": "other_online_safety",
              "occurred_at": "2026-01-05T10:00", "location": "Swimming pool", "account": ""}
    again = client.post(f"/sync/returned/{returned_id}", data=fields)
    assert again.status_code == 200 and "Say what happened." in again.get_data(as_text=True)
    assert count(db, "concerns") == 0
    sent = client.post(f"/sync/returned/{returned_id}", data={**fields, "account": "A message on a phone"})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/concerns/mine")
    [row] = db.query("SELECT * FROM concerns")
    assert (row["reporter_id"], row["account"], row["location"]) == (
        app.people["staff"], "A message on a phone", "Swimming pool")
    returned = next(db.query("SELECT * FROM returned_items"))
    assert returned["status"] == "corrected" and returned["corrected_ref"] == f"concerns:{row['id']}"
    mine = client.get("/concerns/mine").get_data(as_text=True)
    assert f"concern number {row['id']}" in mine and "Needs your attention" not in mine
    client.post(f"/sync/returned/{returned_id}", data={**fields, "account": "Sent twice"})
    assert count(db, "concerns") == 1  # a second post of the corrected form does nothing


def test_discarding_asks_for_a_reason_and_keeps_it(client, auth, db):
    _, _, returned_id = returned_concern(client, auth, db)
    page = client.get(f"/sync/returned/{returned_id}/discard").get_data(as_text=True)
    token = csrf_from(page)
    refused = client.post(f"/sync/returned/{returned_id}/discard", data={"csrf_token": token, "reason": " "})
    assert "Say why you are discarding it." in refused.get_data(as_text=True)
    done = client.post(f"/sync/returned/{returned_id}/discard",
                       data={"csrf_token": token, "reason": "Logged again on the web page"})
    assert done.status_code == 302
    row = next(db.query("SELECT * FROM returned_items"))
    assert (row["status"], row["discard_reason"]) == ("discarded", "Logged again on the web page")
    assert "Needs your attention" not in client.get("/concerns/mine").get_data(as_text=True)


def test_the_phone_learns_its_persons_returned_items(client, auth, db):
    phone, item, returned_id = returned_concern(client, auth, db)
    summary = client.get("/api/sync/returned").get_json()
    assert summary["count"] == 1
    [entry] = summary["items"]
    assert (entry["id"], entry["kind"], entry["label"]) == (returned_id, "concern", "Concern")
    assert entry["errors"]["account"] == ["Say what happened."] and entry["url"] == f"/sync/returned/{returned_id}"
    switch(auth, phone, "staff2")
    assert client.get("/api/sync/returned").get_json() == {"count": 0, "items": []}


def test_dsls_see_how_many_returned_items_waited_over_a_day(client, auth, db):
    returned_concern(client, auth, db)
    auth.logout()
    auth.login("dsl")
    assert "waited more than a day" not in client.get("/concerns/queue").get_data(as_text=True)
    db.execute("UPDATE returned_items SET received_at = '2020-01-01T00:00:00Z'")
    db.conn.commit()
    html = client.get("/concerns/queue").get_data(as_text=True)
    assert re.search(r"1 item sent from phones has\s+waited more than a day", html)


def test_a_heads_returned_decision_shows_on_the_decisions_page(client, auth, db):
    phone = signed_in_phone(client, auth, "head")
    [result] = phone.push([phone.item("decision", {"request_id": 999, "outcome": ""})]).get_json()["results"]
    assert result["status"] == "returned"
    html = client.get("/requests/decisions").get_data(as_text=True)
    assert "Needs your attention" in html and "Choose approve or decline." in html


def test_a_request_whose_times_are_wrong_is_returned_not_refused(client, auth, db):
    from .test_domains import device_request
    phone = signed_in_phone(client, auth, "staff")
    asked = device_request()
    item = phone.item("device_request", {**asked, "starts_at": asked["ends_at"], "ends_at": asked["starts_at"]})
    [result] = phone.push([item]).get_json()["results"]
    assert result["status"] == "returned" and "must be later than the time it starts" in result["errors"]["ends_at"][0]
    assert count(db, "device_requests") == 0
    mine = client.get("/requests/mine").get_data(as_text=True)
    assert "Needs your attention" in mine and "Device-use request" in mine
    refused = phone.item("device_request", {**asked, "purpose": "photos_of_learners"})
    assert phone.statuses([refused]) == {refused["id"]: "stored"}  # the policy's own refusal is recorded
    assert next(db.query("SELECT refused_rule FROM device_requests"))["refused_rule"] == "photos_of_learners"

"""A push tells the phone the number a person knows each stored concern or request by."""
from .conftest import signed_in_phone
from .phone import concern
from .test_domains import device_request


def test_a_stored_concern_and_request_are_answered_with_their_numbers(client, auth, db):
    phone = signed_in_phone(client, auth, "staff")
    items = [phone.item("concern", concern("A phone out in the changing room")),
             phone.item("device_request", device_request())]
    results = {r["id"]: r for r in phone.push(items).get_json()["results"]}
    concern_id = next(db.query("SELECT id FROM concerns"))["id"]
    request_id = next(db.query("SELECT id FROM device_requests"))["id"]
    assert results[items[0]["id"]] == {"id": items[0]["id"], "status": "stored", "number": concern_id}
    assert results[items[1]["id"]] == {"id": items[1]["id"], "status": "stored", "number": request_id}


def test_a_replay_is_answered_with_the_same_number(client, auth, db):
    phone = signed_in_phone(client, auth, "staff")
    phone.statuses([phone.item("concern", concern("An earlier concern"))])
    item = phone.item("concern", concern("A message sent twice for want of an answer"))
    first = phone.push([item]).get_json()["results"][0]
    again = phone.push([item]).get_json()["results"][0]
    assert first["number"] == 2 and again == {"id": item["id"], "status": "duplicate", "number": 2}


def test_items_without_a_number_of_their_own_carry_none(client, auth, db):
    phone = signed_in_phone(client, auth, "staff")
    returned = phone.push([phone.item("concern", {**concern(""), "account": ""})]).get_json()["results"][0]
    assert returned["status"] == "returned" and "number" not in returned
    auth.logout()
    dsl = signed_in_phone(client, auth, "dsl")
    dsl.statuses([dsl.item("concern", concern("A concern to add an entry to"))])
    case_id = next(db.query("SELECT id FROM concerns"))["id"]
    entry = {"concern_id": case_id, "kind": "note", "body": "Spoke to the class teacher.", "reference": "",
             "assignee_id": "", "status": ""}
    [result] = dsl.push([dsl.item("case_event", entry)]).get_json()["results"]
    assert result == {"id": result["id"], "status": "stored"}

"""Real items from the domains (concern, case_event, device_request, decision) through the sync API."""
from datetime import timedelta

from webapp.clock import iso, utcnow

from .conftest import count, signed_in_phone, switch
from .phone import concern


def device_request(**changes):
    start = utcnow() + timedelta(days=1)
    return {"for_whom": "self", "visitor_name": "", "visitor_organisation": "", "device": "phone",
            "purpose": "emergency_contact", "detail": "Waiting for news from the hospital", "location": "staffroom",
            "starts_at": iso(start), "ends_at": iso(start + timedelta(hours=6)), "during_teaching": False,
            **changes}


def test_two_people_on_one_phone_each_credited_once(client, auth, db, app):
    """The 'done when' of issue 5, server side: queued by two people, delivered by the second."""
    phone = signed_in_phone(client, auth, "staff")
    first = [phone.item("concern", concern("Phone out in the changing room")),
             phone.item("concern", concern("Unkind messages in the class group chat")),
             phone.item("device_request", device_request())]
    switch(auth, phone, "staff2")
    second = [phone.item("concern", concern("A visitor filmed the sports day race"))]
    statuses = phone.statuses(first + second)
    assert set(statuses.values()) == {"stored"}
    assert phone.statuses(first + second) == {i["id"]: "duplicate" for i in first + second}

    reporters = {r["item_id"]: r["reporter_id"] for r in db.query("SELECT item_id, reporter_id FROM concerns")}
    assert reporters == {first[0]["id"]: app.people["staff"], first[1]["id"]: app.people["staff"],
                         second[0]["id"]: app.people["staff2"]}
    request = next(db.query("SELECT requester_id, source, item_id FROM device_requests"))
    assert request == {"requester_id": app.people["staff"], "source": "phone", "item_id": first[2]["id"]}

    switch(auth, phone, "dsl")
    queue = [c for c in phone.pull().get_json()["changes"] if c["type"] == "concern"]
    assert len(queue) == 3
    switch(auth, phone, "head")
    assert [c["type"] for c in phone.pull().get_json()["changes"] if c["type"] == "request_to_decide"] \
        == ["request_to_decide"]


def test_a_concern_missing_what_happened_is_returned_with_the_forms_message(client, auth, db):
    phone = signed_in_phone(client, auth, "staff")
    result = phone.push([phone.item("concern", {**concern(""), "account": ""})]).get_json()["results"][0]
    assert result["status"] == "returned" and result["errors"]["account"] == ["Say what happened."]
    assert count(db, "concerns") == 0


def test_case_entries_from_a_dsls_phone_and_not_from_staff(client, auth, db, app):
    phone = signed_in_phone(client, auth, "staff")
    phone.statuses([phone.item("concern", concern("Photos of learners on a personal phone"))])
    concern_id = next(db.query("SELECT id FROM concerns"))["id"]
    entry = {"concern_id": concern_id, "kind": "note", "body": "Spoke to the class teacher.", "reference": "",
             "assignee_id": "", "status": ""}
    refused = phone.push([phone.item("case_event", entry)]).get_json()["results"][0]
    assert refused["status"] == "quarantined" and "author" in refused["errors"]  # staff may not touch a case
    switch(auth, phone, "dsl")
    item = phone.item("case_event", entry)
    assert phone.statuses([item]) == {item["id"]: "stored"}
    row = next(db.query("SELECT * FROM case_events WHERE item_id = ?", [item["id"]]))
    assert row["concern_id"] == concern_id


def test_a_decision_from_the_heads_phone_and_not_from_a_dsls(client, auth, db, app):
    phone = signed_in_phone(client, auth, "staff")
    asked = device_request()
    phone.statuses([phone.item("device_request", asked)])
    request_id = next(db.query("SELECT id FROM device_requests"))["id"]
    decision = {"request_id": request_id, "outcome": "approved", "conditions": "Only in the staffroom.",
                "ends_at": asked["ends_at"], "reason": ""}
    switch(auth, phone, "dsl")
    assert set(phone.statuses([phone.item("decision", decision)]).values()) == {"quarantined"}
    switch(auth, phone, "head")
    item = phone.item("decision", decision)
    assert phone.statuses([item]) == {item["id"]: "stored"}
    row = next(db.query("SELECT * FROM decisions"))
    assert (row["decided_by"], row["outcome"], row["source"]) == (app.people["head"], "approved", "phone")
    switch(auth, phone, "staff")
    mine = [c for c in phone.pull().get_json()["changes"] if c["type"] == "device_request"]
    assert mine[-1]["data"]["outcome"] == "approved"


def test_a_forbidden_request_is_stored_and_refused_at_once(client, auth, db):
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("device_request", device_request(purpose="photos_of_learners"))
    assert phone.statuses([item]) == {item["id"]: "stored"}
    assert next(db.query("SELECT refused_rule FROM device_requests"))["refused_rule"] == "photos_of_learners"


def test_every_domains_kinds_are_dispatched(client, auth, db, app):
    assert {"concern", "case_event", "device_request", "decision", "declaration"} <= set(app.extensions["sync_kinds"])
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("declaration", {"relationship": "neighbour", "with_whom": "The parent of a Year 4 learner",
                                      "details": "We live on the same street."})
    assert phone.statuses([item]) == {item["id"]: "stored"}
    assert next(db.query("SELECT item_id FROM declarations"))["item_id"] == item["id"]

"""A concern logged on an enrolled school phone with nobody signed in: stored, credited, unconfirmed."""
import json

import pytest

from tests.conftest import csrf_from
from tests.sync.phone import seal_and_sign, signed_item

from .conftest import PHONE_ID, SchoolPhone, new_id, rows


@pytest.fixture
def mail_on(app):
    app.config["SMTP_HOST"] = "mail.invalid"  # emails are queued in the outbox (nothing is sent here)


def staff_named(app, who="staff"):
    return {"user_id": app.people[who], "name": {"staff": "Sally Staff", "staff2": "Sam Second"}[who]}


def test_a_concern_is_stored_with_no_session_credited_unconfirmed(app, client, auth, school_phone, mail_on):
    item = school_phone.concern("PHONE-1 a child filmed in the changing rooms", staff_named(app))
    response = school_phone.push([item])
    assert response.status_code == 200
    [concern] = rows(app, "SELECT * FROM concerns")
    assert response.get_json() == {"results": [{"id": item["id"], "status": "stored", "number": concern["id"]}]}
    assert concern["reporter_id"] == app.people["staff"] and concern["item_id"] == item["id"]
    [credit] = rows(app, "SELECT * FROM school_phone_concerns")
    assert (credit["concern_id"], credit["named_as"], credit["named_user_id"]) == (
        concern["id"], "Sally Staff", app.people["staff"])
    # the DSLs are told as of any concern
    subjects = [r["subject"] for r in rows(app, "SELECT subject FROM mail_outbox")]
    assert subjects == ["New concern: Any other online-safety worry"] * 2  # one to each DSL
    # no account was signed in to deliver it: the phone is listed with nobody
    assert rows(app, "SELECT user_id, waiting_count FROM phones WHERE device_id = ?", [PHONE_ID]) == [
        {"user_id": None, "waiting_count": 1}]
    auth.login("dsl")
    queue = client.get("/concerns/queue").get_data(as_text=True)
    assert "by Sally Staff — unconfirmed — logged on school phone 3" in queue
    case = client.get(f"/concerns/{concern['id']}").get_data(as_text=True)
    assert "Sally Staff — unconfirmed — logged on school phone 3" in case


def test_the_push_ignores_any_session_and_needs_no_csrf_token(app, client, auth, school_phone):
    auth.login("staff2")  # someone else signed in on the phone changes nothing
    item = school_phone.concern("PHONE-2", staff_named(app))
    response = client.post("/api/sync/push-from-school-phone",
                           json={"device_id": PHONE_ID, "waiting": {"count": 1}, "items": [item]})
    assert response.status_code == 200 and response.get_json()["results"][0]["status"] == "stored"
    assert rows(app, "SELECT reporter_id FROM concerns") == [{"reporter_id": app.people["staff"]}]


def test_a_replay_is_a_duplicate_and_other_content_under_the_same_id_is_kept_aside(app, school_phone):
    item = school_phone.concern("PHONE-3", staff_named(app))
    assert school_phone.statuses([item, item]) == ["stored", "duplicate"]
    assert school_phone.statuses([item]) == ["duplicate"]
    number = rows(app, "SELECT id FROM concerns")[0]["id"]
    assert school_phone.push([item]).get_json()["results"][0]["number"] == number
    other = school_phone.concern("PHONE-3 changed", staff_named(app), item_id=item["id"])
    assert school_phone.statuses([other]) == ["conflict"]
    assert len(rows(app, "SELECT * FROM concerns")) == 1
    assert [r["status"] for r in rows(app, "SELECT status FROM school_phone_items ORDER BY seq")] == [
        "stored", "conflict"]


def test_a_typed_name_of_one_member_of_staff_is_credited_to_them(app, school_phone):
    item = school_phone.concern("PHONE-4", {"user_id": None, "name": "  sam   SECOND "})
    assert school_phone.statuses([item]) == ["stored"]
    assert rows(app, "SELECT reporter_id FROM concerns") == [{"reporter_id": app.people["staff2"]}]
    assert rows(app, "SELECT named_as, named_user_id FROM school_phone_concerns") == [
        {"named_as": "sam SECOND", "named_user_id": app.people["staff2"]}]


def test_an_author_who_does_not_exist_is_kept_as_an_unknown_person_and_the_dsls_told(
        app, client, auth, school_phone, mail_on):
    items = [school_phone.concern("PHONE-5", {"user_id": None, "name": "Bob Nobody"}),
             school_phone.concern("PHONE-6", {"user_id": 987654, "name": "Who Ever"}),
             school_phone.concern("PHONE-7", None)]
    assert school_phone.statuses(items) == ["stored"] * 3
    credits = rows(app, "SELECT named_as, named_user_id FROM school_phone_concerns ORDER BY concern_id")
    assert credits == [{"named_as": "Bob Nobody", "named_user_id": None},
                       {"named_as": "Who Ever", "named_user_id": None},
                       {"named_as": "", "named_user_id": None}]
    reporters = {r["reporter_id"] for r in rows(app, "SELECT reporter_id FROM concerns")}
    [unknown] = rows(app, "SELECT * FROM users WHERE id IN (%s)" % ",".join(map(str, reporters)))
    assert (unknown["name"], unknown["active"]) == ("Unknown person", 0)
    told = [r for r in rows(app, "SELECT subject, body FROM mail_outbox") if "not on the staff list" in r["subject"]]
    assert len(told) == 3 * 2  # each concern, to each of the two DSLs
    assert "Bob Nobody" not in "".join(r["body"] for r in told)  # emails never carry names
    auth.login("dsl")
    queue = client.get("/concerns/queue").get_data(as_text=True)
    assert "unknown person named “Bob Nobody” — logged on school phone 3" in queue
    assert "unknown person named “no name given”" in queue


def test_a_deactivated_person_is_not_credited(app, client, auth, school_phone):
    from webapp.auth.store import set_active
    from webapp.db import connect
    db = connect(app.config["DATABASE"])
    set_active(db, app.people["staff2"], False)
    db.conn.close()
    assert school_phone.statuses([school_phone.concern("PHONE-8", staff_named(app, "staff2"))]) == ["stored"]
    assert rows(app, "SELECT named_user_id FROM school_phone_concerns") == [{"named_user_id": None}]


def test_a_phone_key_nobody_enrolled_is_refused_whole(app, school_phone):
    stranger = SchoolPhone(app)
    stranger.sealing_key = school_phone.sealing_key
    response = stranger.push([stranger.concern("PHONE-9", staff_named(app))])
    assert response.status_code == 403
    assert response.get_json()["error"].startswith("This phone is not enrolled as a school phone")
    assert not rows(app, "SELECT * FROM concerns") and not rows(app, "SELECT * FROM school_phone_items")
    assert not rows(app, "SELECT * FROM phones")


def test_a_retired_phones_concerns_are_kept_aside_for_a_dsl(app, client, auth, device, school_phone):
    auth.login("admin")
    page = client.get(f"/devices/{device}").get_data(as_text=True)
    client.post(f"/devices/{device}", data={"csrf_token": csrf_from(page), "asset_tag": "3", "kind": "phone",
                                           "issued_to": "none", "status": "retired"})
    auth.logout()
    item = school_phone.concern("PHONE-10", staff_named(app))
    response = school_phone.push([item])
    assert response.status_code == 200
    [result] = response.get_json()["results"]
    assert result["status"] == "quarantined"
    assert "whose key no longer counts (the device was marked retired on the register)" in result["errors"]["item"][0]
    assert not rows(app, "SELECT * FROM concerns")
    [kept] = rows(app, "SELECT * FROM school_phone_items")
    assert kept["status"] == "quarantined" and json.loads(kept["envelope"]) == item
    auth.login("dsl")
    assert "Kept aside from school phones" in client.get("/sync/quarantine").get_data(as_text=True)
    page = client.get("/school-phones/kept-aside").get_data(as_text=True)
    assert "Signed by school phone 3, whose key no longer counts" in page
    # a DSL can read what it says, and who the person on the phone said they were
    shown = client.get(f"/school-phones/kept-aside/{kept['seq']}").get_data(as_text=True)
    assert "PHONE-10" in shown and "Sally Staff" in shown and "School phone 3" in shown
    assert client.get("/school-phones/kept-aside/99999").status_code == 404
    auth.logout()
    auth.login("staff")
    assert client.get(f"/school-phones/kept-aside/{kept['seq']}").status_code == 403


def test_only_concerns_come_this_way(app, school_phone):
    request = school_phone.concern("PHONE-11", staff_named(app), kind="device_request")
    response = school_phone.push([request])
    [result] = response.get_json()["results"]
    assert result["status"] == "quarantined"
    assert result["errors"]["kind"] == ["only a concern can be sent from a school phone with nobody signed in; "
                                        "sign in to send anything else"]


def test_a_forged_signature_never_takes_the_genuine_items_id(app, school_phone):
    genuine = school_phone.concern("PHONE-12", staff_named(app))
    forger = SchoolPhone(app)
    forged = signed_item(genuine["id"], "concern", genuine["created_at"], genuine["sealed"], forger.key,
                         school_phone.kid)
    assert school_phone.statuses([forged]) == ["quarantined"]
    assert school_phone.statuses([genuine]) == ["stored"]
    assert len(rows(app, "SELECT * FROM concerns")) == 1


def test_a_concern_the_form_refuses_is_kept_aside(app, school_phone):
    item = school_phone.concern("PHONE-13", staff_named(app), category="no_such_category")
    [result] = school_phone.push([item]).get_json()["results"]
    assert result["status"] == "quarantined" and "category" in result["errors"]
    assert rows(app, "SELECT status FROM school_phone_items") == [{"status": "quarantined"}]


def test_a_payload_sealed_for_another_key_is_kept_aside(app, school_phone):
    other = SchoolPhone(app)
    item = seal_and_sign("concern", {"account": "x"}, school_phone.sealing_key, school_phone.key, school_phone.kid)
    item["sealed"] = seal_and_sign("concern", {"account": "x"}, school_phone.sealing_key, other.key,
                                   other.kid, item_id=item["id"])["sealed"]
    assert school_phone.statuses([item]) == ["quarantined"]


@pytest.mark.parametrize("body, status", [
    ("not json", 415), ({"items": "x"}, 400), ({"device_id": PHONE_ID, "items": [{"id": "nope"}]}, 400)])
def test_malformed_pushes_get_a_clear_json_answer(app, school_phone, body, status):
    if isinstance(body, str):
        response = school_phone.client.post("/api/sync/push-from-school-phone", data=body)
    else:
        response = school_phone.client.post("/api/sync/push-from-school-phone", json=body)
    assert response.status_code == status and response.get_json()["error"]


def test_items_of_junk_shape_are_kept_aside_not_a_500(app, school_phone):
    item = {"id": new_id(), "kind": 5, "created_at": None, "sealed": ["x"], "signed": {}}
    good = school_phone.concern("PHONE-14", staff_named(app))
    assert school_phone.statuses([item, good]) == ["quarantined", "stored"]


def test_the_same_forged_copy_sent_twice_keeps_one_row(app, school_phone):
    genuine = school_phone.concern("PHONE-15", staff_named(app))
    forged = signed_item(genuine["id"], "concern", genuine["created_at"], genuine["sealed"], SchoolPhone(app).key,
                         school_phone.kid)
    assert school_phone.statuses([forged]) == ["quarantined"]
    assert school_phone.statuses([forged]) == ["quarantined"]
    assert len(rows(app, "SELECT * FROM school_phone_items")) == 1


def test_a_school_phones_items_take_the_one_path_of_every_push(app, school_phone, monkeypatch):
    """The order (duplicate, conflict, savepoint, keep aside) is sync.ingest.take_in's, not a copy of it."""
    from webapp.sync import ingest
    seen, real = [], ingest.take_in
    monkeypatch.setattr(ingest, "take_in", lambda db, intake, envelope: seen.append(envelope.id) or real(
        db, intake, envelope))
    item = school_phone.concern("PHONE-9", staff_named(app))
    other = school_phone.concern("PHONE-9 changed", staff_named(app), item_id=item["id"])
    [stored, conflict] = school_phone.push([item, other]).get_json()["results"]
    assert seen == [item["id"], item["id"]] and stored["status"] == "stored"
    # a conflict is answered in the very words of a signed-in person's push
    assert conflict == {"id": item["id"], "status": "conflict", "errors": {"id": [ingest.CONFLICT]}}

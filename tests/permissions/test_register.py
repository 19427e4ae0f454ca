"""The school-device register (5.4): the admin's register, passcode confirmations, lost and stolen devices."""
from datetime import timedelta

import pytest

from tests.conftest import csrf_from

from .conftest import MORNING


@pytest.fixture
def register(requests, app, db):
    """Put two devices on the register: a phone issued to Sally Staff and a tablet kept in the office."""
    requests.sign_in("admin")
    for tag, kind, holder in (("NAG-PH-01", "phone", str(app.people["staff"])), ("NAG-TB-01", "tablet", "none")):
        response = requests.client.post("/devices/new", data={
            "asset_tag": tag, "kind": kind, "issued_to": holder, "status": "in_use",
            "csrf_token": requests.auth.csrf("/devices/new")})
        assert response.status_code == 302
    return requests


def device(db, tag="NAG-PH-01"):
    return next(db.query("SELECT * FROM school_devices WHERE asset_tag = ?", [tag]))


def concerns(db):
    return list(db.query("SELECT * FROM concerns ORDER BY id"))


def post_as_holder(requests, path, data):
    requests.sign_in("staff")
    token = csrf_from(requests.client.get("/devices/mine").get_data(as_text=True))
    return requests.client.post(path, data={**data, "csrf_token": token})


def test_the_admin_keeps_the_register(morning, register, db, app):
    phone = device(db)
    assert (phone["kind"], phone["issued_to"], phone["status"], phone["passcode_confirmed_at"]) == \
        ("phone", app.people["staff"], "in_use", None)
    page = register.client.get("/devices").get_data(as_text=True)
    assert "NAG-PH-01" in page and "Sally Staff" in page and "NAG-TB-01" in page and "Nobody" in page
    assert "Check needed" in page and "1 device in use has no passcode confirmation" in page


def test_an_asset_tag_is_on_the_register_once(morning, register):
    response = register.client.post("/devices/new", data={
        "asset_tag": "nag-ph-01", "kind": "phone", "issued_to": "none", "status": "in_use",
        "csrf_token": register.auth.csrf("/devices/new")})
    assert response.status_code == 200 and "already has this asset tag" in response.get_data(as_text=True)


def test_a_holder_confirms_the_passcode(morning, register, db):
    phone = device(db)
    response = post_as_holder(register, f"/devices/{phone['id']}/passcode", {"confirm": "y"})
    assert response.status_code == 302
    assert device(db)["passcode_confirmed_at"] == "2026-01-13T09:00:00Z"
    register.sign_in("admin")
    assert "Check needed" not in register.client.get("/devices").get_data(as_text=True)


def test_confirming_needs_the_box_ticked(morning, register, db):
    response = post_as_holder(register, f"/devices/{device(db)['id']}/passcode", {})
    assert response.status_code == 200 and "Tick the box" in response.get_data(as_text=True)
    assert device(db)["passcode_confirmed_at"] is None


@pytest.mark.parametrize("days_later, flagged", [(121, False), (122, True)])
def test_a_confirmation_older_than_a_term_is_flagged(morning, register, db, days_later, flagged):
    post_as_holder(register, f"/devices/{device(db)['id']}/passcode", {"confirm": "y"})
    morning.move_to(MORNING + timedelta(days=days_later), tick=False)
    register.signed_in = None
    register.sign_in("admin")
    assert ("Check needed" in register.client.get("/devices").get_data(as_text=True)) is flagged


def test_someone_else_cannot_confirm_or_report_a_device(morning, register, db):
    phone = device(db)
    register.sign_in("staff2")
    token = register.auth.csrf("/devices/mine")
    for path in (f"/devices/{phone['id']}/passcode", f"/devices/{phone['id']}/missing"):
        response = register.client.post(path, data={"confirm": "y", "status": "lost", "location": "x",
                                                     "account": "x", "csrf_token": token})
        assert response.status_code == 404
    assert device(db)["passcode_confirmed_at"] is None and device(db)["status"] == "in_use"


def test_a_holder_reporting_a_lost_device_logs_a_concern(morning, register, db, app, mailbox):
    response = post_as_holder(register, f"/devices/{device(db)['id']}/missing", {
        "status": "lost", "location": "The school field", "account": "Left it on the bench after PE."})
    assert response.status_code == 302
    assert device(db)["status"] == "lost"
    [concern] = concerns(db)
    assert (concern["category"], concern["reporter_id"], concern["location"]) == \
        ("school_device", app.people["staff"], "The school field")
    assert "NAG-PH-01" in concern["account"] and "Left it on the bench" in concern["account"]
    assert {tuple(m["to"]) for m in mailbox.messages} == {("dsl2@test.school",), ("dsl@test.school",)}


def test_reporting_needs_what_happened(morning, register, db):
    response = post_as_holder(register, f"/devices/{device(db)['id']}/missing", {"status": "stolen"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Say where you last had it." in page and "Say what happened." in page
    assert device(db)["status"] == "in_use" and concerns(db) == []


def test_the_admin_marking_a_device_stolen_logs_a_concern(morning, register, db, app):
    phone = device(db)
    response = register.client.post(f"/devices/{phone['id']}", data={
        "asset_tag": "NAG-PH-01", "kind": "phone", "issued_to": str(app.people["staff"]), "status": "stolen",
        "csrf_token": register.auth.csrf(f"/devices/{phone['id']}")})
    assert response.status_code == 302
    [concern] = concerns(db)
    assert concern["category"] == "school_device" and concern["reporter_id"] == app.people["admin"]
    assert "stolen" in concern["account"] and device(db)["status"] == "stolen"


def test_giving_a_device_to_someone_else_asks_them_to_confirm_again(morning, register, db, app):
    phone = device(db)
    post_as_holder(register, f"/devices/{phone['id']}/passcode", {"confirm": "y"})
    register.sign_in("admin")
    register.client.post(f"/devices/{phone['id']}", data={
        "asset_tag": "NAG-PH-01", "kind": "phone", "issued_to": str(app.people["staff2"]), "status": "in_use",
        "csrf_token": register.auth.csrf(f"/devices/{phone['id']}")})
    assert device(db)["issued_to"] == app.people["staff2"] and device(db)["passcode_confirmed_at"] is None
    assert concerns(db) == []
    history = register.client.get(f"/devices/{phone['id']}").get_data(as_text=True)
    assert "Issued to Sam Second" in " ".join(history.split())


@pytest.mark.parametrize("who", ["staff", "dsl", "head", "governor"])
def test_only_the_admin_sees_the_register(morning, requests, who):
    requests.sign_in(who)
    assert requests.client.get("/devices").status_code == 403
    assert requests.client.get("/requests/areas").status_code == 403


def test_an_admin_adds_a_restricted_place_and_requests_for_it_are_refused(morning, requests, db):
    requests.sign_in("admin")
    response = requests.client.post("/requests/areas", data={
        "label": "Medical room", "restricted": "y", "csrf_token": requests.auth.csrf("/requests/areas")})
    assert response.status_code == 302
    again = requests.client.post("/requests/areas", data={
        "label": "medical room", "csrf_token": requests.auth.csrf("/requests/areas")})
    assert "already on the list" in again.get_data(as_text=True)
    requests.ask(location="medical_room")
    assert requests.rows()[-1]["refused_rule"] == "restricted_area"


def test_my_requests_reminds_a_holder_to_confirm(morning, register, db):
    register.sign_in("staff")
    assert "Please confirm that your school device locks" in register.client.get("/requests/mine").get_data(
        as_text=True)
    post_as_holder(register, f"/devices/{device(db)['id']}/passcode", {"confirm": "y"})
    assert "Please confirm" not in register.client.get("/requests/mine").get_data(as_text=True)

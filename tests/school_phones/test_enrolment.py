"""An administrator enrols a school phone from the device register; retiring it revokes its key."""
from tests.conftest import csrf_from

from .conftest import SchoolPhone, add_device, rows


def test_an_administrator_enrols_a_phone_on_the_register(app, client, auth, device):
    auth.login("admin")
    phone = SchoolPhone(app)
    response = phone.enrol(client, device)
    assert response.status_code == 200
    body = response.get_json()
    assert body["label"] == "school phone 3"
    assert {p["name"] for p in body["staff"]} >= {"Sally Staff", "Diane Lead", "Helen Head"}
    assert "Ada Admin" not in {p["name"] for p in body["staff"]}
    key = rows(app, "SELECT * FROM school_phone_keys")
    assert [(k["kid"], k["school_device_id"], k["enrolled_by"], k["revoked_at"]) for k in key] == [
        (phone.kid, device, app.people["admin"], None)]
    assert rows(app, "SELECT action FROM audit_log WHERE action = 'school_phone.enrol'")
    page = client.get(f"/devices/{device}").get_data(as_text=True)
    assert "School phone enrolment" in page and "Enrolled on" in page


def test_enrolling_again_replaces_the_key(app, client, auth, device):
    auth.login("admin")
    first, second = SchoolPhone(app), SchoolPhone(app)
    first.enrol(client, device)
    assert second.enrol(client, device).status_code == 200
    keys = {k["kid"]: k["revoked_why"] for k in rows(app, "SELECT * FROM school_phone_keys")}
    assert keys == {first.kid: "the phone was enrolled again", second.kid: None}
    # the replaced key cannot be brought back
    response = first.enrol(client, device)
    assert response.status_code == 409 and "make a new key" in response.get_json()["error"]


def test_only_an_administrator_may_enrol(app, client, auth, device):
    phone = SchoolPhone(app)
    response = client.post("/api/school-phones/enrol", json={})
    assert response.status_code == 401 and response.is_json
    auth.login("dsl")
    response = phone.enrol(client, device)
    assert response.status_code == 403
    assert response.get_json()["error"] == "Only an administrator can enrol a school phone."
    assert not rows(app, "SELECT * FROM school_phone_keys")


def test_enrolling_needs_the_csrf_token(app, client, auth, device):
    auth.login("admin")
    response = client.post("/api/school-phones/enrol", json={"school_device_id": device})
    assert response.status_code == 400 and response.is_json


def test_only_a_phone_or_tablet_in_use_can_be_enrolled(app, client, auth):
    auth.login("admin")
    laptop = add_device(app, "LT-1", kind="laptop")
    retired = add_device(app, "PH-9", status="retired")
    for device_id in (laptop, retired):
        response = SchoolPhone(app).enrol(client, device_id)
        assert response.status_code == 409
        assert "only a phone or tablet in use can be" in response.get_json()["error"]
    response = SchoolPhone(app).enrol(client, 999)
    assert response.status_code == 404 and response.get_json()["error"] == "There is no such device on the register."
    assert not rows(app, "SELECT * FROM school_phone_keys")


def test_bad_keys_are_refused_in_plain_words(app, client, auth, device):
    auth.login("admin")
    token = client.get("/api/session").get_json()["csrf_token"]
    for key in (None, "abc", {"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"}):
        response = client.post("/api/school-phones/enrol", headers={"X-CSRFToken": token},
                               json={"school_device_id": device, "device_id": "p", "public_key": key})
        assert response.status_code == 400 and "public_key" in response.get_json()["error"]


def test_retiring_the_device_on_the_register_revokes_its_key(app, client, auth, device, school_phone):
    auth.login("admin")
    page = client.get(f"/devices/{device}").get_data(as_text=True)
    client.post(f"/devices/{device}", data={"csrf_token": csrf_from(page), "asset_tag": "3", "kind": "phone",
                                           "issued_to": "none", "status": "retired"})
    [key] = rows(app, "SELECT * FROM school_phone_keys")
    assert key["revoked_at"] and key["revoked_why"] == "the device was marked retired on the register"
    assert "Not enrolled" in client.get(f"/devices/{device}").get_data(as_text=True)


def test_an_administrator_can_end_an_enrolment(app, client, auth, device, school_phone):
    auth.login("admin")
    page = client.get(f"/school-phones/enrol/{device}").get_data(as_text=True)
    assert "3 is enrolled" in page
    response = client.post(f"/school-phones/enrol/{device}/end", data={"csrf_token": csrf_from(page)},
                           follow_redirects=True)
    assert "3 is no longer enrolled as a school phone." in response.get_data(as_text=True)
    [key] = rows(app, "SELECT * FROM school_phone_keys")
    assert key["revoked_why"] == "enrolment ended by an administrator"
    assert school_phone.client.post("/api/school-phones/staff", json={"proof": school_phone.proof()}).status_code == 403


def test_the_enrol_page_is_for_administrators(app, client, auth, device):
    assert client.get(f"/school-phones/enrol/{device}").status_code == 302
    auth.login("dsl")
    assert client.get(f"/school-phones/enrol/{device}").status_code == 403
    auth.logout()
    auth.login("admin")
    page = client.get(f"/school-phones/enrol/{device}").get_data(as_text=True)
    assert "Enrol this phone as 3" in page and "is not enrolled" in page
    assert client.get("/school-phones/enrol/999").status_code == 404


def test_the_phone_fetches_its_staff_list_with_a_fresh_proof(app, school_phone):
    response = school_phone.client.post("/api/school-phones/staff", json={"proof": school_phone.proof()})
    assert response.status_code == 200
    body = response.get_json()
    assert body["label"] == "school phone 3" and "Sam Second" in {p["name"] for p in body["staff"]}
    assert body["sealing_key"]["kid"]


def test_a_stale_wrong_or_foreign_proof_gets_no_staff_list(app, school_phone):
    stranger = SchoolPhone(app)
    cases = [school_phone.proof(at="2020-01-01T00:00:00Z"), school_phone.proof(purpose="other"),
             stranger.proof(), "not a token", None]
    # a proof naming the phone's kid but signed by another key
    from tests.sync.phone import sign
    cases.append(sign({"purpose": "staff-list", "at": "2026-01-01T00:00:00Z"}, stranger.key, school_phone.kid))
    for proof in cases:
        response = school_phone.client.post("/api/school-phones/staff", json={"proof": proof})
        assert response.status_code == 403 and response.get_json()["error"], proof

"""What the school phone's routes really answer matches their description, for success and each refusal."""
import pytest
import schemathesis

from tests.school_phones.conftest import SchoolPhone, add_device, device, school_phone  # noqa: F401 (fixtures)
from webapp.openapi import document


@pytest.fixture
def described(app):
    schema = schemathesis.openapi.from_dict(document.build(app.config))
    return lambda path, response: schema[path]["POST"].validate_response(response)


def named(app):
    return {"user_id": app.people["staff"], "name": "Sally Staff"}


def test_enrolling_answers_as_described(app, client, auth, described):
    auth.login("admin")
    phone = SchoolPhone(app)
    answers = [phone.enrol(client, add_device(app, "7")), phone.enrol(client, 99999),
               phone.enrol(client, add_device(app, "8", kind="laptop"))]
    assert [a.status_code for a in answers] == [200, 404, 409]
    for answer in answers:
        described("/api/school-phones/enrol", answer)
    auth.logout()
    auth.login("staff")
    refused = SchoolPhone(app).enrol(client, add_device(app, "9"))
    assert refused.status_code == 403
    described("/api/school-phones/enrol", refused)


def test_the_staff_list_answers_as_described(app, school_phone, described):
    path = "/api/school-phones/staff"
    app.config["SCHOOL_PHONE_REQUESTS_PER_MINUTE"] = 2  # the third request this phone signs is one too many
    answers = [school_phone.client.post(path, json={"proof": school_phone.proof()}),
               school_phone.client.post(path, json={"proof": school_phone.proof(purpose="other")}),
               school_phone.client.post(path, data="not json")]
    assert [a.status_code for a in answers] == [200, 403, 415]
    assert {"id": app.people["staff"], "name": "Sally Staff"} in answers[0].get_json()["staff"]
    answers.append(school_phone.client.post(path, json={"proof": school_phone.proof()}))
    assert answers[-1].status_code == 429
    for answer in answers:
        described(path, answer)


def test_the_school_phone_push_answers_as_described(app, school_phone, described):
    path = "/api/sync/push-from-school-phone"
    app.config["SCHOOL_PHONE_REQUESTS_PER_MINUTE"] = 2
    item = school_phone.concern("DESCRIBED-1", named(app))
    stranger = SchoolPhone(app)
    stranger.sealing_key = school_phone.sealing_key
    answers = [school_phone.push([item]), school_phone.push([item]), stranger.push([stranger.concern("X", named(app))])]
    assert [a.status_code for a in answers] == [200, 200, 403]
    assert [r["status"] for r in answers[1].get_json()["results"]] == ["duplicate"]
    assert answers[0].get_json()["results"][0]["number"] == answers[1].get_json()["results"][0]["number"]
    answers.append(school_phone.push([school_phone.concern("DESCRIBED-2", named(app))]))
    assert answers[-1].status_code == 429
    for answer in answers:
        described(path, answer)

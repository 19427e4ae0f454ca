"""The routes a school phone calls with nobody signed in are capped per phone, per minute: 429, Retry-After, plain words."""
from datetime import timedelta

import pytest
import time_machine

from webapp.clock import utcnow

from .conftest import SchoolPhone, add_device, rows

CAP = 3
TOO_OFTEN = ("This phone has asked the school's server too often in the last minute. Nothing was accepted and "
             "everything stays on this phone: it tries again by itself in ")


@pytest.fixture
def capped(app):
    app.config["SCHOOL_PHONE_REQUESTS_PER_MINUTE"] = CAP
    return CAP


def named(app):
    return {"user_id": app.people["staff"], "name": "Sally Staff"}


def staff_list(phone):
    return phone.client.post("/api/school-phones/staff", json={"proof": phone.proof()})


def assert_too_often(response):
    assert response.status_code == 429 and response.is_json
    body = response.get_json()
    assert body["status"] == 429 and body["error"].startswith(TOO_OFTEN) and body["errors"] == {}
    seconds = int(response.headers["Retry-After"])
    assert 1 <= seconds <= 60 and body["error"].endswith(f"in {seconds} seconds.")


def test_a_phone_over_its_cap_is_told_to_wait_and_nothing_is_taken(app, school_phone, capped):
    start = utcnow()
    with time_machine.travel(start, tick=False):
        for _ in range(CAP - 1):
            assert staff_list(school_phone).status_code == 200
        first = school_phone.concern("RATE-1 the first one", named(app))
        assert school_phone.statuses([first]) == ["stored"]  # the staff list and pushes count together
        late = school_phone.concern("RATE-2 one too many", named(app))
        assert_too_often(school_phone.push([late]))
        assert_too_often(staff_list(school_phone))
    assert [r["account"] for r in rows(app, "SELECT account FROM concerns")] == ["RATE-1 the first one"]
    assert rows(app, "SELECT count(*) AS n FROM school_phone_items") == [{"n": 1}]
    with time_machine.travel(start + timedelta(seconds=61), tick=False):  # the minute has moved on
        assert school_phone.statuses([late]) == ["stored"]


def test_each_phone_has_its_own_cap(app, client, auth, school_phone, capped):
    auth.login("admin")
    other = SchoolPhone(app)
    assert other.enrol(client, add_device(app, "4")).status_code == 200
    auth.logout()
    for _ in range(CAP):
        assert staff_list(school_phone).status_code == 200
    assert_too_often(staff_list(school_phone))
    assert staff_list(other).status_code == 200


def test_a_phone_enrolled_again_keeps_the_count_of_its_device(app, client, auth, device, school_phone, capped):
    for _ in range(CAP):
        assert staff_list(school_phone).status_code == 200
    auth.login("admin")
    again = SchoolPhone(app)
    assert again.enrol(client, device).status_code == 200
    auth.logout()
    assert_too_often(staff_list(again))


def test_requests_naming_no_enrolled_phone_are_capped_by_address(app, school_phone, capped):
    stranger = SchoolPhone(app)  # a key the register never saw
    stranger.sealing_key = school_phone.sealing_key
    for _ in range(CAP):
        assert staff_list(stranger).status_code == 403
    assert_too_often(staff_list(stranger))
    assert_too_often(stranger.push([stranger.concern("RATE-3", named(app))]))
    assert staff_list(school_phone).status_code == 200  # an enrolled phone on the same network is not held back
    assert not rows(app, "SELECT * FROM concerns")

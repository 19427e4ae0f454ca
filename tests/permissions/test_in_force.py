"""Permissions in force: on the list from the exact start, off it at the exact end, names only."""
import pytest

from .conftest import CONTRACTOR


@pytest.fixture
def approved(morning, requests):
    """A contractor's permission from 09:10 to 09:30 this morning, approved at 09:00."""
    requests.ask(**{**CONTRACTOR, "starts_at": "2026-01-13T09:10", "ends_at": "2026-01-13T09:40"})
    requests.approve(requests.last_id(), conditions="Hall only, never near learners.", ends_at="2026-01-13T09:30")
    requests.sign_in("staff2")
    return requests


def listed(requests):
    page = requests.client.get("/requests/in-force").get_data(as_text=True)
    return "Dan Roofer" in page


@pytest.mark.parametrize("moment, shown", [
    ("2026-01-13T09:09:59Z", False),
    ("2026-01-13T09:10:00Z", True),
    ("2026-01-13T09:29:59Z", True),
    ("2026-01-13T09:30:00Z", False),
])
def test_the_list_follows_the_clock(approved, morning, moment, shown):
    morning.move_to(moment, tick=False)
    assert listed(approved) is shown


def test_it_shows_names_organisations_and_conditions_but_nothing_else_personal(approved, morning):
    morning.move_to("2026-01-13T09:15:00Z", tick=False)
    page = approved.client.get("/requests/in-force").get_data(as_text=True)
    assert "Dan Roofer" in page and "Kent Roofing Ltd" in page and "Hall only, never near learners." in page
    assert "The hall" in page and "13 Jan 2026, 09:30" in page
    assert "Photos of the hall roof" not in page  # the request's own words stay with the head
    assert "staff@test.school" not in page


def test_staff_asking_for_themselves_show_as_staff(morning, requests):
    requests.ask()
    requests.approve(requests.last_id())
    page = requests.client.get("/requests/in-force").get_data(as_text=True)
    assert "Sally Staff (staff)" in page


def test_a_declined_request_is_never_in_force(morning, requests):
    requests.ask(**CONTRACTOR)
    requests.decide(requests.last_id(), outcome="declined", reason="Come back after school.")
    assert not listed(requests)


@pytest.mark.parametrize("who, status", [("staff", 200), ("dsl", 200), ("head", 200), ("governor", 403),
                                         ("admin", 403)])
def test_who_may_see_it(morning, requests, who, status):
    requests.sign_in(who)
    assert requests.client.get("/requests/in-force").status_code == status

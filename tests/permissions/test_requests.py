"""Asking to use a device: allowed requests wait, forbidden ones are refused on the spot and recorded."""
import pytest

from webapp.permissions.rules import RULES_BY_KEY

from .conftest import CONTRACTOR

# Each refusal rule, with what a person typed that breaks it.
REFUSALS = [
    ("restricted_area", {"location": "toilets"}),
    ("restricted_area", {"location": "changing_rooms"}),
    ("restricted_area", {"location": "swimming_pool"}),
    ("photos_of_learners", {"purpose": "photos_of_learners"}),
    ("contact_learners_or_parents", {"purpose": "contact_learners_or_parents"}),
]
# Mistakes in the times: the person is asked to correct them, and nothing is recorded.
TIME_MISTAKES = [
    ("end_before_start", {"starts_at": "2026-01-13T14:00", "ends_at": "2026-01-13T13:00"}),
    ("end_before_start", {"starts_at": "2026-01-13T14:00", "ends_at": "2026-01-13T14:00"}),
    ("window_ended", {"starts_at": "2026-01-12T09:00", "ends_at": "2026-01-12T15:00"}),
    ("window_too_long", {"starts_at": "2026-01-13T09:00", "ends_at": "2027-01-15T09:00"}),
    ("window_too_long", {**CONTRACTOR, "starts_at": "2026-01-13T09:00", "ends_at": "2026-02-14T09:00"}),
]


@pytest.mark.parametrize("rule_key, typed", TIME_MISTAKES)
def test_a_mistake_in_the_times_is_asked_to_be_corrected_not_refused(morning, requests, rule_key, typed):
    rule = RULES_BY_KEY[rule_key]
    response = requests.ask(**typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page
    assert rule.instead in page and typed.get("detail", "My mother is in hospital") in page
    assert requests.rows() == []


def test_an_allowed_request_waits_for_the_head(morning, requests, app):
    response = requests.ask()
    assert response.status_code == 302 and response.headers["Location"].endswith("/requests/mine")
    [row] = requests.rows()
    assert row["requester_id"] == app.people["staff"] and row["refused_rule"] is None
    assert (row["source"], row["item_id"], row["starts_at"], row["ends_at"]) == \
        ("web", None, "2026-01-13T09:00:00Z", "2026-01-13T15:30:00Z")
    page = requests.client.get("/requests/mine").get_data(as_text=True)
    assert "Waiting for the headteacher" in page
    assert f"Sent — request number {row['id']} has reached the headteacher." in page
    assert f"Request number {row['id']}" in page.split("</h2>", 2)[1]  # on the request's own card too


@pytest.mark.parametrize("rule_key, typed", REFUSALS)
def test_each_refusal_is_shown_on_the_spot_and_recorded(morning, requests, rule_key, typed):
    rule = RULES_BY_KEY[rule_key]
    response = requests.ask(**typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert rule.title in page and rule.instead in page
    if rule.clause:
        assert f"clause {rule.clause}" in page
    assert typed.get("detail", "My mother is in hospital") in page  # what was typed is kept
    [row] = requests.rows()
    assert (row["refused_rule"], row["refused_clause"]) == (rule_key, rule.clause)
    mine = requests.client.get("/requests/mine").get_data(as_text=True)
    assert "Refused" in mine and rule.instead in mine
    requests.sign_in("head")
    assert "Nothing is waiting" in requests.client.get("/requests/decisions").get_data(as_text=True)


def test_a_long_window_is_fine_for_staff_but_not_for_a_visitor(morning, requests):
    assert requests.ask(ends_at="2026-03-01T09:00").status_code == 302
    assert requests.ask(**{**CONTRACTOR, "ends_at": "2026-03-01T09:00"}).status_code == 200
    assert [r["refused_rule"] for r in requests.rows()] == [None]


def test_a_window_that_started_earlier_and_has_not_ended_is_allowed(morning, requests):
    assert requests.ask(starts_at="2026-01-13T08:00", ends_at="2026-01-13T09:01").status_code == 302


@pytest.mark.parametrize("typed, message", [
    ({"device": "drone"}, "“drone” is not one of the options"),
    ({"purpose": "selfies"}, "“selfies” is not one of the options"),
    ({"location": "roof"}, "“roof” is not one of the options"),
    ({"for_whom": "someone"}, "“someone” is not one of the options"),
    ({"device": None}, "Choose the device."),
    ({"purpose": None}, "Choose what the device is for."),
    ({"location": None}, "Choose where the device will be used."),
    ({"for_whom": None}, "Say who the device is for."),
    ({"starts_at": ""}, "Enter when it starts."),
    ({"ends_at": "tomorrow"}, "Enter the date and time"),
    ({"ends_at": "0001-01-01T00:00"}, "Enter the date and time"),
    ({"for_whom": "visitor"}, "Enter the visitor&#39;s full name."),
    ({**CONTRACTOR, "visitor_organisation": " "}, "Enter the visitor&#39;s organisation"),
    ({"detail": "x" * 2001}, "2000"),
])
def test_bad_input_is_a_clear_error_and_stores_nothing(morning, requests, typed, message):
    response = requests.ask(**typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert requests.rows() == []


def test_typed_times_are_school_time_in_summer(time_machine, requests):
    time_machine.move_to("2026-06-09T08:00:00Z", tick=False)
    assert requests.ask(starts_at="2026-06-09T10:00", ends_at="2026-06-09T12:00").status_code == 302
    row = requests.rows()[0]
    assert (row["starts_at"], row["ends_at"]) == ("2026-06-09T09:00:00Z", "2026-06-09T11:00:00Z")


def test_a_contractors_request_keeps_their_name_and_organisation(morning, requests):
    requests.ask(**CONTRACTOR)
    row = requests.rows()[0]
    assert (row["for_whom"], row["visitor_name"], row["visitor_organisation"]) == \
        ("visitor", "Dan Roofer", "Kent Roofing Ltd")


def test_visitor_fields_are_dropped_when_asking_for_oneself(morning, requests):
    requests.ask(visitor_name="Someone Else", visitor_organisation="Firm")
    row = requests.rows()[0]
    assert (row["visitor_name"], row["visitor_organisation"]) == (None, None)


def test_my_requests_shows_only_mine(morning, requests):
    requests.ask(detail="Sally's own request")
    requests.ask(who="staff2", detail="Sam's request")
    requests.sign_in("staff")
    page = requests.client.get("/requests/mine").get_data(as_text=True)
    assert "Sally&#39;s own request" in page and "Sam&#39;s request" not in page


def test_the_form_is_a_capture_form_for_the_outbox(morning, requests):
    requests.sign_in("staff")
    page = requests.client.get("/requests/new").get_data(as_text=True)
    assert 'data-outbox="device_request"' in page
    assert "999" in page and "101" in page
    for name in ("for_whom", "visitor_name", "visitor_organisation", "device", "purpose", "detail", "location",
                 "starts_at", "ends_at", "during_teaching", "urgent"):
        assert f'name="{name}"' in page


@pytest.mark.parametrize("who", ["governor", "admin"])
def test_people_who_are_not_staff_cannot_ask(morning, requests, who):
    requests.sign_in(who)
    assert requests.client.get("/requests/new").status_code == 403
    assert requests.client.get("/requests/mine").status_code == 403

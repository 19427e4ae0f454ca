"""The refusal rules on their own: each applies exactly when it should."""
from datetime import datetime, timedelta, timezone

import pytest

from webapp.permissions.rules import MAX_WINDOW, RULES, Ask, refusals, time_problem

NOW = datetime(2026, 1, 13, 9, 0, tzinfo=timezone.utc)
FINE = Ask("self", "work_task", False, NOW, NOW + timedelta(hours=2), NOW)


def keys(ask):
    """The policy refusals and the time check that fails, if any (by key)."""
    problem = time_problem(ask)
    timed = [r.key for r in RULES if problem and not r.clause and problem.startswith(r.explain(ask.for_whom))]
    return [rule.key for rule in refusals(ask)] + timed[:1]


def test_an_ordinary_request_is_not_refused():
    assert keys(FINE) == []


@pytest.mark.parametrize("changes, expected", [
    ({"restricted_area": True}, ["restricted_area"]),
    ({"purpose": "photos_of_learners"}, ["photos_of_learners"]),
    ({"purpose": "contact_learners_or_parents"}, ["contact_learners_or_parents"]),
    ({"ends_at": NOW + timedelta(hours=2), "starts_at": NOW + timedelta(hours=3)}, ["end_before_start"]),
    ({"starts_at": NOW - timedelta(hours=3), "ends_at": NOW}, ["window_ended"]),
    ({"ends_at": NOW + MAX_WINDOW["self"] + timedelta(seconds=1)}, ["window_too_long"]),
    ({"for_whom": "visitor", "ends_at": NOW + MAX_WINDOW["visitor"] + timedelta(seconds=1)}, ["window_too_long"]),
    ({"restricted_area": True, "purpose": "photos_of_learners"}, ["restricted_area", "photos_of_learners"]),
])
def test_each_rule(changes, expected):
    assert keys(Ask(**{**FINE.__dict__, **changes})) == expected


@pytest.mark.parametrize("for_whom", ["self", "visitor"])
def test_the_longest_window_allowed_is_allowed(for_whom):
    assert keys(Ask(**{**FINE.__dict__, "for_whom": for_whom, "ends_at": NOW + MAX_WINDOW[for_whom]})) == []


def test_every_rule_says_what_to_do_instead_and_policy_rules_cite_their_clause():
    for rule in RULES:
        assert rule.instead and rule.explain("visitor") and rule.explain("self")
    assert {r.key: r.clause for r in RULES if r.clause} == {
        "restricted_area": "5.1.4", "photos_of_learners": "5.2.4", "contact_learners_or_parents": "5.2.3"}


@pytest.mark.parametrize("changes", [
    {"ends_at": NOW + timedelta(hours=2), "starts_at": NOW + timedelta(hours=3)},
    {"starts_at": NOW - timedelta(hours=3), "ends_at": NOW},
    {"ends_at": NOW + MAX_WINDOW["self"] + timedelta(seconds=1)},
])
def test_time_mistakes_are_corrected_never_refused(changes):
    ask = Ask(**{**FINE.__dict__, **changes})
    assert refusals(ask) == [] and time_problem(ask)

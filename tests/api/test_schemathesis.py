"""Schemathesis against the served app, every phase and every check on, as staff and as a DSL.

No answer is a server error, every status is documented, every body matches its schema and
content type, invalid input is refused and valid input accepted, undeclared methods answer 405
with `Allow`, and each route refuses a request without the session.
"""
from webapp.openapi import document
from webapp.settings import defaults

from .fuzzing import fuzz

FUZZED = {f"{method.upper()} {path}" for path, item in document.build(defaults())["paths"].items()
          for method in item}
# What a DSL is answered differently from staff: the queue in pulls, cases read offline.
AS_DSL = ("session", "pull", "offline_views")
# What no member of staff is answered yes by: enrolling a school phone is for an administrator, and
# the school phone's own routes need what an enrolled phone's key signed. Their answers, yes and no,
# are checked against the description in test_school_phone_answers.py.
NEVER_YES_FOR_STAFF = {"POST /api/school-phones/enrol", "POST /api/school-phones/staff",
                       "POST /api/sync/push-from-school-phone"}


def _reached_with_success(run):
    return {label for label, statuses in run.statuses.items() if any(200 <= s < 300 for s in statuses)}


def test_as_staff_every_route_answers_as_described(served):
    run = fuzz(served, "staff")
    assert run.errors == []
    assert run.failures == [], "\n\n".join(run.failures)
    assert _reached_with_success(run) == FUZZED - NEVER_YES_FOR_STAFF  # signed in, every other route said yes
    assert set(run.statuses) >= NEVER_YES_FOR_STAFF  # and these were fuzzed too


def test_as_a_dsl_the_routes_that_differ_answer_as_described(served):
    run = fuzz(served, "dsl", operations=AS_DSL)
    assert run.errors == []
    assert run.failures == [], "\n\n".join(run.failures)
    assert _reached_with_success(run) == {"GET /api/session", "GET /api/sync/pull", "POST /api/audit/offline-views"}

"""Governance fixtures: policy versions and a small school's records with known figures."""
import pytest

from webapp.concerns import store as concerns_store
from webapp.governance import store
from webapp.permissions import store as permissions_store


def add_version(db, people, written="2026-07-01", effective="2026-09-01", review="2027-07-01", **extra):
    """Store a Markdown policy version directly; return its id."""
    fields = {"title": extra.pop("title", "Mobile technology policy"), "written_on": written,
              "effective_on": effective, "next_review_on": review,
              "body_markdown": extra.pop("body", "Phones stay away from the swimming pool.")}
    return store.add_version(db, fields, people["admin"])


def add_concern(db, people, category, created_at, events=(), **text):
    """Write a concern as the concerns domain would, with chronology entries (kind, at, fields)."""
    row = {"reporter_id": people["staff"], "category": category, "occurred_at": created_at,
           "location": text.get("location", "Hall"), "learners": text.get("learners", ""),
           "adults": text.get("adults", ""), "account": text.get("account", "Something happened."),
           "action_taken": text.get("action_taken", ""), "told_dsl_in_person": 0, "urgent": 0,
           "staff_involved": 0, "flagged_for_head": 0, "source": "web", "item_id": None,
           "created_at": created_at, "received_at": created_at}
    concern_id = concerns_store.insert_concern(db, row)
    for kind, at, *fields in events:
        extra = fields[0] if fields else {}
        concerns_store.insert_case_event(db, {
            "concern_id": concern_id, "author_id": people["dsl"], "kind": kind,
            "body": extra.get("body", ""), "reference": extra.get("reference", ""),
            "status": "closed" if kind == "closed" else extra.get("status"), "source": "web",
            "created_at": at, "received_at": at})
    return concern_id


def add_request(db, people, created_at, refused_rule=None, outcome=None, **text):
    """Write a device-use request (refused on the spot, or decided, or waiting); return its id."""
    request_id = permissions_store.insert_request(db, {
        "requester_id": people["staff"], "for_whom": "visitor" if text.get("visitor_name") else "self",
        "visitor_name": text.get("visitor_name"), "visitor_organisation": text.get("visitor_organisation"),
        "device": "phone", "purpose": "other", "detail": text.get("detail", ""), "location": "hall",
        "starts_at": created_at, "ends_at": created_at, "during_teaching": 0, "urgent": 0,
        "refused_rule": refused_rule, "refused_clause": None, "created_at": created_at,
        "received_at": created_at, "source": "web"})
    if outcome:
        permissions_store.insert_decision(db, {
            "request_id": request_id, "outcome": outcome, "conditions": text.get("conditions", ""),
            "ends_at": created_at if outcome == "approved" else None,
            "reason": text.get("reason", "" if outcome == "approved" else "Not in lessons."),
            "decided_by": people["head"], "decided_at": created_at, "received_at": created_at,
            "source": "web"})
    return request_id


@pytest.fixture
def people(app):
    return app.people

"""The whole case a DSL's or the head's phone keeps to read offline: labels and names, never keys."""
from datetime import timedelta

from ..clock import display, parse_iso, utcnow
from ..learners import store as learner_store
from ..learners.record import display_name
from . import links, store, thumbnails
from .categories import label as category_label
from .chronology import STATUSES, kind_label

# Closed cases stay on the phone while they were touched within this many days.
CLOSED_KEPT_DAYS = 30
REPORT = ("location", "learners", "adults", "account", "action_taken")


def kept(row, now):
    """Say whether a phone keeps this case: open, or closed and touched in the last 30 days."""
    return row["status"] != "closed" or parse_iso(row["changed_at"]) >= now - timedelta(days=CLOSED_KEPT_DAYS)


def entry(event):
    """Return one chronology entry as a person reads it."""
    return {"kind": kind_label(event["kind"]), "body": event["body"] or "", "reference": event["reference"] or "",
            "by": event["author_name"], "at": display(event["created_at"]),
            "assignee": event["assignee_name"] or "",
            "status": STATUSES.get(event["status"], "") if event["status"] else ""}


def whole_case(db, concern_id):
    """Return the report as submitted, its chronology, reporter and linked pupils, for the phone."""
    from ..school_phones.credit import reported_by  # a later domain: imported when first needed
    concern = store.get_concern(db, concern_id)
    learner_ids = [r["learner_id"] for r in links.learner_links(db, concern_id)]
    pupils = learner_store.get_many(db, learner_ids)
    report = {key: concern[key] or "" for key in REPORT}
    return {**report, "category_label": category_label(concern["category"]),
            "status_label": STATUSES.get(concern["status"], concern["status"]),
            "reporter": reported_by(db, concern_id, concern["reporter_name"]), "logged_at": display(concern["created_at"]),
            "occurred_at": display(concern["occurred_at"]), "urgent": bool(concern["urgent"]),
            "told_dsl_in_person": bool(concern["told_dsl_in_person"]),
            "assignee": concern["assignee_name"] or "",
            "linked_learners": [display_name(pupils[i]) for i in learner_ids if i in pupils],
            "pictures": thumbnails.pictures(store.attachments_of(db, concern_id)),
            "chronology": [entry(e) for e in store.events_of(db, concern_id)]}


def with_whole_cases(db, rows):
    """Attach the whole case to each queue row a phone keeps; mark the others to be dropped."""
    now = utcnow()
    for row in rows:
        row["case"] = whole_case(db, row["id"]) if kept(row, now) else None
    return rows

"""Requests and decisions arriving from a phone's outbox; what each person may pull."""
from ..auth.roles import has_role
from ..sync.handoff import Kind, Written
from . import recording, store
from ..clock import display
from .forms import DEVICES, FOR_WHOM, PURPOSES, DecisionForm, DeviceRequestForm

MINE = ("id", "item_id", "status", "for_whom", "visitor_name", "visitor_organisation", "device", "purpose",
        "detail", "location", "location_label", "starts_at", "ends_at", "created_at", "refused_rule",
        "refused_clause", "outcome", "conditions", "permitted_until", "reason", "decided_at", "decided_by_name",
        "withdrawn_at", "withdrawn_reason")
TO_DECIDE = ("id", "status", "requester_name", "for_whom", "visitor_name", "visitor_organisation", "device",
             "purpose", "detail", "location", "location_label", "starts_at", "ends_at", "created_at")
FLAGS = ("urgent", "during_teaching")


def write_device_request(db, form, author, item):
    """Record a request from a phone, refused at once exactly as on the web if a rule says so."""
    result = recording.record_request(db, form, author["id"], "phone", item.id, item.created_at)
    return Written(result["id"])


def write_decision(db, form, author, item):
    """Record the headteacher's decision from a phone, checked against the request as on the web."""
    return Written(recording.decide(db, form, author["id"], "phone", item.id, item.created_at))


def offer_areas(db, form):
    """Offer the school's list of areas, as the web page does."""
    form.set_areas(store.list_areas(db))


KINDS = {
    "device_request": Kind(form=DeviceRequestForm, roles=("staff",), table="device_requests",
                           write=write_device_request, prepare=offer_areas,
                           role_refused="Only staff can ask to use a device.",
                           unreadable="The request could not be read."),
    "decision": Kind(form=DecisionForm, roles=("head",), table="decisions", write=write_decision,
                     role_refused="Only the headteacher can decide a device-use request.",
                     unreadable="The decision could not be read."),
}


def labels(row):
    """Return what the head reads offline beside the decision form: words and school times, never keys."""
    return {"for_whom_label": dict(FOR_WHOM).get(row["for_whom"], ""),
            "device_label": dict(DEVICES).get(row["device"], ""),
            "purpose_label": dict(PURPOSES).get(row["purpose"], ""), "starts_label": display(row["starts_at"]),
            "ends_label": display(row["ends_at"]), "asked_label": display(row["created_at"])}


def _change(kind, row, fields):
    data = {key: row[key] for key in fields}
    data.update({flag: bool(row[flag]) for flag in FLAGS})
    if kind == "request_to_decide":
        data.update(labels(row))
    return {"type": kind, "id": row["id"], "changed_at": row["changed_at"], "data": data}


def changes_since(db, user, since):
    """Return what changed after `since` that this person may see, oldest change first.

    Everyone: their own requests and the decisions on them. The head: every request not refused,
    with its status, so a phone can drop one once it is decided.
    """
    changes = []
    if has_role(user, "staff"):
        changes += [_change("device_request", r, MINE) for r in store.changed_requests(db, since, user["id"])]
    if has_role(user, "head"):
        changes += [_change("request_to_decide", r, TO_DECIDE) for r in store.changed_requests(db, since)]
    return sorted(changes, key=lambda c: (c["changed_at"], c["type"], c["id"]))

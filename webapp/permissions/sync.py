"""Requests and decisions arriving from a phone's outbox; what each person may pull."""
from werkzeug.datastructures import MultiDict

from ..auth.roles import User
from ..clock import iso, parse_iso, utcnow
from . import recording, store
from .forms import DecisionForm, DeviceRequestForm

MINE = ("id", "item_id", "status", "for_whom", "visitor_name", "visitor_organisation", "device", "purpose",
        "detail", "location", "location_label", "starts_at", "ends_at", "created_at", "refused_rule",
        "refused_clause", "outcome", "conditions", "permitted_until", "reason", "decided_at", "decided_by_name",
        "withdrawn_at", "withdrawn_reason")
TO_DECIDE = ("id", "status", "requester_name", "for_whom", "visitor_name", "visitor_organisation", "device",
             "purpose", "detail", "location", "location_label", "starts_at", "ends_at", "created_at")
FLAGS = ("urgent", "during_teaching")


def holds(person, *roles):
    """Say whether a user row holds one of the roles (head implies dsl and staff)."""
    return User(person, None).has_role(*roles)


def payload_form(form_class, payload):
    """Build a form from a JSON payload (true is 'y'; false and null are absent); None if unreadable."""
    if not isinstance(payload, dict):
        return None
    data = MultiDict()
    for key, value in payload.items():
        if isinstance(value, (dict, list)):
            return None
        if value is not None and value is not False:
            data.add(str(key), "y" if value is True else str(value))
    return form_class(formdata=data, meta={"csrf": False})


def written_at(meta):
    """Return when the phone says the item was written, never later than now."""
    now = utcnow()
    try:
        return iso(min(parse_iso(meta.get("created_at")), now))
    except (AttributeError, TypeError, ValueError):
        return iso(now)


def accept_device_request(db, payload, author, meta):
    """Validate and record a request from a phone, refused at once exactly as on the web."""
    if not holds(author, "staff"):
        return {"errors": {"author": ["Only staff can ask to use a device."]}}
    existing = store.id_for_item(db, "device_requests", meta.get("item_id"))
    if existing:
        return {"ref": f"device_requests:{existing}", "after_commit": None}
    form = payload_form(DeviceRequestForm, payload)
    if form is None:
        return {"errors": {"payload": ["The request could not be read."]}}
    form.set_areas(store.list_areas(db))
    if not form.validate():
        return {"errors": form.errors}
    result = recording.record_request(db, form, author["id"], "phone", meta.get("item_id"), written_at(meta))
    return {"ref": f"device_requests:{result['id']}", "after_commit": result["after_commit"]}


def accept_decision(db, payload, author, meta):
    """Validate and record the headteacher's decision from a phone, exactly as on the web."""
    if not holds(author, "head"):
        return {"errors": {"author": ["Only the headteacher can decide a device-use request."]}}
    existing = store.id_for_item(db, "decisions", meta.get("item_id"))
    if existing:
        return {"ref": f"decisions:{existing}", "after_commit": None}
    form = payload_form(DecisionForm, payload)
    if form is None:
        return {"errors": {"payload": ["The decision could not be read."]}}
    if not form.validate():
        return {"errors": form.errors}
    decision_id = recording.decide(db, form, author["id"], "phone", meta.get("item_id"), written_at(meta))
    if decision_id is None:
        return {"errors": form.errors}
    return {"ref": f"decisions:{decision_id}", "after_commit": None}


KINDS = {"device_request": accept_device_request, "decision": accept_decision}


def _change(kind, row, fields):
    data = {key: row[key] for key in fields}
    data.update({flag: bool(row[flag]) for flag in FLAGS})
    return {"type": kind, "id": row["id"], "changed_at": row["changed_at"], "data": data}


def changes_since(db, user, since):
    """Return what changed after `since` that this person may see, oldest change first.

    Everyone: their own requests and the decisions on them. The head: every request not refused,
    with its status, so a phone can drop one once it is decided.
    """
    person = user if isinstance(user, dict) else {"id": user.id, "name": user.name, "email": user.email,
                                                   "roles": user.roles}
    changes = []
    if holds(person, "staff"):
        changes += [_change("device_request", r, MINE) for r in store.changed_requests(db, since, person["id"])]
    if holds(person, "head"):
        changes += [_change("request_to_decide", r, TO_DECIDE) for r in store.changed_requests(db, since)]
    return sorted(changes, key=lambda c: (c["changed_at"], c["type"], c["id"]))

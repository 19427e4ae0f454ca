"""Record requests and decisions the same way whether they come from the web form or a phone."""
from flask import current_app

from ..auth.store import users_with_role
from ..clock import display, iso, parse_iso, utcnow
from ..mail import send_mail
from . import store
from .forms import DEVICES, PURPOSES
from .rules import Ask, refusals


def record_request(db, form, requester_id, source, item_id, created_at):
    """Write a validated request, refused at once if a rule says so; return its id and refusals.

    Runs inside the caller's transaction, which also queues the urgent email to the headteacher.
    """
    now = utcnow()
    area = store.get_area(db, form.location.data)
    visitor = form.for_whom.data == "visitor"
    ask = Ask(form.for_whom.data, form.purpose.data, bool(area["restricted"]),
              form.starts_at.data, form.ends_at.data, now)
    refused = refusals(ask)
    row = {
        "requester_id": requester_id, "for_whom": form.for_whom.data,
        "visitor_name": form.visitor_name.data.strip() if visitor else None,
        "visitor_organisation": form.visitor_organisation.data.strip() if visitor else None,
        "device": form.device.data, "purpose": form.purpose.data, "detail": (form.detail.data or "").strip(),
        "location": area["key"], "starts_at": iso(ask.starts_at), "ends_at": iso(ask.ends_at),
        "during_teaching": int(form.during_teaching.data), "urgent": int(form.urgent.data),
        "refused_rule": refused[0].key if refused else None,
        "refused_clause": refused[0].clause if refused else None,
        "created_at": created_at, "received_at": iso(now), "source": source, "item_id": item_id,
    }
    request_id = store.insert_request(db, row)
    if row["urgent"] and not refused:
        _queue_urgent_email(db, {**row, "location_label": area["label"]})
    return {"id": request_id, "refused": refused}


def _queue_urgent_email(db, row):
    """Queue the email telling the headteacher(s) of an urgent request: categories only."""
    heads = [h["email"] for h in users_with_role(db, "head")]
    base = current_app.config["BASE_URL"].rstrip("/")
    body = "\n".join([
        "An urgent device-use request is waiting for your decision.", "",
        f"Who: {'a visitor or contractor' if row['for_whom'] == 'visitor' else 'a member of staff'}",
        f"Device: {dict(DEVICES)[row['device']]}",
        f"What for: {dict(PURPOSES)[row['purpose']]}",
        f"Where: {row['location_label']}",
        f"When: {display(row['starts_at'])} until {display(row['ends_at'])}", "",
        f"Decide it here: {base}/requests/decisions",
    ])
    return send_mail(heads, "Urgent device-use request waiting", body, db=db)


def check_decision(form, req, now):
    """Add an error to the form for anything that stops this decision; return True if none."""
    problem = _decision_problem(form, req, now)
    if problem:
        field, message = problem
        form[field].errors.append(message)
    return problem is None


def _decision_problem(form, req, now):
    outcome = form.outcome.data
    if req is None:
        return "request_id", "There is no request with that number."
    status = req["status"]
    if status == "refused":
        return "request_id", "This request was refused when it was made, so there is nothing to decide."
    if outcome == "withdrawn":
        if status == "withdrawn":
            return "outcome", "This permission has already been withdrawn."
        if status != "approved":
            return "outcome", "Only a permission that was approved can be withdrawn."
        if parse_iso(req["permitted_until"]) <= now:
            return "outcome", "This permission has already ended, so there is nothing to withdraw."
        return None
    if status != "waiting":
        return "request_id", (f"This request has already been decided ({status}, "
                              f"{display(req['decided_at'])}). To end a permission, withdraw it.")
    if outcome == "approved":
        return _end_problem(form.ends_at.data, req)
    return None


def _end_problem(until, req):
    if until is None:
        return None
    if until > parse_iso(req["ends_at"]):
        return "ends_at", f"It can end earlier than asked, never later than {display(req['ends_at'])}."
    if until <= parse_iso(req["starts_at"]):
        return "ends_at", f"It must end after it starts ({display(req['starts_at'])})."
    return None


def record_decision(db, form, req, head_id, source, item_id, decided_at):
    """Write a checked decision inside the caller's transaction; return its id."""
    outcome = form.outcome.data
    until = None
    if outcome == "approved":
        until = iso(form.ends_at.data) if form.ends_at.data else req["ends_at"]
    return store.insert_decision(db, {
        "request_id": req["id"], "outcome": outcome,
        "conditions": (form.conditions.data or "").strip() if outcome == "approved" else "",
        "ends_at": until, "reason": (form.reason.data or "").strip() if outcome != "approved" else "",
        "decided_by": head_id, "decided_at": decided_at, "received_at": iso(utcnow()),
        "source": source, "item_id": item_id,
    })


def decide(db, form, head_id, source="web", item_id=None, decided_at=None):
    """Check and record a validated decision; return its id, or None with errors on the form."""
    now = utcnow()
    req = store.get_request(db, form.request_id.data)
    if not check_decision(form, req, now):
        return None
    return record_decision(db, form, req, head_id, source, item_id, decided_at or iso(now))

"""Items the server returned to their author: listed for them alone, corrected as a new item or discarded.

A returned item (DESIGN.md section 4) is a verified author's item that the form's checks refused.
Its author sees it under "Needs your attention" (My concerns, My requests, the head's decisions),
opens it as the same form filled in from the server's copy with the messages, and either sends it
again (a new item, written through the same hand-over as a synced item, linked to the returned one)
or discards it with a reason. Nobody else can open it.
"""
import uuid
from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from ..clock import iso, utcnow
from ..db import get_db
from . import store
from .envelope import Person
from .forms import DiscardForm
from .ingest import hand_over, plain_errors, run_after_commit
from .payload import formdata
from .views import KIND_LABELS, bp

# Where each kind's author finds it again once it is corrected or discarded.
HOME = {"concern": "concerns.mine", "case_event": "concerns.queue", "device_request": "permissions.mine",
        "decision": "permissions.decisions"}
CONCERN_KINDS = ("concern", "case_event")
REQUEST_KINDS = ("device_request",)
DECISION_KINDS = ("decision",)


def label(kind):
    return KIND_LABELS.get(kind, "Item")


def for_author(db, author_id, kinds=None):
    """Return this person's open returned items (of these kinds), each with its label and link."""
    rows = store.returned_of(db, author_id, kinds)
    for row in rows:
        row["label"] = label(row["kind"])
        row["messages"] = [m for messages in row["errors"].values() for m in messages]
    return rows


def summary(db, author_id):
    """What a phone is told about its person's returned items (GET /api/sync/returned).

    {"count": n, "items": [{"id", "kind", "label", "received_at", "created_at", "errors": {field: [..]},
    "url"}]}: `url` is the page where the person corrects or discards it.
    """
    items = [{"id": r["id"], "kind": r["kind"], "label": r["label"], "received_at": r["received_at"],
              "created_at": r["created_at"], "errors": r["errors"],
              "url": url_for("sync.returned_item", returned_id=r["id"])}
             for r in for_author(db, author_id)]
    return {"count": len(items), "items": items}


def waiting_over_a_day(db, now=None):
    """Count returned items their authors have left for more than a day (shown to DSLs)."""
    return store.count_returned_waiting(db, iso((now or utcnow()) - timedelta(days=1)))


def _mine(returned_id):
    found = store.get_returned(get_db(), returned_id, current_user.id)
    if found is None:  # someone else's, or none: the same answer, so nothing is given away
        abort(404)
    return found


def _person():
    return Person(id=current_user.id, name=current_user.name, email=current_user.email,
                  roles=list(current_user.roles), active=True)


def _form(db, kind, data, errors=None):
    form = kind.form(formdata=data)
    if kind.prepare is not None:
        kind.prepare(db, form)
    for name, messages in (errors or {}).items():
        if name in form:
            form[name].errors = list(messages)
    return form


def _corrected_payload(found, kind, posted):
    """The stored payload with the posted fields in place of the old ones (pictures kept as sent)."""
    form = kind.form(formdata=None)
    payload = {name: value for name, value in found["payload"].items() if name in kind.files}
    for f in form:
        if f.name in ("csrf_token",) or f.name in kind.files:
            continue
        values = posted.getlist(f.name)
        payload[f.name] = values[0] if len(values) == 1 else (values or None)
    return payload


@bp.route("/returned/<int:returned_id>", methods=["GET", "POST"])
@login_required
def returned_item(returned_id):
    """Show a returned item as its form, filled from the server's copy, and take the corrected one."""
    db = get_db()
    found = _mine(returned_id)
    kind = current_app.extensions["sync_kinds"].get(found["kind"])
    if kind is None or found["status"] != "open":
        return render_template("sync/returned_closed.html", item=found, label=label(found["kind"]))
    if request.method == "POST":
        payload = _corrected_payload(found, kind, request.form)
        new_id = str(uuid.uuid4())
        meta = {"item_id": new_id, "created_at": iso(utcnow()), "uploader_id": current_user.id}
        with store.write_transaction(db):
            outcome = hand_over(db, kind, payload, _person(), meta)
            if not outcome.get("errors"):
                store.close_returned(db, returned_id, "corrected", iso(utcnow()), ref=outcome["ref"])
        if not outcome.get("errors"):
            run_after_commit([outcome["after_commit"]] if callable(outcome.get("after_commit")) else [])
            number = outcome["ref"].rpartition(":")[2]
            flash(f"Sent — {label(found['kind']).lower()} number {number} has been received.", "success")
            return redirect(url_for(HOME.get(found["kind"], "home.index")))
        data, _ = formdata(payload, kind.files)
        form = _form(db, kind, data, plain_errors(outcome["errors"]))
    else:
        data, _ = formdata(found["payload"], kind.files)
        form = _form(db, kind, data, found["errors"])
    pictures = sum(len(found["payload"].get(name) or []) for name in kind.files)
    return render_template("sync/returned_item.html", item=found, form=form, label=label(found["kind"]),
                           files=kind.files, pictures=pictures, csrf_form=DiscardForm())


@bp.route("/returned/<int:returned_id>/discard", methods=["GET", "POST"])
@login_required
def discard_returned(returned_id):
    """Let the author give up a returned item, saying why (the reason is kept)."""
    found = _mine(returned_id)
    form = DiscardForm()
    if found["status"] == "open" and form.validate_on_submit():
        db = get_db()
        with db.atomic():
            store.close_returned(db, returned_id, "discarded", iso(utcnow()), reason=form.reason.data.strip())
        flash(f"The {label(found['kind']).lower()} was discarded. Your reason is kept.", "success")
        return redirect(url_for(HOME.get(found["kind"], "home.index")))
    return render_template("sync/returned_discard.html", item=found, form=form, label=label(found["kind"]))

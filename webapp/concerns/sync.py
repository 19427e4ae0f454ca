"""Concerns and case entries arriving from a phone's outbox; what each person may pull."""
import base64
import binascii
import io

from werkzeug.datastructures import FileStorage, MultiDict

from ..auth.roles import IMPLIED
from . import capture, store
from .forms import CaseEventForm, ConcernForm


def _get(person, key):
    return person[key] if isinstance(person, dict) else getattr(person, key)


def holds(person, *roles):
    """Say whether a person (a user row or the signed-in user) holds one of the roles."""
    held = set(_get(person, "roles") or [])
    for role in list(held):
        held |= IMPLIED.get(role, set())
    return bool(held & set(roles))


def formdata(payload, skip=()):
    """Turn a JSON payload into form data: true becomes 'y', false and null are left out."""
    data = MultiDict()
    for key, value in payload.items():
        if key in skip or value is None or value is False:
            continue
        data.add(key, "y" if value is True else str(value))
    return data


def unreadable(payload, skip=()):
    """Return errors for fields holding something other than text, numbers or true/false."""
    return {key: ["This must be text, a number or true/false."] for key, value in payload.items()
            if key not in skip and not isinstance(value, (str, int, float, bool, type(None)))}


def attachment_files(items):
    """Turn synced attachments into uploaded files; return (files, error or None)."""
    if items in (None, []):
        return [], None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return [], "Attachments must be a list of files."
    files = []
    for item in items:
        try:
            raw = base64.b64decode(str(item.get("data") or ""), validate=True)
        except (binascii.Error, ValueError):
            name = item.get("filename") or "picture"
            return [], f"\u2018{name}\u2019 could not be read: attach it again."
        files.append(FileStorage(io.BytesIO(raw), filename=str(item.get("filename") or "picture"),
                                 content_type=str(item.get("content_type") or "")))
    return files, None


def accept_concern(db, payload, author, meta):
    """Validate and write a concern from a phone, exactly as the web form would."""
    if not isinstance(payload, dict):
        return {"errors": {"payload": ["The concern could not be read."]}}
    if not holds(author, "staff"):
        return {"errors": {"author": ["Only staff can log a concern."]}}
    existing = store.id_for_item(db, "concerns", meta.get("item_id"))
    if existing:
        return {"ref": f"concerns:{existing}", "after_commit": None}
    if unreadable(payload, skip=("attachments",)):
        return {"errors": unreadable(payload, skip=("attachments",))}
    files, problem = attachment_files(payload.get("attachments"))
    if problem:
        return {"errors": {"attachments": [problem]}}
    data = formdata(payload, skip=("attachments",))
    data.setlist("attachments", files)
    form = ConcernForm(formdata=data, meta={"csrf": False})
    if not form.validate():
        return {"errors": form.errors}
    concern_id = capture.log_concern(db, form, author["id"], "phone", meta.get("item_id"),
                                     meta.get("created_at"))
    return {"ref": f"concerns:{concern_id}", "after_commit": None}


def accept_case_event(db, payload, author, meta):
    """Validate and add a case entry from a phone, exactly as the web form would."""
    if not isinstance(payload, dict):
        return {"errors": {"payload": ["The case entry could not be read."]}}
    if not holds(author, "dsl", "head"):
        return {"errors": {"author": ["Only DSLs and the headteacher can add to a case."]}}
    existing = store.id_for_item(db, "case_events", meta.get("item_id"))
    if existing:
        return {"ref": f"case_events:{existing}", "after_commit": None}
    if unreadable(payload):
        return {"errors": unreadable(payload)}
    form = CaseEventForm(formdata=formdata(payload), meta={"csrf": False})
    form.set_assignees(store.case_workers(db))
    if not form.validate():
        return {"errors": form.errors}
    event_id, errors = capture.add_entry(db, form, author["id"], "phone", meta.get("item_id"),
                                         meta.get("created_at"))
    if errors:
        return {"errors": errors}
    return {"ref": f"case_events:{event_id}", "after_commit": None}


KINDS = {"concern": accept_concern, "case_event": accept_case_event}


def queue_row(row):
    """Return what a DSL's phone keeps of a queue row (never the report itself)."""
    data = {key: value for key, value in row.items() if key != "changed_at"}
    data.update(urgent=bool(row["urgent"]), flagged_for_head=bool(row["flagged_for_head"]))
    return data


def changes_since(db, user, since):
    """Return what changed after `since` that this person may see, oldest change first."""
    changes = []
    if holds(user, "staff"):
        changes += [{"type": "concern_status", "id": r["id"], "changed_at": r["changed_at"],
                     "data": {k: r[k] for k in ("id", "category", "status", "created_at")}}
                    for r in store.status_changes(db, _get(user, "id"), since)]
    if holds(user, "dsl", "head"):
        changes += [{"type": "concern", "id": r["id"], "changed_at": r["changed_at"],
                     "data": queue_row(r)} for r in store.queue_changes(db, since)]
    return sorted(changes, key=lambda c: (c["changed_at"], c["type"], c["id"]))

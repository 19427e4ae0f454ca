"""Write a concern and a case entry: the same code for web forms and items from phones."""
from ..clock import iso, utcnow
from ..learners import store as learner_store
from . import evidence, links, notify, store
from .categories import flagged_for_head
from .chronology import ACTION_ENDS, closes, missing_for_close, next_status


def log_concern(db, form, author_id, source="web", item_id=None, created_at=None):
    """Write a validated concern, its pictures and its emails to the DSLs; return its id.

    Runs inside the caller's transaction and never commits itself.
    """
    now = iso(utcnow())
    data = form.data
    flagged = flagged_for_head(data["category"], data["staff_involved"])
    row = {key: (data[key] or "").strip() for key in ("location", "learners", "adults", "account",
                                                      "action_taken")}
    row.update(reporter_id=author_id, category=data["category"],
               occurred_at=iso(data["occurred_at"]), urgent=int(bool(data["urgent"])),
               told_dsl_in_person=int(bool(data["told_dsl_in_person"])),
               staff_involved=int(bool(data["staff_involved"])), flagged_for_head=int(flagged),
               source=source, item_id=item_id, created_at=created_at or now, received_at=now)
    saved = [evidence.save(f) for f in form.files()]
    concern_id = store.insert_concern(db, row)
    for info in saved:
        store.insert_attachment(db, concern_id, info, now)
    notify.queue_new_concern_emails(db, concern_id, row["category"], row["urgent"], flagged)
    return concern_id


def entry_problems(db, form):
    """Return errors (by field) that stop this entry being added to its case, or {}."""
    state = store.get_state(db, form.concern_id.data)
    if state is None:
        return {"concern_id": ["There is no such case: open it from the queue and try again."]}
    if closes(form.kind.data, form.status.data):
        if state["status"] == "closed":
            return {"kind": ["This case is already closed."]}
        missing = missing_for_close(state["category"], store.events_of(db, state["concern_id"]))
        if missing:
            return {"kind": [f"This case cannot close yet. First record: {'; '.join(missing)}."]}
    return pointer_problems(db, form)


def pointer_problems(db, form):
    """Return errors about the pupil or action an entry points at, or {}."""
    kind, concern_id = form.kind.data, form.concern_id.data
    if kind == "learner_link":
        if learner_store.get(db, form.learner_id.data) is None:
            return {"learner_id": ["There is no such pupil: search for them again."]}
        if links.is_linked(db, concern_id, form.learner_id.data):
            return {"learner_id": ["This pupil is already linked to this concern."]}
    if kind in ACTION_ENDS:
        action = links.get_action(db, concern_id, form.action_id.data)
        if action is None:
            return {"action_id": ["There is no such action on this case."]}
        if action["ended_kind"]:
            return {"action_id": ["This action is already marked done or cancelled."]}
    return {}


def add_entry(db, form, author_id, source="web", item_id=None, created_at=None):
    """Add a validated entry to a case and move the case on; return (id, errors).

    Runs inside the caller's transaction and never commits itself.
    """
    errors = entry_problems(db, form)
    if errors:
        return None, errors
    now = iso(utcnow())
    state = store.get_state(db, form.concern_id.data)
    kind, status = form.kind.data, form.status.data or None
    new_status = next_status(state["status"], kind, status)
    assignee = form.assignee(author_id) if kind == "assignment" else state["assignee_id"]
    event_id = store.insert_case_event(db, {
        "concern_id": state["concern_id"], "author_id": author_id, "kind": kind,
        "body": (form.body.data or "").strip(), "reference": (form.reference.data or "").strip(),
        "assignee_id": form.assignee(author_id) if kind in ("assignment", "action") else None,
        "status": new_status if kind == "status_change" or closes(kind, status) else None,
        "learner_id": form.learner_id.data if kind == "learner_link" else None,
        "due_on": form.due_on.data.isoformat() if kind == "action" else None,
        "action_id": form.action_id.data if kind in ACTION_ENDS else None,
        "source": source, "item_id": item_id, "created_at": created_at or now,
        "received_at": now})
    store.update_state(db, state["concern_id"], new_status, assignee, now,
                       status_changed=new_status != state["status"])
    return event_id, {}

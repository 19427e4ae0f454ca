"""Write a concern and a case entry: the same code for web forms and items from phones."""
from ..auth.store import get_user
from ..clock import iso, utcnow
from ..learners import store as learner_store
from . import evidence, links, notify, store, visibility
from .categories import flagged_for_head
from .chronology import ACTION_ENDS, closes, missing_for_close, next_status


def log_concern(db, form, author_id, source="web", item_id=None, created_at=None):
    """Write a validated concern, its pictures and its emails to the DSLs; return its id.

    Runs inside the caller's transaction and never commits itself.
    """
    now = iso(utcnow())
    data = form.data
    about_head = bool(data["about_head"])  # about the headteacher is always about a member of staff
    flagged = flagged_for_head(data["category"], data["staff_involved"] or about_head)
    row = {key: (data[key] or "").strip() for key in ("location", "learners", "adults", "account",
                                                      "action_taken")}
    row.update(reporter_id=author_id, category=data["category"],
               occurred_at=iso(data["occurred_at"]), urgent=int(bool(data["urgent"])),
               told_dsl_in_person=int(bool(data["told_dsl_in_person"])),
               staff_involved=int(bool(data["staff_involved"]) or about_head), about_head=int(about_head),
               flagged_for_head=int(flagged),
               source=source, item_id=item_id, created_at=created_at or now, received_at=now)
    saved = [evidence.save(f) for f in form.files()]
    concern_id = store.insert_concern(db, row)
    for info in saved:
        store.insert_attachment(db, concern_id, info, now)
    notify.queue_new_concern_emails(db, concern_id, row["category"], row["urgent"], flagged, about_head)
    return concern_id


def owns_action(db, form, author_id):
    """Say whether this entry is an action's owner marking it done (staff owners cannot see the case)."""
    if form.kind.data != "action_done" or visibility.is_subject(db, author_id, form.concern_id.data):
        return False
    action = links.get_action(db, form.concern_id.data, form.action_id.data)
    return action is not None and action["assignee_id"] == author_id


def entry_problems(db, form, author_id):
    """Return errors (by field) that stop this entry being added to its case, or {}."""
    state = store.get_state(db, form.concern_id.data)
    author = get_user(db, author_id)
    if state is None or author is None or not (visibility.may_see(db, author, state["concern_id"])
                                               or owns_action(db, form, author_id)):
        # the same words whether the case does not exist or is hidden from this person
        return {"concern_id": ["There is no such case: open it from the queue and try again."]}
    allegation = store.is_allegation(db, state["concern_id"])
    if form.kind.data == "outcome" and allegation and not form.allegation_outcome.data:
        return {"allegation_outcome": ["This concern is an allegation about a member of staff: choose its "
                                       "outcome (substantiated, malicious, false, unsubstantiated or "
                                       "unfounded)."]}
    if closes(form.kind.data, form.status.data):
        if state["status"] == "closed":
            return {"kind": ["This case is already closed."]}
        missing = missing_for_close(state["category"], store.events_of(db, state["concern_id"]), allegation)
        if missing:
            return {"kind": [f"This case cannot close yet. First record: {'; '.join(missing)}."]}
    return pointer_problems(db, form, author_id)


def pointer_problems(db, form, author_id):
    """Return errors about the pupil, member of staff or action an entry points at, or {}."""
    kind, concern_id = form.kind.data, form.concern_id.data
    if kind == "subject_link":
        return subject_problems(db, concern_id, form.user_id.data, author_id)
    if kind in ("assignment", "action"):
        return assignee_problems(db, form, author_id)
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


def assignee_problems(db, form, author_id):
    """Return errors when a case or action would go to someone who may not see the case, or {}."""
    chosen, concern_id = form.assignee(author_id), form.concern_id.data
    if chosen is None:
        return {}
    if chosen in visibility.subjects_of(db, concern_id):
        return {"assignee_id": ["This concern is about that person: choose someone else."]}
    workers = {p["id"] for p in visibility.assignable(db, concern_id, store.case_workers(db))}
    if form.kind.data == "assignment" and chosen != author_id and chosen not in workers:
        return {"assignee_id": ["Choose one of the DSLs listed."]}
    return {}


def subject_problems(db, concern_id, user_id, author_id):
    """Return errors about naming the member of staff a concern is about, or {}."""
    person = get_user(db, user_id)
    if person is None:
        return {"user_id": ["There is no such member of staff: choose one from the list."]}
    if user_id == author_id:
        return {"user_id": ["You cannot record yourself as the person this concern is about: ask another "
                            "DSL, or the chair of governors if it is about the headteacher."]}
    if not person["active"]:
        return {"user_id": [f"{person['name']} no longer has an account here (they have left): "
                            "write who it is about in a note instead."]}
    if visibility.is_subject(db, user_id, concern_id):
        return {"user_id": [f"{person['name']} is already recorded as who this concern is about."]}
    return {}


def add_entry(db, form, author_id, source="web", item_id=None, created_at=None):
    """Add a validated entry to a case and move the case on; return (id, errors).

    Runs inside the caller's transaction and never commits itself.
    """
    errors = entry_problems(db, form, author_id)
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
        "user_id": form.user_id.data if kind == "subject_link" else None,
        "allegation_outcome": (form.allegation_outcome.data or None) if kind == "outcome" else None,
        "source": source, "item_id": item_id, "created_at": created_at or now,
        "received_at": now})
    store.update_state(db, state["concern_id"], new_status, assignee, now,
                       status_changed=new_status != state["status"])
    return event_id, {}

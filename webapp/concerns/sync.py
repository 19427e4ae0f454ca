"""Concerns and case entries arriving from a phone's outbox; what each person may pull."""
from ..auth.roles import has_role
from ..sync.handoff import Kind, Written
from . import capture, pulled_case, store, visibility
from .categories import label as category_label
from .chronology import STATUSES
from .forms import CaseEventForm, ConcernForm


def write_concern(db, form, author, item):
    """Write a concern from a phone, exactly as the web form does."""
    return Written(capture.log_concern(db, form, author["id"], "phone", item.id, item.created_at))


def write_case_event(db, form, author, item):
    """Add a case entry from a phone, exactly as the web form does (refused if the case says no)."""
    event_id, errors = capture.add_entry(db, form, author["id"], "phone", item.id, item.created_at)
    return Written(event_id, errors=errors)


def choose_assignees(db, form):
    """Offer the case's possible assignees and action owners, as the web page does."""
    form.set_assignees(visibility.assignable(db, form.concern_id.data, store.case_workers(db)),
                       owners=store.action_owners(db))


KINDS = {
    "concern": Kind(form=ConcernForm, roles=("staff",), table="concerns", write=write_concern,
                    role_refused="Only staff can log a concern.", unreadable="The concern could not be read.",
                    files=("attachments",)),
    "case_event": Kind(form=CaseEventForm, roles=("dsl", "head", "chair"), table="case_events", write=write_case_event,
                       role_refused="Only DSLs, the headteacher and the chair of governors can add to a case.",
                       unreadable="The case entry could not be read.", prepare=choose_assignees),
}


def queue_row(row):
    """Return what a DSL's phone keeps of a queue row, with the whole case while it is kept."""
    data = {key: value for key, value in row.items() if key != "changed_at"}
    data.update(urgent=bool(row["urgent"]), flagged_for_head=bool(row["flagged_for_head"]),
                category_label=category_label(row["category"]), status_label=STATUSES.get(row["status"], ""))
    return data


def own_concerns(db, user_id, since):
    """Return the status of this person's concerns changed after `since`.

    A concern a school phone credited to them counts as theirs only once they confirm it; until then
    they learn only that it waits for their answer (school_phones/pull.py).
    """
    from ..school_phones import pull as school_phone_pull  # a later domain: imported when first needed
    withheld = school_phone_pull.withheld_from(db, user_id)
    return [r for r in store.status_changes(db, user_id, since) if r["id"] not in withheld]


def changes_since(db, user, since):
    """Return what changed after `since` that this person may see, oldest change first."""
    changes = []
    if has_role(user, "staff"):
        changes += [{"type": "concern_status", "id": r["id"], "changed_at": r["changed_at"],
                     "data": {k: r[k] for k in ("id", "category", "status", "created_at")}}
                    for r in own_concerns(db, user["id"], since)]
    if has_role(user, "dsl", "head", "chair"):
        changes += [{"type": "concern", "id": r["id"], "changed_at": r["changed_at"],
                     "data": queue_row(r)}
                    for r in pulled_case.with_whole_cases(db, store.queue_changes(db, since, visibility.where(user)))]
        # a case this person pulled before they were named as its subject leaves their phone (a first
        # pull never held it, so it names nothing)
        if since is not None:
            changes += [{"type": "concern", "id": r["concern_id"], "changed_at": r["received_at"],
                         "removed": True} for r in store.subject_links_of(db, user["id"], since)]
            # a case destroyed under the head's decision leaves every phone that may hold it (no time
            # of it is kept: it sorts first)
            changes += [{"type": "concern", "id": concern_id, "changed_at": "", "removed": True}
                        for concern_id in store.destroyed_since(db, since)]
    return sorted(changes, key=lambda c: (c["changed_at"], c["type"], c["id"]))

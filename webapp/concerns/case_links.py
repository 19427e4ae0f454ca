"""What the case page shows and says about pupils linked at triage, actions and replies."""
from datetime import date

from ..learners import store as learner_store
from ..learners.record import display_name
from . import links, store


def context(db, concern_id, events, pupil_query):
    """Return the case page's pupils (linked, and found by the DSL's search) and actions."""
    linked_ids = [r["learner_id"] for r in links.learner_links(db, concern_id)]
    shown = set(linked_ids) | {e["learner_id"] for e in events if e["learner_id"]}
    found = learner_store.search(db, pupil_query[:100], limit=20) if pupil_query.strip() else []
    pupils = learner_store.get_many(db, shown)
    return {"linked": [pupils[i] for i in linked_ids], "pupils": pupils, "pupil_query": pupil_query[:100],
            "found_pupils": found, "linked_ids": set(linked_ids),
            "actions": links.actions_of_case(db, concern_id), "owners": store.action_owners(db)}


def saved_message(db, form):
    """Return (what to tell the DSL, where on the page to go) after an entry was added."""
    kind = form.kind.data
    if kind == "learner_link":
        pupil = learner_store.get(db, form.learner_id.data)
        message = f"{display_name(pupil)} is linked to this concern."
        if pupil["left_on"]:
            left = date.fromisoformat(pupil["left_on"]).strftime("%-d %B %Y")
            message += f" They left the school on {left}: their record is kept."
        return message, "pupils"
    if kind == "action":
        return "Action added. Its owner sees it on their home page.", "actions"
    if kind in ("action_done", "action_cancelled"):
        return "Action " + ("done." if kind == "action_done" else "cancelled."), "actions"
    if kind == "reply_to_reporter":
        return "Reply sent: the person who logged this concern sees it under My concerns.", "chronology"
    return "Entry added to the case.", "chronology"

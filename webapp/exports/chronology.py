"""What goes in a printed chronology: a case's, or a child's across every linked concern."""
from ..concerns import links, store
from ..learners import record
from ..learners import store as learner_store
from . import pdf


def _pictures(db, concern_ids, wanted):
    """Return {concern id: [(attachment, data address)]} when pictures were asked for."""
    if not wanted:
        return {}
    found = {}
    for concern_id in concern_ids:
        shown = [(a, pdf.picture(a)) for a in store.attachments_of(db, concern_id)]
        found[concern_id] = [(a, src) for a, src in shown if src]
    return found


def of_case(db, concern_id, pictures):
    """Return the document's context for one case, or None if there is no such case."""
    concern = store.get_concern(db, concern_id)
    if concern is None:
        return None
    events = store.events_of(db, concern_id)
    pupils = learner_store.get_many(db, {e["learner_id"] for e in events if e["learner_id"]})
    items = [{"when": concern["created_at"], "concern": concern, "event": None}]
    items += [{"when": e["created_at"], "concern": concern, "event": e} for e in events]
    linked = [pupils[r["learner_id"]] for r in links.learner_links(db, concern_id) if r["learner_id"] in pupils]
    return {"title": f"Chronology of concern {concern_id}", "children": linked, "learner": None,
            "items": items, "pupils": pupils, "pictures": _pictures(db, [concern_id], pictures)}


def of_learner(db, learner_id, pictures, filters=None, may_see=None):
    """Return the document's context for one child's record, or None if there is no such pupil."""
    found = record.load(db, learner_id)
    if found is None:
        return None
    learner, entries, siblings = found
    items = record.chronology(db, learner_id, filters, may_see)
    concern_ids = sorted({i["concern"]["id"] for i in items})
    pupil_ids = {i["event"]["learner_id"] for i in items if i["event"] and i["event"]["learner_id"]}
    return {"title": f"Chronology of {record.display_name(learner)}", "children": [learner],
            "learner": learner, "entries": entries, "flags": record.flags_now(entries),
            "review_on": record.review_on(learner), "on_hold": record.on_hold(entries),
            "siblings": siblings, "items": items, "pupils": learner_store.get_many(db, pupil_ids),
            "pictures": _pictures(db, concern_ids, pictures), "filters": filters}

"""One child's record: details, flags, siblings and one chronology across every linked concern."""
from dataclasses import dataclass
from datetime import date

from ..concerns import links
from . import store
from .forms import FLAGS

REVIEW_AFTER_YEARS = 25  # IRMS toolkit: a child protection file is reviewed at date of birth + 25 years


def display_name(learner):
    """Return the name a pupil goes by, then their legal surname."""
    return f"{learner['preferred_forename'] or learner['forename']} {learner['surname']}"


def review_on(learner):
    """Return the day the child's record is due for review (date of birth + 25 years)."""
    born = date.fromisoformat(learner["dob"])
    try:
        return born.replace(year=born.year + REVIEW_AFTER_YEARS)
    except ValueError:  # born on 29 February
        return date(born.year + REVIEW_AFTER_YEARS, 3, 1)


def flags_now(entries):
    """Return each flag's current state: {flag: latest set/cleared entry} for flags ever set."""
    state = {}
    for e in entries:
        if e["kind"] in ("flag_set", "flag_cleared") and e["flag"] in FLAGS:
            state[e["flag"]] = e
    return state


def on_hold(entries):
    """Say whether a legal hold is in force (the latest hold entry set it)."""
    latest = [e for e in entries if e["kind"] in ("hold_set", "hold_cleared")]
    return bool(latest) and latest[-1]["kind"] == "hold_set"


@dataclass
class Filters:
    category: str = ""
    date_from: str = ""   # ISO dates, inclusive; compared with the day part of each entry's time
    date_to: str = ""

    def keeps(self, concern, when):
        if self.category and concern["category"] != self.category:
            return False
        day = when[:10]
        return not ((self.date_from and day < self.date_from) or (self.date_to and day > self.date_to))


def chronology(db, learner_id, filters=None, may_see=None):
    """Return every linked concern and its entries as one list in date order.

    Each item is {"when", "concern", "event"} (event None for the report itself). `may_see`
    (concern -> bool) leaves out cases the viewer may not see.
    """
    filters = filters or Filters()
    concerns, events = links.concerns_with_events(db, links.concerns_of_learner(db, learner_id))
    visible = {cid: c for cid, c in concerns.items() if may_see is None or may_see(c)}
    items = [{"when": c["created_at"], "concern": c, "event": None} for c in visible.values()]
    items += [{"when": e["created_at"], "concern": visible[e["concern_id"]], "event": e}
              for e in events if e["concern_id"] in visible]
    items = [i for i in items if filters.keeps(i["concern"], i["when"])]
    return sorted(items, key=lambda i: (i["when"], i["event"]["id"] if i["event"] else 0))


def load(db, learner_id):
    """Return (learner, entries, siblings) or None."""
    learner = store.get(db, learner_id)
    if learner is None:
        return None
    return learner, store.entries_of(db, learner_id), store.siblings(db, learner)

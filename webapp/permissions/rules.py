"""The rules about a device-use request's place, purpose and times, in one place.

The policy's own refusals (5.1.4, 5.2.3, 5.2.4: POLICY_RULES) refuse a request on the spot: it is
still recorded (with the rule's key and clause) so that the school can report on it, and never
waits for the headteacher. The time checks (TIME_CHECKS: the end before the start, a time already
passed, too long for one request) are mistakes to correct, not refusals: the request form's
validation applies them (`time_problem`), so the web page asks the person to fix the times and a
synced item is returned to its author. Older requests refused by a time check keep their key.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

# The longest window one request may cover. Staff may ask for a whole school year (a medical need, a
# standing emergency-contact arrangement); a visitor or contractor is asked again each month so that
# the headteacher looks at a long-running permission at least that often.
MAX_WINDOW = {"self": timedelta(days=366), "visitor": timedelta(days=31)}
MAX_WINDOW_WORDS = {"self": "a year", "visitor": "31 days"}


@dataclass(frozen=True)
class Ask:
    """The facts about one request that the rules look at."""

    for_whom: str
    purpose: str
    restricted_area: bool
    starts_at: datetime
    ends_at: datetime
    now: datetime


@dataclass(frozen=True)
class Rule:
    """One reason to refuse a request at once: its clause, why, and what to do instead."""

    key: str
    clause: str | None
    field: str
    title: str
    why: str
    instead: str
    applies: Callable[[Ask], bool]

    def explain(self, for_whom):
        """Return the reason in words, for a request for staff ("self") or a visitor."""
        return self.why.format(limit=MAX_WINDOW_WORDS.get(for_whom, "a year"))


POLICY_RULES = [
    Rule("restricted_area", "5.1.4", "location", "A place where devices are never used",
         "Personal phones and devices may not be used in toilets, changing rooms, the swimming pool "
         "or any other area the school has marked as restricted, even with permission.",
         "Choose a different place, or leave the area before using the device.",
         lambda a: a.restricted_area),
    Rule("photos_of_learners", "5.2.4", "purpose", "Photos or video of learners",
         "Photos or video of learners must never be taken on a personal device.",
         "Use a school camera or tablet from the office, and keep the pictures on the school system.",
         lambda a: a.purpose == "photos_of_learners"),
    Rule("contact_learners_or_parents", "5.2.3", "purpose", "Contacting learners, parents or carers",
         "Learners, parents and carers must not be contacted from a personal phone or device.",
         "Use the school phone or your school email address (5.4.1).",
         lambda a: a.purpose == "contact_learners_or_parents"),
]
TIME_CHECKS = [
    Rule("end_before_start", None, "ends_at", "The end is not after the start",
         "The time it ends must be later than the time it starts.",
         "Check both times and ask again.",
         lambda a: a.ends_at <= a.starts_at),
    Rule("window_ended", None, "ends_at", "The time has already passed",
         "The time asked for has already ended, so there is nothing left to give permission for.",
         "Ask again for the time still needed.",
         lambda a: a.ends_at <= a.now),
    Rule("window_too_long", None, "ends_at", "Too long for one request",
         "One request can cover at most {limit}, so that the headteacher reviews it regularly.",
         "Ask for a shorter time, and ask again when it ends.",
         lambda a: a.ends_at - a.starts_at > MAX_WINDOW[a.for_whom]),
]
RULES = POLICY_RULES + TIME_CHECKS
RULES_BY_KEY = {rule.key: rule for rule in RULES}


def refusals(ask):
    """Return every policy rule that refuses this request, the one to record first."""
    return [rule for rule in POLICY_RULES if rule.applies(ask)]


def time_problem(ask):
    """Return the message of the first time check this request fails ("why. what to do"), or None."""
    for rule in TIME_CHECKS:
        if rule.applies(ask):
            return f"{rule.explain(ask.for_whom)} {rule.instead}"
    return None

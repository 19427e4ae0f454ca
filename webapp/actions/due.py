"""When an action is due, in the school's calendar: the one place "overdue" is decided."""
from datetime import date

from ..clock import local, utcnow


def today():
    """Return today's date in the school's time zone."""
    return local(utcnow()).date()


def state(action, day):
    """Return 'overdue', 'today' or 'later' for an open action on the given day."""
    due_on = date.fromisoformat(action["due_on"])
    if due_on < day:
        return "overdue"
    return "today" if due_on == day else "later"


def with_state(actions, day):
    """Return the actions, overdue first then soonest due, each with its `state`."""
    rows = [{**a, "state": state(a, day)} for a in actions]
    return sorted(rows, key=lambda a: (a["state"] != "overdue", a["due_on"], a["id"]))

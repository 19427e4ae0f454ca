"""Who a concern logged on a school phone is credited to, and how pages say so."""
from ..auth.store import get_user
from ..auth.roles import has_role
from ..clock import display
from ..permissions import store as register
from ..sync.envelope import Person
from . import store

MAX_NAME = 200


def named(payload):
    """Take the phone's `logged_by` ({"user_id", "name"}) out of an opened payload; return (user id, name)."""
    given = payload.pop("logged_by", None)
    if not isinstance(given, dict):
        return None, ""
    user_id = given.get("user_id")
    name = given.get("name")
    name = " ".join(name.split())[:MAX_NAME] if isinstance(name, str) else ""
    valid_id = isinstance(user_id, int) and not isinstance(user_id, bool)
    return (user_id if valid_id else None), name


def author_for(db, user_id, name):
    """Return (the account credited, that account's id if it is the person named, else None).

    The person named must be an active member of staff: picked from the list (by id) or typed (by
    exact name, when one account has it). Anyone else is credited to the "Unknown person" account.
    """
    person = get_user(db, user_id) if user_id is not None else None
    if person is None and name:
        matches = [p for p in register.staff_people(db) if p["name"].casefold() == name.casefold()]
        person = get_user(db, matches[0]["id"]) if len(matches) == 1 else None
    if person is not None and person["active"] and has_role(person, "staff"):
        return Person({k: person[k] for k in ("id", "name", "email", "roles")}, active=True), person["id"]
    unknown = store.unknown_person_id(db)
    return Person(id=unknown, name=store.UNKNOWN_PERSON[1], email=store.UNKNOWN_PERSON[0], roles=["staff"],
                  active=True), None


def phrase(credit, reporter_name):
    """Say who logged a concern, for DSLs: the account's name, or how a school phone credited it."""
    if credit is None:
        return reporter_name
    phone = f"logged on school phone {credit['asset_tag']}"
    if credit["named_user_id"] is None:
        return f"unknown person named “{credit['named_as'] or 'no name given'}” — {phone}"
    name = credit["named_name"]
    if credit["answer"] == "confirmed":
        return f"{name} — {phone}, confirmed by them on {display(credit['answered_at'])}"
    if credit["answer"] == "denied":
        note = f": “{credit['note']}”" if credit["note"] else ""
        return f"{name} — {phone}; DENIED by them on {display(credit['answered_at'])}{note}"
    return f"{name} — unconfirmed — {phone}"


def reported_by(db, concern_id, reporter_name):
    """Say who logged one concern, as phrase() does (for the copy of a case a DSL's phone keeps)."""
    return phrase(store.credits(db, [concern_id]).get(concern_id), reporter_name)

"""The number a person knows a stored item by, as a push answers it (the `number` result field).

A concern's number is its id, shown on My concerns; a device request's is its id, shown on My
requests. Other kinds have no number of their own: their results carry none.
"""
from . import store

NUMBERED = {"concern": "concerns", "device_request": "device_requests"}


def numbered(kind, ref):
    """Return {"number": n} for a stored concern or device request (from its `<table>:<id>` ref), else {}."""
    table, _, row_id = (ref or "").partition(":")
    if kind not in NUMBERED or table != NUMBERED[kind] or not row_id.isdigit():
        return {}
    return {"number": int(row_id)}


def numbered_again(db, kind, item_id):
    """Return the number of an item stored by an earlier push (for a duplicate), else {}."""
    if kind not in NUMBERED:
        return {}
    return numbered(kind, store.stored_ref(db, item_id))

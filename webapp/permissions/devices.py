"""Rules of the school-device register (5.4): passcode checks, and a missing device is a concern."""
from datetime import timedelta

from werkzeug.datastructures import MultiDict

from ..clock import iso, parse_iso
from . import store
from .forms import DEVICE_KINDS

# A holder confirms their device's passcode once a term; a school term is about four months, so a
# confirmation older than this (or none at all) is flagged on the register.
PASSCODE_RECHECK = timedelta(days=122)
MISSING_STATUSES = ("lost", "stolen")


def needs_passcode_check(device, now):
    """Say whether an issued device in use has no passcode confirmation from the last term."""
    if device["status"] != "in_use" or not device["issued_to"]:
        return False
    confirmed = device["passcode_confirmed_at"]
    return confirmed is None or parse_iso(confirmed) <= now - PASSCODE_RECHECK


def log_missing_concern(db, device, status, where, account, author_id, now):
    """Log a `school_device` concern for the DSLs (its emails queued with it); return its id.

    Runs inside the caller's transaction, through the concerns domain's own form and capture code.
    """
    from ..concerns.capture import log_concern
    from ..concerns.forms import ConcernForm
    kind = dict(DEVICE_KINDS)[device["kind"]].lower()
    data = MultiDict({
        "category": "school_device", "occurred_at": iso(now), "location": where,
        "adults": f"Issued to {device['holder_name']}" if device["holder_name"] else "Not issued to anyone",
        "account": f"School {kind} {device['asset_tag']} reported {status}.\n\n{account}".strip(),
        "urgent": "y",
    })
    form = ConcernForm(formdata=data, meta={"csrf": False})
    if not form.validate():
        raise RuntimeError(f"the concerns domain refused a school_device concern: {form.errors}")
    return log_concern(db, form, author_id)


def report_missing(db, device, status, where, account, author_id, now):
    """Mark a device lost or stolen and log the concern; return the concern's id."""
    store.set_device_status(db, device["id"], status, author_id, iso(now))
    return log_missing_concern(db, device, status, where, account, author_id, now)

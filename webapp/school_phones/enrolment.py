"""Enrolling a school phone from the device register (5.4), and ending an enrolment."""
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from .. import audit
from ..auth.roles import role_required
from ..clock import iso, utcnow
from ..db import get_db
from ..permissions import store as register
from ..permissions.forms import DEVICE_KINDS, DEVICE_STATUSES
from . import store
from .forms import EndEnrolmentForm
from .views import bp

ENROLLABLE = ("phone", "tablet")


def label(entry):
    """Name a school device as people read it on concerns logged on it."""
    return f"school phone {entry['asset_tag']}"


def enrolment_of(device_id):
    """Return the device's key in force (for the register's pages), or None."""
    return store.live_key_of(get_db(), device_id)


def _device_or_404(device_id):
    entry = register.get_device(get_db(), device_id)
    if entry is None:
        abort(404)
    return entry


@bp.route("/enrol/<int:device_id>")
@role_required("admin")
def enrol_page(device_id):
    """Open on the phone itself: its script makes the phone's key and registers it to this device."""
    entry = _device_or_404(device_id)
    return render_template("school_phones/enrol.html", device=entry, key=enrolment_of(device_id),
                           enrollable=entry["kind"] in ENROLLABLE and entry["status"] == "in_use",
                           device_words=f"{dict(DEVICE_KINDS)[entry['kind']].lower()}, "
                                        f"{dict(DEVICE_STATUSES)[entry['status']].lower()}",
                           end_form=EndEnrolmentForm())


@bp.route("/enrol/<int:device_id>/end", methods=["POST"])
@role_required("admin")
def end_enrolment(device_id):
    """Stop the device's key from counting: what it signs from now on is kept aside for a DSL."""
    entry = _device_or_404(device_id)
    db = get_db()
    if EndEnrolmentForm().validate_on_submit():
        with db.atomic():
            key = store.live_key_of(db, device_id)
            if key and store.revoke(db, device_id, current_user.id, "enrolment ended by an administrator",
                                    iso(utcnow())):
                audit.record(db, current_user.id, "school_phone.end", f"key:{key['kid']}",
                             {"device": entry["asset_tag"]})
        flash(f"{entry['asset_tag']} is no longer enrolled as a school phone.", "success")
    return redirect(url_for("school_phones.enrol_page", device_id=device_id))

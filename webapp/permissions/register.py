"""The school-device register (5.4) and the school's list of areas: admin pages, and each holder's own."""
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..auth.roles import role_required
from ..clock import iso, utcnow
from ..db import get_db
from . import devices, store
from .forms import AreaForm, MissingDeviceForm, PasscodeForm, SchoolDeviceForm, embedded
from .views import bp


@bp.route("/devices")
@role_required("admin")
def register():
    now = utcnow()
    rows = [{**d, "check": devices.needs_passcode_check(d, now)} for d in store.list_devices(get_db())]
    return render_template("permissions/register.html", devices=rows,
                           to_check=sum(d["check"] for d in rows))


def _device_form(db, **kwargs):
    return SchoolDeviceForm(**kwargs).set_staff(store.staff_people(db))


def _values(db, form):
    """Return the register values from a validated device form, with the holder's name."""
    holder = None if form.issued_to.data == "none" else int(form.issued_to.data)
    names = {p["id"]: p["name"] for p in store.staff_people(db)}
    return {"asset_tag": form.asset_tag.data, "kind": form.kind.data, "status": form.status.data,
            "issued_to": holder, "holder_name": names.get(holder, "nobody")}


def _tag_taken(db, form, device_id=None):
    other = store.device_by_tag(db, form.asset_tag.data)
    if other and other["id"] != device_id:
        form.asset_tag.errors.append("Another device already has this asset tag.")
        return True
    return False


@bp.route("/devices/new", methods=["GET", "POST"])
@role_required("admin")
def device_new():
    db = get_db()
    form = _device_form(db)
    if form.validate_on_submit() and not _tag_taken(db, form):
        store.add_device(db, _values(db, form), current_user.id, iso(utcnow()))
        flash(f"{form.asset_tag.data} is on the register.", "success")
        return redirect(url_for("permissions.register"))
    return render_template("permissions/device_form.html", form=form, device=None, events=[])


def _device_or_404(db, device_id):
    device = store.get_device(db, device_id)
    if device is None:
        abort(404)
    return device


@bp.route("/devices/<int:device_id>", methods=["GET", "POST"])
@role_required("admin")
def device_edit(device_id):
    db = get_db()
    device = _device_or_404(db, device_id)
    form = _device_form(db, data={**device, "issued_to": str(device["issued_to"] or "none")})
    if form.validate_on_submit() and not _tag_taken(db, form, device_id):
        values, now, logged = _values(db, form), utcnow(), None
        with db.atomic():
            missing = values["status"] in devices.MISSING_STATUSES and values["status"] != device["status"]
            store.update_device(db, device, values, current_user.id, iso(now))
            if missing:
                logged = devices.log_missing_concern(
                    db, device, values["status"], "Not known (recorded on the device register)",
                    f"Marked {values['status']} on the register by {current_user.name}.", current_user.id, now)
        flash(f"{form.asset_tag.data} has been updated" + (" and a concern logged for the DSLs." if logged else "."),
              "success")
        return redirect(url_for("permissions.register"))
    return render_template("permissions/device_form.html", form=form, device=device,
                           events=store.device_events(db, device_id))


def _my_devices_page(forms=None, status=200):
    """Render a holder's devices, each with its passcode and lost-or-stolen forms."""
    db, now = get_db(), utcnow()
    mine = [{**d, "check": devices.needs_passcode_check(d, now)} for d in store.devices_issued_to(db, current_user.id)]
    forms = forms or {}
    for d in mine:
        forms.setdefault(("passcode", d["id"]), embedded(PasscodeForm(formdata=None), f"p{d['id']}"))
        forms.setdefault(("missing", d["id"]), embedded(MissingDeviceForm(formdata=None), f"m{d['id']}"))
    return render_template("permissions/my_devices.html", devices=mine, forms=forms), status


@bp.route("/devices/mine")
@role_required("staff")
def my_devices():
    return _my_devices_page()


def _held_in_use(db, device_id):
    """Return a device the signed-in person holds and still has, or stop with 404."""
    device = _device_or_404(db, device_id)
    if device["issued_to"] != current_user.id or device["status"] != "in_use":
        abort(404)
    return device


@bp.route("/devices/<int:device_id>/passcode", methods=["POST"])
@role_required("staff")
def confirm_passcode(device_id):
    db = get_db()
    device = _held_in_use(db, device_id)
    form = embedded(PasscodeForm(), f"p{device_id}")
    if not form.validate():
        return _my_devices_page({("passcode", device_id): form})
    store.confirm_passcode(db, device_id, current_user.id, iso(utcnow()))
    flash(f"Thank you: {device['asset_tag']} is confirmed as locked with a passcode.", "success")
    return redirect(url_for("permissions.my_devices"))


@bp.route("/devices/<int:device_id>/missing", methods=["POST"])
@role_required("staff")
def report_missing(device_id):
    db = get_db()
    device = _held_in_use(db, device_id)
    form = embedded(MissingDeviceForm(), f"m{device_id}")
    if not form.validate():
        return _my_devices_page({("missing", device_id): form})
    with db.atomic():
        devices.report_missing(db, device, form.status.data, form.location.data.strip(),
                               form.account.data.strip(), current_user.id, utcnow())
    flash(f"{device['asset_tag']} is recorded as {form.status.data} and the DSLs have been told.", "success")
    return redirect(url_for("permissions.my_devices"))


@bp.route("/requests/areas", methods=["GET", "POST"])
@role_required("admin")
def areas():
    db = get_db()
    form, places = AreaForm(), store.list_areas(db)
    if form.validate_on_submit() and _new_place(form, places):
        store.add_area(db, form.label.data, form.restricted.data, iso(utcnow()))
        flash(f"“{form.label.data.strip()}” has been added to the list of places.", "success")
        return redirect(url_for("permissions.areas"))
    return render_template("permissions/areas.html", form=form, areas=places)


def _new_place(form, places):
    """Refuse a place already on the list (by name)."""
    if form.label.data.strip().lower() in {p["label"].lower() for p in places}:
        form.label.errors.append("That place is already on the list.")
        return False
    return True

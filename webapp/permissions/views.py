"""Asking to use a device, the headteacher's decisions, and the permissions in force."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.roles import role_required
from ..clock import iso, parse_iso, utcnow
from ..db import get_db
from ..sync import returned
from ..school_time import typed_time
from . import recording, store
from .devices import needs_passcode_check
from .forms import DEVICE_KINDS, DEVICE_STATUSES, DEVICES, PURPOSES, DecisionForm, DeviceRequestForm, embedded
from .rules import RULES, RULES_BY_KEY

bp = Blueprint("permissions", __name__)
DECIDE = ["approved", "declined"]
STATUS_LABELS = {"waiting": "Waiting for the headteacher", "refused": "Refused", "approved": "Approved",
                 "declined": "Declined", "withdrawn": "Withdrawn"}


@bp.context_processor
def labels():
    """Give this domain's templates the words for its keys."""
    return {"DEVICE_LABELS": dict(DEVICES), "PURPOSE_LABELS": dict(PURPOSES), "STATUS_LABELS": STATUS_LABELS,
            "RULES_BY_KEY": RULES_BY_KEY, "KIND_LABELS": dict(DEVICE_KINDS),
            "DEVICE_STATUS_LABELS": dict(DEVICE_STATUSES), "typed_time": typed_time}


def request_form():
    """Return the request form offering the school's current list of areas."""
    return DeviceRequestForm().set_areas(store.list_areas(get_db()))


def new_page(form, refused):
    """Render the request form, with the rules the phone checks before anything is kept."""
    return render_template("permissions/new.html", form=form, refused=refused, rules=RULES)


@bp.route("/requests/new", methods=["GET", "POST"])
@role_required("staff")
def new():
    form = request_form()
    if not form.validate_on_submit():
        return new_page(form, [])
    db = get_db()
    with db.atomic():
        result = recording.record_request(db, form, current_user.id, "web", None, iso(utcnow()))
    if result["refused"]:
        return new_page(form, result["refused"])
    flash(f"Sent — request number {result['id']} has reached the headteacher. "
          "Their decision will show on this page.", "success")
    return redirect(url_for("permissions.mine"))


@bp.route("/requests/mine")
@role_required("staff")
def mine():
    db, now = get_db(), utcnow()
    to_confirm = [d for d in store.devices_issued_to(db, current_user.id) if needs_passcode_check(d, now)]
    return render_template("permissions/mine.html", requests=store.requests_of(db, current_user.id),
                           now=iso(now), to_confirm=to_confirm,
                           attention=returned.for_author(db, current_user.id, returned.REQUEST_KINDS))


@bp.route("/requests/in-force")
@role_required("staff")
def in_force():
    now = utcnow()
    return render_template("permissions/in_force.html", permissions=store.in_force(get_db(), iso(now)), now=now)


@bp.route("/requests/decisions")
@role_required("head")
def decisions():
    db, now = get_db(), utcnow()
    waiting = store.waiting_requests(db)
    current = store.current_approvals(db, iso(now))
    decide_forms = {r["id"]: embedded(DecisionForm(data={
        "request_id": r["id"], "ends_at": parse_iso(r["ends_at"])}).show_choices(DECIDE), r["id"])
        for r in waiting}
    withdraw_forms = {r["id"]: embedded(DecisionForm(data={"request_id": r["id"]}), f"w{r['id']}")
                      for r in current}
    return render_template("permissions/decisions.html", waiting=waiting, current=current, now=iso(now),
                           decide_forms=decide_forms, withdraw_forms=withdraw_forms,
                           attention=returned.for_author(db, current_user.id, returned.DECISION_KINDS))


@bp.route("/requests/decide", methods=["GET", "POST"])
@role_required("head")
def decision_form():
    form = DecisionForm()
    if request.method == "GET":
        form.request_id.data = request.args.get("request", type=int)
        return render_template("permissions/decide.html", form=form.show_choices(DECIDE), req=None)
    db = get_db()
    if form.validate_on_submit():
        with db.atomic():
            decision_id = recording.decide(db, form, current_user.id)
        if decision_id:
            flash(_decided_message(form), "success")
            return redirect(url_for("permissions.decisions"))
    shown = DECIDE + (["withdrawn"] if form.outcome.data == "withdrawn" else [])
    req = store.get_request(db, form.request_id.data) if form.request_id.data else None
    return render_template("permissions/decide.html", form=form.show_choices(shown), req=req)


def _decided_message(form):
    return {"approved": "Approved. It shows on the permissions in force for its time.",
            "declined": "Declined. The person who asked can see your reason.",
            "withdrawn": "Withdrawn. It no longer shows as in force."}[form.outcome.data]

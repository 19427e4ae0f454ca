"""The policy in force, its versions and ratification, and staff acknowledging it."""
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required

from ..auth.roles import role_required
from ..db import get_db
from . import policy, reminders, store, terms
from .forms import AcknowledgeForm, ActionForm, PolicyVersionForm, RatifyForm

bp = Blueprint("governance", __name__)


def _version_or_404(version_id):
    version = store.get_version(get_db(), version_id)
    if version is None:
        abort(404)
    return version


def _version_view(db, version, day):
    """Return what a page needs to show one version: its text, dates and where it stands."""
    in_force = store.version_in_force(db, day)
    return {
        "version": version,
        "body_html": policy.render_markdown(version["body_markdown"]) if version["body_markdown"] else None,
        "is_in_force": in_force is not None and in_force["id"] == version["id"],
        "is_future": version["effective_on"] > day.isoformat(),
        "review_state": policy.review_state(version, day),
    }


@bp.route("/policy", endpoint="policy")
@login_required
def policy_page(ack_form=None):
    db, day = get_db(), terms.today()
    version = store.version_in_force(db, day)
    context = {"version": None, "versions": store.list_versions(db), "today": day.isoformat()}
    if version is not None:
        context.update(_version_view(db, version, day))
        context["acknowledged_at"] = store.acknowledged_at(db, version["id"], current_user.id)
        context["ack_form"] = ack_form or AcknowledgeForm(data={"policy_version_id": version["id"]})
    return render_template("governance/policy.html", **context)


@bp.route("/policy/versions/<int:version_id>")
@login_required
def policy_version(version_id):
    db = get_db()
    version = _version_or_404(version_id)
    return render_template("governance/policy_version.html", **_version_view(db, version, terms.today()))


@bp.route("/policy/versions/<int:version_id>/document.pdf")
@login_required
def policy_pdf(version_id):
    version = _version_or_404(version_id)
    path = policy.pdf_path(version["pdf_file"])
    if path is None:
        abort(404)
    return send_file(path, mimetype="application/pdf", download_name=f"policy-version-{version_id}.pdf")


@bp.route("/policy/versions/new", methods=["GET", "POST"])
@role_required("admin")
def policy_version_new():
    form = PolicyVersionForm()
    if form.validate_on_submit():
        fields = {name: form[name].data for name in ("title", "written_on", "effective_on", "next_review_on")}
        fields = {k: v.isoformat() if isinstance(v, date) else v.strip() for k, v in fields.items()}
        if form.document.data:
            fields["pdf_file"] = policy.save_pdf(form.document.data)
        else:
            fields["body_markdown"] = form.body_markdown.data.strip()
        version_id = store.add_version(get_db(), fields, current_user.id)
        flash("The new version has been added. A governor can now record its ratification.", "success")
        return redirect(url_for("governance.policy_version", version_id=version_id))
    return render_template("governance/policy_version_new.html", form=form)


@bp.route("/policy/versions/<int:version_id>/ratify", methods=["GET", "POST"])
@role_required("governor")
def policy_ratify(version_id):
    version = _version_or_404(version_id)
    form = RatifyForm()
    if version["ratified_on"] is None and form.validate_on_submit():
        ratified = form.ratified_on.data
        if ratified > terms.today():
            form.ratified_on.errors.append("The date of ratification cannot be in the future.")
        elif ratified.isoformat() < version["written_on"]:
            form.ratified_on.errors.append("The governing body cannot ratify a version before it was written.")
        else:
            store.record_ratification(get_db(), version_id, ratified.isoformat(), current_user.id)
            flash("The governing body's ratification has been recorded.", "success")
            return redirect(url_for("governance.policy_version", version_id=version_id))
    return render_template("governance/policy_ratify.html", form=form, version=version)


@bp.route("/policy/acknowledge", methods=["POST"])
@role_required("staff")
def policy_acknowledge():
    db = get_db()
    form = AcknowledgeForm()
    version = store.version_in_force(db, terms.today())
    if version is None:
        flash("There is no version of the policy in force to acknowledge yet.", "info")
        return redirect(url_for("governance.policy"))
    if form.policy_version_id.data != str(version["id"]):
        flash("A newer version of the policy has taken effect. Please read it, then acknowledge it.", "info")
        return redirect(url_for("governance.policy"))
    if not form.validate_on_submit():
        return policy_page(ack_form=form)
    store.acknowledge(db, version["id"], current_user.id)
    flash("Thank you: your acknowledgement of this version is recorded.", "success")
    return redirect(url_for("governance.policy"))


@bp.route("/policy/acknowledgements")
@role_required("head")
def acknowledgements():
    db = get_db()
    version = store.version_in_force(db, terms.today())
    people = store.staff_acknowledgements(db, version["id"]) if version else []
    waiting = [p for p in people if not p["acknowledged_at"]]
    return render_template("governance/acknowledgements.html", version=version, people=people,
                           waiting=waiting, form=ActionForm())


@bp.route("/policy/acknowledgements/remind", methods=["POST"])
@role_required("head")
def acknowledgement_remind():
    db = get_db()
    version = store.version_in_force(db, terms.today())
    if not ActionForm().validate_on_submit() or version is None:
        flash("There is nothing to remind anyone about.", "info")
        return redirect(url_for("governance.acknowledgements"))
    waiting = [p for p in store.staff_acknowledgements(db, version["id"]) if not p["acknowledged_at"]]
    sent = reminders.remind_to_acknowledge(db, version, waiting, current_user.id)
    if sent == len(waiting):
        flash(f"Reminder sent to {sent} {'person' if sent == 1 else 'people'}.", "success")
    else:
        flash(f"Reminder sent to {sent} of {len(waiting)} people. Email may not be set up: please "
              "ask the others in person.", "error")
    return redirect(url_for("governance.acknowledgements"))

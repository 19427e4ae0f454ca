"""Log a concern, see my concerns, and work a case: the concern pages."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from .. import audit
from ..auth.roles import role_required
from ..auth.store import users_with_role
from ..clock import iso, utcnow
from ..db import get_db
from ..sync import returned
from . import capture, case_links, evidence, links, store, visibility
from .categories import CATEGORIES, NO_ATTACHMENTS, category
from .chronology import missing_for_close
from .forms import CaseEventForm, ConcernForm

bp = Blueprint("concerns", __name__, url_prefix="/concerns")


def allow_pictures():
    """Let the concern form carry its pictures, even past the app-wide request limit.

    Runs before every other before-request function (CSRF checking reads the body).
    """
    if request.endpoint == "concerns.new":
        limit = request.max_content_length or 0
        request.max_content_length = max(evidence.MAX_REQUEST_BYTES, limit)


@bp.route("/new", methods=["GET", "POST"])
@role_required("staff")
def new():
    form = ConcernForm()
    if g.get("offline_shell"):
        form.occurred_at.data = None  # a kept page carries no stale time: the phone fills in now
    db = get_db()
    chair = bool(users_with_role(db, "chair"))
    if form.validate_on_submit():
        with db.atomic():
            concern_id = capture.log_concern(db, form, current_user.id)
        evidence.settle(db)
        flash(f"Sent — concern number {concern_id} " + (
            ("has reached the chair of governors alone." if chair else
             "is kept for the chair of governors alone: nobody holds that role yet, so it waits for them.")
            if form.about_head.data else "has reached the DSLs."), "success")
        return redirect(url_for("concerns.mine"))
    return render_template("concerns/new.html", form=form, categories=CATEGORIES, chair=chair,
                           max_files=evidence.MAX_FILES, max_bytes=evidence.MAX_BYTES,
                           no_attachments=" ".join(sorted(NO_ATTACHMENTS)))


@bp.route("/mine")
@role_required("staff")
def mine():
    db = get_db()
    return render_template("concerns/mine.html", concerns=store.concerns_of(db, current_user.id),
                           replies=links.replies_for_reporter(db, current_user.id),
                           attention=returned.for_author(db, current_user.id, returned.CONCERN_KINDS))


def build_entry_form(db, concern_id=None):
    """Build the case-entry form, offering the people a case may be assigned to."""
    workers = visibility.assignable(db, concern_id, store.case_workers(db))
    form = CaseEventForm().set_assignees(workers, named=not g.get("offline_shell"),
                                         owners=store.action_owners(db))
    if concern_id is not None and not form.is_submitted():
        form.concern_id.data = concern_id
    return form


def save_entry(db, form):
    """Add a posted entry to its case; return True, or False with errors put on the form."""
    if not form.validate_on_submit():
        return False
    with db.atomic():
        _, errors = capture.add_entry(db, form, current_user.id)
    for name, messages in errors.items():
        form[name].errors = list(form[name].errors) + messages
    return not errors


@bp.route("/entry", methods=["GET", "POST"])
@role_required("dsl", "head", "chair")
def entry_form():
    db = get_db()
    form = build_entry_form(db, request.args.get("concern", type=int))
    if save_entry(db, form):
        flash("Entry added to the case.", "success")
        return redirect(url_for("concerns.case", concern_id=form.concern_id.data,
                                _anchor="chronology"))
    return render_template("concerns/entry.html", form=form)


def not_found():
    """Answer a case that does not exist and one this person may not see in the same words."""
    return render_template("concerns/no_case.html"), 404


@bp.route("/<int:concern_id>", methods=["GET", "POST"])
@role_required("dsl", "head", "chair")
def case(concern_id):
    db = get_db()
    if not visibility.may_see(db, current_user, concern_id):
        return not_found()
    concern = store.get_concern(db, concern_id)
    form = build_entry_form(db, concern_id)
    if form.is_submitted() and form.concern_id.data != concern_id:
        abort(400)
    if save_entry(db, form):
        message, anchor = case_links.saved_message(db, form)
        flash(message, "success")
        return redirect(url_for("concerns.case", concern_id=concern_id, _anchor=anchor))
    with db.atomic():  # every showing is recorded
        audit.record(db, current_user.id, "case.view", f"concern:{concern_id}")
        store.mark_opened(db, concern_id, iso(utcnow()))
    events = store.events_of(db, concern_id)
    return render_template("concerns/case.html", concern=concern, cat=category(concern["category"]),
                           form=form, events=events,
                           attachments=store.attachments_of(db, concern_id),
                           missing=missing_for_close(concern["category"], events,
                                                     store.is_allegation(db, concern_id)),
                           staff_people=store.active_people(db, visibility.subjects_of(db, concern_id)),
                           access=audit.lines_about(db, current_user, f"concern:{concern_id}"),
                           describe=evidence.describe,
                           **case_links.context(db, concern_id, events, request.args.get("pupil", "")))


@bp.route("/<int:concern_id>/pictures/<int:attachment_id>")
@role_required("dsl", "head", "chair")
def attachment(concern_id, attachment_id):
    db = get_db()
    found = store.get_attachment(db, concern_id, attachment_id)
    if found is None or not visibility.may_see(db, current_user, concern_id):
        return not_found()
    with db.atomic():
        audit.record(db, current_user.id, "attachment.open", f"concern:{concern_id}",
                     {"attachment_id": attachment_id, "filename": found["filename"]})
        store.mark_opened(db, concern_id, iso(utcnow()))
    return send_file(evidence.path_of(found), mimetype=found["content_type"], as_attachment=True,
                     download_name=evidence.download_name(found), max_age=0)

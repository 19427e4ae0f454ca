"""The chronology PDFs: `/concerns/<id>/chronology.pdf` and `/learners/<id>/chronology.pdf`."""
from flask import Blueprint, abort, current_app, flash, make_response, redirect, request, url_for
from flask_login import current_user

from .. import audit
from ..auth.roles import role_required
from ..concerns import visibility
from ..clock import iso, utcnow
from ..db import get_db
from ..learners import store as learner_store
from ..learners.forms import FLAGS
from ..learners.views import add_record_entry, filters_from, refuse
from . import chronology, pdf, transfer
from .forms import ReceiptForm, TransferForm

bp = Blueprint("exports", __name__)


def wants_pictures():
    return request.args.get("pictures") in ("1", "yes", "on", "true")


def render(context):
    return pdf.render(**context, exported_by=current_user.name, exported_at=iso(utcnow()),
                      school=current_app.config["SCHOOL_NAME"], flag_labels=FLAGS)


def download(body, mimetype, filename, disposition="inline"):
    response = make_response(body)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def send_pdf(db, context, subject, filename):
    """Render, record the export in the audit log, and send the PDF (never cached)."""
    body = render(context)
    with db.atomic():
        audit.record(db, current_user.id, "chronology.export", subject,
                     {"format": "pdf", "pictures": bool(context["pictures"])})
    return download(body, "application/pdf", filename)


@bp.route("/concerns/<int:concern_id>/chronology.pdf")
@role_required("dsl", "head", "chair")
def concern_pdf(concern_id):
    db = get_db()
    if not visibility.may_see(db, current_user, concern_id):
        abort(404)
    context = chronology.of_case(db, concern_id, wants_pictures())
    if context is None:
        abort(404)
    return send_pdf(db, context, f"concern:{concern_id}", f"concern-{concern_id}-chronology.pdf")


@bp.route("/learners/<int:learner_id>/chronology.pdf")
@role_required("dsl", "head")
def learner_pdf(learner_id):
    db = get_db()
    context = chronology.of_learner(db, learner_id, wants_pictures(), filters_from(request.args),
                                    may_see=visible_to_me(db))
    if context is None:
        abort(404)
    return send_pdf(db, context, f"learner:{learner_id}", f"child-{learner_id}-chronology.pdf")


def visible_to_me(db):
    return lambda concern: visibility.may_see(db, current_user, concern["id"])


@bp.route("/learners/<int:learner_id>/transfer", methods=["POST"])
@role_required("dsl", "head")
def transfer_file(learner_id):
    """Produce the child's file for a new school, encrypted, and record to whom and when it went."""
    db = get_db()
    context = chronology.of_learner(db, learner_id, True, may_see=visible_to_me(db))
    if context is None:
        abort(404)
    form = TransferForm(prefix="transfer")
    if not form.validate_on_submit():
        return refuse(form, learner_id, "transfer")
    learner = context["learner"]
    concern_ids = sorted({i["concern"]["id"] for i in context["items"]})
    body = transfer.archive(db, render(context), concern_ids, form.passphrase.data, learner)
    with db.atomic():
        learner_store.add_entry(db, {"learner_id": learner_id, "author_id": current_user.id,
                                     "kind": "transfer_sent", "on_date": form.on_date.data.isoformat(),
                                     "recipient": form.recipient.data.strip(), "created_at": iso(utcnow()),
                                     "body": f"{len(concern_ids)} concern(s), with their pictures"})
        audit.record(db, current_user.id, "chronology.export", f"learner:{learner_id}",
                     {"format": "transfer", "pictures": True, "recipient": form.recipient.data.strip()})
    return download(body, "application/zip", f"{transfer.safe_name(learner['upn'])}-child-protection-file.zip",
                    "attachment")


@bp.route("/learners/<int:learner_id>/transfer/received", methods=["POST"])
@role_required("dsl", "head")
def transfer_received(learner_id):
    """Record the receiving school's confirmation that the file arrived."""
    db = get_db()
    if learner_store.get(db, learner_id) is None:
        abort(404)
    form = ReceiptForm(prefix="receipt")
    if not form.validate_on_submit():
        return refuse(form, learner_id, "transfer")
    add_record_entry(db, learner_id, "transfer_received", form, recipient=(form.recipient.data or "").strip())
    flash("Receipt recorded: the record shows the file arrived.", "success")
    return redirect(url_for("learners.show", learner_id=learner_id, _anchor="transfer"))

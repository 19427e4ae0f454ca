"""The chronology PDFs: `/concerns/<id>/chronology.pdf` and `/learners/<id>/chronology.pdf`."""
from flask import Blueprint, abort, current_app, make_response, request
from flask_login import current_user

from .. import audit
from ..auth.roles import role_required
from ..concerns import visibility
from ..clock import iso, utcnow
from ..db import get_db
from ..learners.forms import FLAGS
from ..learners.views import filters_from
from . import chronology, pdf

bp = Blueprint("exports", __name__)


def wants_pictures():
    return request.args.get("pictures") in ("1", "yes", "on", "true")


def send_pdf(db, context, subject, filename):
    """Render, record the export in the audit log, and send the PDF (never cached)."""
    now = utcnow()
    body = pdf.render(**context, exported_by=current_user.name, exported_at=iso(now),
                      school=current_app.config["SCHOOL_NAME"], flag_labels=FLAGS)
    with db.atomic():
        audit.record(db, current_user.id, "chronology.export", subject,
                     {"format": "pdf", "pictures": bool(context["pictures"])})
    response = make_response(body)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


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
                                    may_see=lambda concern: visibility.may_see(db, current_user, concern["id"]))
    if context is None:
        abort(404)
    return send_pdf(db, context, f"learner:{learner_id}", f"child-{learner_id}-chronology.pdf")

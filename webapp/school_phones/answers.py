"""Asking the person a school phone named whether they logged the concern, at their next sign-in."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from .. import audit
from ..auth.roles import role_required
from ..clock import iso, utcnow
from ..concerns import store as concern_store
from ..db import get_db
from . import notify, store
from .forms import AnswerForm
from .views import bp


def waiting_answers():
    """Return how many concerns logged in the signed-in person's name wait for their answer (for the banner)."""
    if g.get("offline_shell") or not current_user.is_authenticated or request.endpoint == "school_phones.mine":
        return 0
    return store.count_unanswered(get_db(), current_user.id)


def touch_case(db, concern_id):
    """Mark the case changed, so what DSLs' phones keep, and what the person named pulls, follow the answer."""
    state = concern_store.get_state(db, concern_id)
    concern_store.update_state(db, concern_id, state["status"], state["assignee_id"], iso(utcnow()), False)


@bp.route("/mine")
@role_required("staff")
def mine():
    """List concerns logged in this person's name on a school phone, each to confirm or deny.

    Only when and on which phone is shown, never what was written: if someone else used this
    person's name, the concern may be about them.
    """
    questions = store.questions_for(get_db(), current_user.id)
    forms = {q["concern_id"]: AnswerForm(prefix=f"c{q['concern_id']}") for q in questions if not q["answer"]}
    return render_template("school_phones/mine.html", questions=questions, forms=forms)


@bp.route("/concerns/<int:concern_id>/answer", methods=["POST"])
@role_required("staff")
def answer(concern_id):
    db = get_db()
    question = store.credits(db, [concern_id]).get(concern_id)
    if question is None or question["named_user_id"] != current_user.id:
        abort(404)
    if question["answer"]:
        flash("You have already answered about this concern.", "success")
        return redirect(url_for("school_phones.mine"))
    form = AnswerForm(prefix=f"c{concern_id}")
    if not form.validate():
        questions = store.questions_for(db, current_user.id)
        forms = {q["concern_id"]: AnswerForm(formdata=None, prefix=f"c{q['concern_id']}")
                 for q in questions if not q["answer"]}
        forms[concern_id] = form
        return render_template("school_phones/mine.html", questions=questions, forms=forms), 400
    with db.atomic():
        store.add_answer(db, concern_id, current_user.id, form.answer.data, (form.note.data or "").strip(),
                         iso(utcnow()))
        audit.record(db, current_user.id, "school_phone.answer", f"concern:{concern_id}",
                     {"answer": form.answer.data})
        touch_case(db, concern_id)
        if form.answer.data == "denied":
            notify.queue_denied_email(db, concern_id, question["asset_tag"])
    flash("Thank you: the DSLs can see that you logged it." if form.answer.data == "confirmed" else
          "Thank you: the DSLs can see that it was not you. The concern is kept, and they will find out who logged it.",
          "success")
    return redirect(url_for("school_phones.mine"))

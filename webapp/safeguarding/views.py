"""`/whistleblowing` and `/key-details`: open to everyone, kept on the phone; an admin keeps their texts."""
from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_login import current_user

from ..auth.roles import role_required
from ..auth.store import get_user
from ..db import get_db
from . import store
from .forms import ContactForm, ProceduresForm

bp = Blueprint("safeguarding", __name__)
NSPCC_WHISTLEBLOWING = "0800 028 0285"


def _people(db):
    return {"dsls": store.holders(db, "dsl"), "governors": store.holders(db, "governor"),
            "chairs": store.holders(db, "chair")}


@bp.route("/whistleblowing")
def whistleblowing():
    g.offline_shell = True  # kept on the phone for everyone, so it names nobody signed in
    db = get_db()
    return render_template("safeguarding/whistleblowing.html", texts=store.texts(db),
                           nspcc=NSPCC_WHISTLEBLOWING, chairs=store.holders(db, "chair"))


@bp.route("/key-details")
def key_details():
    g.offline_shell = True
    return render_template("safeguarding/key_details.html", **_people(get_db()))


@bp.route("/whistleblowing/edit", methods=["GET", "POST"])
@role_required("admin")
def edit_procedures():
    db = get_db()
    form = ProceduresForm(data=store.texts(db))
    if form.validate_on_submit():
        store.save_texts(db, {k: form[k].data or "" for k in store.TEXT_KEYS}, current_user.id)
        flash("The procedures are saved. Phones show them after their next visit online.", "success")
        return redirect(url_for("safeguarding.whistleblowing"))
    return render_template("safeguarding/edit_procedures.html", form=form)


@bp.route("/key-details/edit", methods=["GET", "POST"])
@role_required("admin")
def edit_key_details():
    db = get_db()
    form = ContactForm()
    if form.is_submitted():
        person = get_user(db, form.user_id.data) if form.validate() else None
        if form.errors or person is None or not person["active"]:
            if not form.errors:
                abort(404)
            flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        else:
            store.save_contact(db, person["id"], form.title.data or "", form.extension.data or "")
            flash(f"Details saved for {person['name']}.", "success")
            return redirect(url_for("safeguarding.edit_key_details"))
    typed = form if form.is_submitted() else None  # what was refused stays on screen to correct
    return render_template("safeguarding/edit_key_details.html", typed=typed, **_people(db))

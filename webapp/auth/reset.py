"""Forgotten passwords, self-service: a single-use link by email, valid 30 minutes, that never tells
whether an address has an account."""
from flask import Blueprint, current_app, flash, redirect, render_template, url_for

from .. import audit
from ..db import get_db
from ..mail import mail_configured, send_mail
from . import store
from .forms import ForgotPasswordForm, ResetPasswordForm

bp = Blueprint("reset", __name__, url_prefix="/login")
SENT = ("If that address belongs to an account here, we have emailed it a link to choose a new password. "
        "The link works once, within {minutes} minutes.")
# Links one person may be sent within one link's lifetime (stops anyone filling their inbox).
MOST_LINKS = 3


@bp.route("/forgot", methods=["GET", "POST"])
def forgot():
    form = ForgotPasswordForm()
    minutes = int(current_app.config["PASSWORD_RESET_MINUTES"])
    if mail_configured() and form.validate_on_submit():
        db = get_db()
        user = store.get_user_by_email(db, form.email.data)
        if user is not None and user["active"] and store.recent_reset_links(db, user["id"], minutes) < MOST_LINKS:
            with db.atomic():
                token = store.new_reset_link(db, user["id"], minutes)
                link = current_app.config["BASE_URL"].rstrip("/") + url_for("reset.choose", token=token)
                send_mail(user["email"], "Choose a new password", (
                    f"Hello {user['name']},\n\nSomeone (we hope you) asked to reset your password for "
                    f"{current_app.config['SCHOOL_NAME']}. Open this link within {minutes} minutes to choose a new "
                    f"one; it works once:\n\n{link}\n\nIf it was not you, ignore this email: your password stays "
                    "as it is.\n"), db=db)
        flash(SENT.format(minutes=minutes), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form, mail=mail_configured())


@bp.route("/reset/<token>", methods=["GET", "POST"])
def choose(token):
    db = get_db()
    user_id = store.reset_link_user(db, token)
    if user_id is None:
        return render_template("auth/reset_refused.html"), 410
    user = store.get_user(db, user_id)
    form = ResetPasswordForm()
    form.email_for_check = user["email"]
    if form.validate_on_submit():
        from .views import end_access_elsewhere
        with db.atomic():
            if not store.spend_reset_link(db, token):
                return render_template("auth/reset_refused.html"), 410
            store.set_password(db, user_id, form.new_password.data)
            end_access_elsewhere(db, user_id, user_id, "password reset by email")
            audit.record(db, user_id, "password.change", f"user:{user_id}", {"reason": "reset link"})
        flash("Your password has been changed. Sign in with it now.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)

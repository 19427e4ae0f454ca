"""The admins' email page: what waits, what keeps failing, and whether the sender is running."""
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from ..auth.roles import role_required
from ..clock import parse_iso, utcnow
from ..db import get_db
from . import outbox

bp = Blueprint("mail", __name__, url_prefix="/admin/email")


class MessageActionForm(FlaskForm):
    """A button on one email that only needs the CSRF token."""


def sender_state(last_pass, now, poll_seconds):
    """Say in plain words whether the mail sender has been running lately."""
    if last_pass is None:
        return "never", "The mail sender has not run yet: emails wait until it does."
    if now - parse_iso(last_pass) > timedelta(minutes=2) + timedelta(seconds=poll_seconds):
        return "stopped", "The mail sender has not run for a while: emails wait until it does."
    return "running", "The mail sender is running."


@bp.route("")
@role_required("admin")
def outbox_page():
    db, now = get_db(), utcnow()
    last = outbox.last_pass(db)
    state, state_text = sender_state(last, now, float(current_app.config["MAIL_POLL_SECONDS"]))
    return render_template("mail/outbox.html", counts=outbox.counts(db, now - timedelta(days=7)),
                           failing=outbox.failing(db), failing_after=outbox.FAILING_AFTER,
                           configured=outbox.mail_configured(), last_pass=last, sender=state,
                           sender_text=state_text, form=MessageActionForm())


@bp.route("/<int:message_id>/try-now", methods=["POST"])
@role_required("admin")
def try_now(message_id):
    if not MessageActionForm().validate_on_submit():
        abort(400)
    if outbox.try_now(get_db(), message_id, utcnow()):
        flash("It will be tried again at the mail sender's next pass.", "success")
    else:
        flash("That email is no longer waiting: it was sent or stopped meanwhile.", "info")
    return redirect(url_for("mail.outbox_page"))


@bp.route("/<int:message_id>/stop", methods=["POST"])
@role_required("admin")
def stop(message_id):
    if not MessageActionForm().validate_on_submit():
        abort(400)
    if outbox.stop(get_db(), message_id, current_user.id):
        flash("That email will not be tried again.", "success")
    else:
        flash("That email is no longer waiting: it was sent or stopped meanwhile.", "info")
    return redirect(url_for("mail.outbox_page"))

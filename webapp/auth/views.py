"""Sign in, sign out, change password."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user

from ..db import get_db
from . import store
from .forms import ChangePasswordForm, LoginForm
from .passwords import verify_password
from .roles import client_address
from .signing_in import start_signed_in_session
from .throttle import login_blocked

bp = Blueprint("auth", __name__)
FAILED = "That email address and password do not match an active account."


def safe_next(target):
    """Return target only if it is a path on this site; otherwise the home page."""
    if (target and target.startswith("/") and not target.startswith("//")
            and "\\" not in target and not any(c in target for c in "\r\n\t")):
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = _authenticate(form.email.data, form.password.data)
        if user is not None:
            start_signed_in_session(get_db(), user)
            return redirect(safe_next(request.args.get("next")))
        return render_template("auth/login.html", form=form)
    return render_template("auth/login.html", form=form)


def _authenticate(email, password):
    """Check one sign-in attempt, record it, and return the user row or None."""
    db, address = get_db(), client_address()
    if login_blocked(db, email, address):
        store.record_attempt(db, email, address, None, "limited")
        flash("Too many attempts to sign in. Please wait a few minutes and try again.", "error")
        return None
    user = store.get_user_by_email(db, email)
    ok = verify_password(user["password_hash"] if user else None, password)
    ok = ok and bool(user["active"])
    store.record_attempt(db, email, address, user["id"] if user else None, "success" if ok else "failure")
    if not ok:
        flash(FAILED, "error")
        current_app.logger.info("Failed sign-in from %s", address)
        return None
    return user


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        store.end_session(get_db(), current_user.token, "signed out")
    logout_user()
    session.clear()
    flash("You have signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    form.email_for_check = current_user.email
    if form.validate_on_submit():
        db = get_db()
        row = store.get_user(db, current_user.id)
        if not verify_password(row["password_hash"], form.current_password.data):
            form.current_password.errors.append("That is not your current password.")
        else:
            store.set_password(db, current_user.id, form.new_password.data)
            flash("Your password has been changed.", "success")
            return redirect(url_for("home.index"))
    return render_template("auth/password.html", form=form)

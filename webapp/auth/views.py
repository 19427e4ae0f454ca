"""Sign in (password, then a second factor where needed), sign out, change password."""
from datetime import timedelta

from flask import (Blueprint, current_app, flash, make_response, redirect, render_template, request, session,
                   url_for)
from flask_login import current_user, login_required, logout_user

from .. import audit
from ..clock import iso, parse_iso, utcnow
from ..db import get_db
from . import device_cookie, passkey_store, second_factor, store
from .forms import ChangePasswordForm, CodeForm, LoginForm, SetupCodeForm
from .passwords import verify_password
from .roles import client_address
from .signing_in import start_signed_in_session
from .throttle import code_blocked, login_blocked

bp = Blueprint("auth", __name__)
FAILED = "That email address and password do not match an active account."
WRONG_CODE = ("That code is not right, or has been used already. Enter the 6 digits your authenticator app "
              "shows now, or one of your recovery codes.")
NO_APP = "This account has no authenticator app, so no code works: sign in with your passkey."
TOO_MANY_CODES = "Too many wrong codes. Please wait a few minutes and try again."
# What the audit log says proved a sign-in besides the password, by what check_code matched.
SECOND_STEPS = {"totp": "a code from the authenticator app", "recovery": "a recovery code"}
# How long the code page waits for the code after the password was right.
PENDING_MINUTES = 5


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
        if user is not None and second_factor.asks_second_step(user):
            session.clear()
            session["pending_sign_in"] = {"user_id": user["id"], "at": iso(utcnow()),
                                          "next": safe_next(request.args.get("next"))}
            return redirect(url_for("auth.login_code"))
        if user is not None:
            return _signed_in(user, safe_next(request.args.get("next")))
        return render_template("auth/login.html", form=form)
    return render_template("auth/login.html", form=form)


def _signed_in(user, target, second_step=None):
    """Start the server-side session of a person whose sign-in just succeeded, and go on."""
    start_signed_in_session(get_db(), user, second_step)
    return device_cookie.remember(redirect(target), user["id"])


def _pending_user():
    """Return the person whose password was right moments ago and who owes a code, or None."""
    pending = session.get("pending_sign_in")
    if not isinstance(pending, dict):
        return None
    try:
        started = parse_iso(pending["at"])
    except (KeyError, TypeError, ValueError):
        return None
    if utcnow() - started > timedelta(minutes=PENDING_MINUTES):
        return None
    user = store.get_user(get_db(), pending.get("user_id"))
    if user is None or not user["active"] or not second_factor.asks_second_step(user):
        return None
    return user


def code_page(form, user, passkey_error=None):
    """Show the second step of signing in: the code form and, for a person who has them, passkeys."""
    from .forms import PasskeyAnswerForm
    has_totp = second_factor.has_it(user)
    if not has_totp and form.errors and passkey_error is None:
        passkey_error = NO_APP  # a code was typed on an account that has only passkeys
    return render_template("auth/code.html", form=form, has_totp=has_totp,
                           has_passkey=passkey_store.has_any(get_db(), user["id"]),
                           passkey_form=PasskeyAnswerForm(formdata=None), passkey_error=passkey_error)


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    user = _pending_user()
    if user is None:
        session.pop("pending_sign_in", None)
        flash("Please sign in with your email address and password first.", "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        db, address = get_db(), client_address()
        if code_blocked(db, user["id"]) and not device_cookie.recognised(user["id"]):
            store.record_code_attempt(db, user["id"], address, "limited")
            form.code.errors.append(TOO_MANY_CODES)
        else:
            used = second_factor.check_code(db, user, form.code.data)
            store.record_code_attempt(db, user["id"], address, "success" if used else "failure")
            if used:
                target = session["pending_sign_in"].get("next") or url_for("home.index")
                answer = _signed_in(user, safe_next(target), SECOND_STEPS[used])
                if used == "recovery":
                    left = len(store.unused_recovery_codes(db, user["id"]))
                    flash(f"You used a recovery code; {left} left. You can make new ones on the "
                          "two-factor page.", "info")
                return answer
            form.code.errors.append(WRONG_CODE)
    return code_page(form, user)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor():
    """Set up (or change) the authenticator app, confirm it with a first code, then show recovery codes."""
    db = get_db()
    user = store.get_user(db, current_user.id)
    secret = user["totp_pending_secret"]
    if not secret:
        secret = second_factor.new_secret()
        store.set_pending_secret(db, user["id"], secret)
    form = SetupCodeForm()
    if form.validate_on_submit():
        if code_blocked(db, user["id"]):
            store.record_code_attempt(db, user["id"], client_address(), "limited")
            form.code.errors.append(TOO_MANY_CODES)
        else:
            code = second_factor.normalise(form.code.data)
            step = second_factor.matching_step(secret, code) if second_factor.is_totp_shaped(code) else None
            store.record_code_attempt(db, user["id"], client_address(), "success" if step is not None else "failure")
            if step is None:
                form.code.errors.append("That code does not match. Check the app shows this school's entry and "
                                        "enter the 6 digits it shows now.")
            else:
                with db.atomic():
                    store.confirm_secret(db, user["id"], secret, step)
                    codes = second_factor.new_recovery_codes(db, user["id"])
                    if current_user.verified_at is None:
                        store.mark_verified(db, current_user.token)
                    audit.record(db, user["id"], "two_factor.setup", f"user:{user['id']}")
                response = make_response(render_template("account/recovery_codes.html", codes=codes))
                response.headers["Cache-Control"] = "no-store"
                return response
    response = make_response(render_template(
        "account/two_factor.html", form=form, secret=secret, has_it=second_factor.has_it(user),
        required=second_factor.required_of(user), qr=second_factor.qr_svg(secret, user["email"])))
    response.headers["Cache-Control"] = "no-store"
    return response


def _authenticate(email, password):
    """Check one sign-in attempt, record it, and return the user row or None."""
    db, address = get_db(), client_address()
    user = store.get_user_by_email(db, email)
    # A browser this account signed in from before is not held back by strangers' failures.
    trusted = user is not None and device_cookie.recognised(user["id"])
    if not trusted and login_blocked(db, email, address):
        store.record_attempt(db, email, address, None, "limited")
        flash("Too many attempts to sign in. Please wait a few minutes and try again.", "error")
        return None
    ok = verify_password(user["password_hash"] if user else None, password)
    ok = ok and bool(user["active"])
    store.record_attempt(db, email, address, user["id"] if user else None, "success" if ok else "failure")
    if not ok:
        if user is not None:  # a failure against a real account: by whom is unknown
            audit.record(db, None, "sign_in.failed", f"user:{user['id']}")
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
            with db.atomic():
                store.set_password(db, current_user.id, form.new_password.data)
                ended = end_access_elsewhere(db, current_user.id, current_user.id, "password changed",
                                             keep=current_user.token)
                audit.record(db, current_user.id, "password.change", f"user:{current_user.id}")
            flash("Your password has been changed. " + ended, "success")
            return redirect(url_for("home.index"))
    return render_template("auth/password.html", form=form)


def end_access_elsewhere(db, user_id, by, why, keep=None):
    """End a person's sessions (all but `keep`) and revoke every phone key they have; say what ended."""
    from ..sync import store as sync_store
    store.end_other_sessions(db, user_id, keep, why)
    revoked = sync_store.revoke_keys_of(db, user_id, by, why, iso(utcnow()))
    if keep is not None and current_user.verified_at is not None:
        store.mark_verified(db, keep)  # the password was just given again: this phone may make a new key
    return ("You are signed out everywhere else"
            + (f", and {revoked} phone key{'s' if revoked != 1 else ''} stopped working." if revoked else "."))

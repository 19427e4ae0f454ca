"""`/account/passkeys` (add, list, remove) and `/login/passkey` (a passkey instead of a code at sign-in)."""
from flask import Blueprint, abort, flash, jsonify, make_response, redirect, render_template, session, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..db import get_db
from . import device_cookie, passkey_store, passkeys, store
from .forms import CodeForm, PasskeyAnswerForm, PasskeyForm
from .roles import client_address
from .throttle import code_blocked
from .views import TOO_MANY_CODES, _pending_user, _signed_in, code_page, safe_next

bp = Blueprint("passkeys", __name__)
START_AGAIN = "Please sign in with your email address and password first."


def _json(text, status=200):
    response = make_response(text, status)
    response.mimetype = "application/json"
    response.headers["Cache-Control"] = "no-store"
    return response


def _manage_page(form, status=200):
    db = get_db()
    response = make_response(render_template(
        "account/passkeys.html", form=form, remove_form=FlaskForm(),
        passkeys=passkey_store.passkeys_of(db, current_user.id)), status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/passkeys")
@login_required
def manage():
    return _manage_page(PasskeyForm(formdata=None))


@bp.route("/account/passkeys/options", methods=["POST"])
@login_required
def registration_options():
    """Start adding a passkey: a fresh single-use challenge and what the browser needs (JSON)."""
    db = get_db()
    return _json(passkeys.registration_options(db, store.get_user(db, current_user.id)))


@bp.route("/account/passkeys", methods=["POST"])
@login_required
def add():
    form = PasskeyForm()
    if not form.validate_on_submit():
        return _manage_page(form, 400)
    db = get_db()
    try:
        passkeys.register(db, store.get_user(db, current_user.id), form.name.data.strip(), form.credential.data)
    except passkeys.Refused as refused:
        form.credential.errors = [str(refused)]
        return _manage_page(form, 400)
    flash(f"Passkey \u201c{form.name.data.strip()}\u201d added. You can use it instead of a code when you sign in.",
          "success")
    return redirect(url_for("passkeys.manage"))


@bp.route("/account/passkeys/<int:passkey_id>/remove", methods=["POST"])
@login_required
def remove(passkey_id):
    if not FlaskForm().validate_on_submit():
        flash("The page had expired: nothing was changed. Please try again.", "error")
        return redirect(url_for("passkeys.manage"))
    db = get_db()
    name = passkeys.remove(db, store.get_user(db, current_user.id), passkey_id)
    if name is None:
        abort(404)
    flash(f"Passkey \u201c{name}\u201d removed: it no longer signs you in.", "success")
    return redirect(url_for("passkeys.manage"))


@bp.route("/login/passkey/options", methods=["POST"])
def sign_in_options():
    """Start the passkey step of a sign-in whose password was right (JSON)."""
    user = _pending_user()
    if user is None:
        return jsonify({"error": START_AGAIN, "status": 401}), 401
    db = get_db()
    if not passkey_store.has_any(db, user["id"]):
        return jsonify({"error": "This account has no passkey. Enter a code instead.", "status": 409}), 409
    return _json(passkeys.sign_in_options(db, user))


@bp.route("/login/passkey", methods=["POST"])
def sign_in():
    """Finish signing in with a passkey's answer instead of a code."""
    user = _pending_user()
    if user is None:
        session.pop("pending_sign_in", None)
        flash(START_AGAIN, "info")
        return redirect(url_for("auth.login"))
    form = PasskeyAnswerForm()
    if not form.validate_on_submit():
        return _refused(user, form.credential.errors[0] if form.credential.errors else START_AGAIN)
    db, address = get_db(), client_address()
    if code_blocked(db, user["id"]) and not device_cookie.recognised(user["id"]):
        store.record_code_attempt(db, user["id"], address, "limited")
        return _refused(user, TOO_MANY_CODES)
    try:
        passkey = passkeys.check_sign_in(db, user, form.credential.data)
    except passkeys.Refused as refused:
        store.record_code_attempt(db, user["id"], address, "failure")
        return _refused(user, str(refused))
    store.record_code_attempt(db, user["id"], address, "success")
    return _signed_in(user, safe_next(session["pending_sign_in"].get("next") or url_for("home.index")),
                      f"the passkey “{passkey['name']}”")


def _refused(user, message):
    return make_response(code_page(CodeForm(formdata=None), user, passkey_error=message), 400)

"""`/account/phones`: a person's phones and signing keys, each revocable."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..clock import iso, utcnow
from ..db import get_db
from . import store
from .watch import watched

bp = Blueprint("account", __name__, url_prefix="/account")


def revoke_key(db, kid, owner_id, by):
    """Revoke one live key of `owner_id`, watched; return False if there was no such live key."""
    from ..sync import store as sync_store
    key = sync_store.device_key(db, kid)
    if key is None or key["user_id"] != owner_id:
        return None
    with db.atomic():
        done = sync_store.revoke_device_key(db, kid, by.id, f"revoked by {by.name}", iso(utcnow()))
        if done:
            watched(db, by, "key.revoke", store.get_user(db, owner_id), {"kid": kid, "device_id": key["device_id"]})
    return done


@bp.route("/phones")
@login_required
def phones():
    from ..sync import store as sync_store
    return render_template("account/phones.html", keys=sync_store.keys_of(get_db(), current_user.id),
                           form=FlaskForm())


@bp.route("/phones/<kid>/revoke", methods=["POST"])
@login_required
def revoke(kid):
    db = get_db()
    form = FlaskForm()
    if not form.validate_on_submit():
        flash("The page had expired: nothing was changed. Please try again.", "error")
        return redirect(url_for("account.phones"))
    done = revoke_key(db, kid, current_user.id, current_user)
    if done is None:
        abort(404)
    if done:
        flash("That key no longer works. Items it already signed and sent are kept.", "success")
    return redirect(url_for("account.phones"))

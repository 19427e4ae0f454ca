"""The set-up page the first administrator opens from the link printed at first start."""
from flask import Blueprint, current_app, flash, redirect, render_template, url_for

from ..auth import store as auth_store
from ..auth.signing_in import start_signed_in_session
from ..db import get_db
from . import store
from .forms import FirstAdminForm

bp = Blueprint("installation", __name__)
# Where the new admin goes next: setting up their second factor, where this app has it.
NEXT_STEP = "auth.two_factor"


class LinkSpent(Exception):
    """The link was used (or ran out) while the form was being filled in."""


def demo_banner():
    """Tell every page whether this is a demo installation (the marker never changes once set)."""
    cached = current_app.extensions.get("installation_kind")
    if cached is None:
        try:
            cached = store.kind(get_db())
        except Exception:  # a database not yet migrated: no banner rather than no page
            cached = None
        if cached is not None:
            current_app.extensions["installation_kind"] = cached
    return {"demo_installation": cached == "demo"}


@bp.route("/setup/<token>", methods=["GET", "POST"])
def first_admin(token):
    db = get_db()
    state = store.link_state(db, token)
    if state != "valid":
        return render_template("installation/link_refused.html", state=state), 410 if state != "unknown" else 404
    form = FirstAdminForm()
    form.email_for_check = form.email.data or ""
    if form.validate_on_submit():
        try:
            user_id = _create_admin(db, form, token)
        except LinkSpent:
            return render_template("installation/link_refused.html", state="used"), 410
        _sign_in(db, user_id)
        flash("Your administrator account is ready. Next, add the school's staff from the People page.", "success")
        return redirect(url_for(NEXT_STEP) if NEXT_STEP in current_app.view_functions else url_for("home.index"))
    return render_template("installation/first_admin.html", form=form)


def _create_admin(db, form, token):
    """Create the first admin and spend the link in one transaction; raise LinkSpent if it is gone."""
    if auth_store.get_user_by_email(db, form.email.data):
        raise LinkSpent()
    with db.atomic():
        user_id = auth_store.create_user(db, form.email.data, form.name.data, form.new_password.data, ["admin"])
        if not store.use_link(db, token, user_id):
            raise LinkSpent()
    return user_id


def _sign_in(db, user_id):
    """Sign the new admin in, as the sign-in page does."""
    start_signed_in_session(db, auth_store.get_user(db, user_id))

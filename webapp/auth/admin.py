"""Admin pages: add people, change their roles, deactivate and reactivate them."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from ..db import get_db
from . import store
from .forms import DeactivateForm, NewUserForm, TemporaryPasswordForm, UserForm
from .roles import ROLE_LABELS, role_required
from .watch import watched

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@role_required("admin")
def users():
    return render_template("admin/users.html", users=store.list_users(get_db()))


@bp.route("/users/new", methods=["GET", "POST"])
@role_required("admin")
def new_user():
    form = NewUserForm()
    form.email_for_check = form.email.data or ""
    if form.validate_on_submit():
        db = get_db()
        if store.get_user_by_email(db, form.email.data):
            form.email.errors.append("Someone already has an account with that email address.")
        else:
            with db.atomic():
                user_id = store.create_user(db, form.email.data, form.name.data, form.new_password.data,
                                            form.roles.data)
                watched(db, current_user, "account.create", store.get_user(db, user_id),
                        {"role": ", ".join(ROLE_LABELS.get(r, r) for r in form.roles.data)})
            flash(f"{form.name.data} can now sign in.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_new.html", form=form)


def _person_or_404(user_id):
    person = store.get_user(get_db(), user_id)
    if person is None:
        abort(404)
    return person


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def edit_user(user_id):
    person = _person_or_404(user_id)
    form = UserForm(data={"name": person["name"], "roles": person["roles"]})
    if form.validate_on_submit():
        if person["id"] == current_user.id and set(form.roles.data) != set(person["roles"]):
            form.roles.errors.append("You cannot change your own roles: ask another administrator.")
        else:
            _save(person, form.name.data, form.roles.data)
            flash(f"{form.name.data}'s details have been saved.", "success")
            return redirect(url_for("admin.users"))
    return _edit_page(person, form)


def _edit_page(person, form, temporary=None):
    from ..sync import store as sync_store
    return render_template("admin/user_edit.html", form=form, person=person, deactivate=DeactivateForm(),
                           temporary=temporary or TemporaryPasswordForm(formdata=None), confirm=FlaskForm(),
                           keys=sync_store.keys_of(get_db(), person["id"]))


def _save(person, name, roles):
    """Save a person's name and roles, watching every role given or taken away."""
    db = get_db()
    with db.atomic():
        store.update_user(db, person["id"], name, roles)
        for role in sorted(set(roles) - set(person["roles"])):
            watched(db, current_user, "role.grant", person, {"role": ROLE_LABELS.get(role, role)})
        for role in sorted(set(person["roles"]) - set(roles)):
            watched(db, current_user, "role.remove", person, {"role": ROLE_LABELS.get(role, role)})


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@role_required("admin")
def deactivate(user_id):
    person = _person_or_404(user_id)
    form = DeactivateForm()
    if person["id"] == current_user.id:
        flash("You cannot deactivate your own account.", "error")
    elif form.validate_on_submit():
        db = get_db()
        with db.atomic():
            store.set_active(db, user_id, False)
            watched(db, current_user, "account.deactivate", person)
        flash(f"{person['name']} can no longer sign in; their sessions have ended.", "success")
        return redirect(url_for("admin.users"))
    else:
        flash("Tick the box to confirm before deactivating.", "error")
    return redirect(url_for("admin.edit_user", user_id=user_id))


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@role_required("admin")
def reactivate(user_id):
    person = _person_or_404(user_id)
    form = DeactivateForm()
    if form.validate_on_submit():
        store.set_active(get_db(), user_id, True)
        flash(f"{person['name']} can sign in again.", "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/temporary-password", methods=["POST"])
@role_required("admin")
def temporary_password(user_id):
    """Set a one-time password for someone who forgot theirs; they must change it at their next sign-in."""
    from .views import end_access_elsewhere
    person = _person_or_404(user_id)
    form = TemporaryPasswordForm()
    form.email_for_check = person["email"]
    if person["id"] == current_user.id:
        flash("Change your own password from your account page.", "error")
        return redirect(url_for("admin.edit_user", user_id=user_id))
    if form.validate_on_submit():
        db = get_db()
        with db.atomic():
            store.set_password(db, user_id, form.new_password.data, temporary=True)
            end_access_elsewhere(db, user_id, current_user.id, "temporary password set")
            watched(db, current_user, "password.reset", person)
        flash(f"{person['name']} can sign in once with the temporary password, then chooses their own. "
              "Their sessions have ended and their phone keys stopped working.", "success")
        return redirect(url_for("admin.edit_user", user_id=user_id))
    return _edit_page(person, UserForm(data={"name": person["name"], "roles": person["roles"]}), temporary=form)


@bp.route("/users/<int:user_id>/keys/<kid>/revoke", methods=["POST"])
@role_required("admin")
def revoke_key(user_id, kid):
    from .account import revoke_key as revoke
    person = _person_or_404(user_id)
    if not FlaskForm().validate_on_submit():
        flash("The page had expired: nothing was changed. Please try again.", "error")
    elif revoke(get_db(), kid, person["id"], current_user) is None:
        abort(404)
    else:
        flash("That phone key no longer works.", "success")
    return redirect(url_for("admin.edit_user", user_id=user_id))


@bp.route("/two-factor")
@role_required("admin", "head")
def two_factor_people():
    """Who has two-factor sign-in; the admin or the head can reset it for someone who lost their phone."""
    people = [p for p in store.list_users(get_db()) if p["active"]]
    return render_template("admin/two_factor.html", people=people, form=FlaskForm())


@bp.route("/users/<int:user_id>/two-factor/reset", methods=["POST"])
@role_required("admin", "head")
def reset_two_factor(user_id):
    person = _person_or_404(user_id)
    if person["id"] == current_user.id:
        flash("You cannot reset your own two-factor sign-in: set up a new app from your account page.", "error")
    elif not FlaskForm().validate_on_submit():
        flash("The page had expired: nothing was changed. Please try again.", "error")
    else:
        db = get_db()
        with db.atomic():
            store.clear_second_factor(db, user_id)
            store.end_sessions_of(db, user_id, "second factor reset")
            watched(db, current_user, "two_factor.reset", person)
        flash(f"{person['name']}'s two-factor sign-in was reset: they set up an authenticator app again the next "
              "time they sign in.", "success")
    return redirect(url_for("admin.two_factor_people"))

"""Admin pages: add people, change their roles, deactivate and reactivate them."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..db import get_db
from . import store
from .forms import DeactivateForm, NewUserForm, UserForm
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
    return render_template("admin/user_edit.html", form=form, person=person, deactivate=DeactivateForm())


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

"""/actions: each owner's actions, overdue first; DSLs and the head see everyone's."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from ..auth.roles import role_required
from ..concerns import capture, visibility
from ..concerns import store as concern_store
from ..concerns.forms import CaseEventForm
from ..db import get_db
from . import due, store
from .forms import DoneForm

bp = Blueprint("actions", __name__, url_prefix="/actions")


def sees_all(user):
    return user.has_role("dsl", "head")


def shown_to(db, user, action):
    """Say whether a person sees an action: its owner (unless the case is about them), or whoever
    may see its case."""
    if action["assignee_id"] == user.id and not visibility.is_subject(db, user.id, action["concern_id"]):
        return True
    return visibility.may_see(db, user, action["concern_id"])


@bp.route("")
@role_required("staff", "dsl", "head")
def index():
    db = get_db()
    everyone = sees_all(current_user) and request.args.get("show") != "mine"
    actions = [a for a in store.open_actions(db, None if everyone else current_user.id)
               if shown_to(db, current_user, a)]
    return render_template("actions/index.html", actions=due.with_state(actions, due.today()),
                           everyone=everyone, may_see_all=sees_all(current_user), form=DoneForm())


@bp.route("/<int:action_id>/done", methods=["POST"])
@role_required("staff", "dsl", "head")
def done(action_id):
    db = get_db()
    action = store.get_action(db, action_id)
    if action is None or not shown_to(db, current_user, action):
        abort(404)
    if not DoneForm().validate_on_submit():
        flash("The page had expired. Mark the action done again.", "error")
        return redirect(url_for("actions.index"))
    entry = CaseEventForm(formdata=MultiDict({"concern_id": action["concern_id"], "kind": "action_done",
                                              "action_id": action_id}), meta={"csrf": False})
    entry.set_assignees(concern_store.case_workers(db), owners=concern_store.action_owners(db))
    errors = {}
    if entry.validate():
        with db.atomic():
            _, errors = capture.add_entry(db, entry, current_user.id)
    else:
        errors = entry.errors
    if errors:
        flash(" ".join(m for messages in errors.values() for m in messages), "error")
    else:
        flash("Action marked done. The DSLs see it on the case.", "success")
    return redirect(url_for("actions.index"))

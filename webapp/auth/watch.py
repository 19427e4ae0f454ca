"""Changes to who may do what are watched: each is written to the audit log and emailed to the head
(and to the chair of governors when it concerns the head)."""
from flask import current_app

from .. import audit
from ..audit.actions import action_label
from ..mail import send_mail
from . import store


def recipients(db, person):
    """The head, and the chair when the change concerns someone holding the head's role."""
    watchers = store.users_with_role(db, "head")
    if "head" in person["roles"]:
        watchers += store.users_with_role(db, "chair")
    return sorted({w["email"] for w in watchers})


def watched(db, actor, action, person, detail=None):
    """Record one change to a person's access and email the people who watch such changes."""
    detail = detail or {}
    actor_id = actor["id"] if isinstance(actor, dict) else getattr(actor, "id", None)
    actor_name = actor["name"] if isinstance(actor, dict) else getattr(actor, "name", "The system")
    audit.record(db, actor_id, action, f"user:{person['id']}", detail)
    what = action_label(action)
    extra = "".join(f"\n{key.replace('_', ' ').capitalize()}: {value}" for key, value in detail.items() if value)
    body = (f"{what}.\n\nPerson: {person['name']} ({person['email']})\nBy: {actor_name}{extra}\n\n"
            f"If you did not expect this, check the People page and the audit log at "
            f"{current_app.config['BASE_URL'].rstrip('/')}/audit.\n")
    send_mail(recipients(db, person), f"Account change: {what} – {person['name']}", body, db=db)

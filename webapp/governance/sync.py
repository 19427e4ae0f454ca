"""Declarations arriving from a phone's outbox, and what a person may pull about them."""
from werkzeug.datastructures import MultiDict

from ..auth.roles import IMPLIED
from . import store
from .declarations import RELATIONSHIP_LABELS, notify_reviewers, record_declaration
from .forms import DeclarationForm


def _holds(person, *roles):
    """Say whether a person (a user row, or the signed-in user) holds one of the roles."""
    held = set(person["roles"] if isinstance(person, dict) else person.roles)
    for role in list(held):
        held |= IMPLIED.get(role, set())
    return bool(held & set(roles))


def _formdata(payload):
    """Turn a JSON payload into form data (text values only; anything else is left out)."""
    if not isinstance(payload, dict):
        return MultiDict()
    return MultiDict({k: v for k, v in payload.items() if isinstance(k, str) and isinstance(v, str)})


def accept_declaration(db, payload, author, meta):
    """Validate a declaration with the web form's rules and store it in the caller's transaction."""
    if not _holds(author, "staff"):
        return {"errors": {"relationship": ["Only members of staff can declare a relationship."]}}
    form = DeclarationForm(formdata=_formdata(payload), meta={"csrf": False})
    if not form.validate():
        return {"errors": {name: list(messages) for name, messages in form.errors.items()}}
    existing = store.declaration_by_item(db, meta["item_id"])
    if existing is not None:
        return {"ref": f"declarations:{existing}", "after_commit": None}
    declaration_id = record_declaration(db, form, author["id"], "phone", meta["item_id"], meta["created_at"])
    notify_reviewers(db)
    return {"ref": f"declarations:{declaration_id}", "after_commit": None}


KINDS = {"declaration": accept_declaration}


def _change(row, with_author):
    data = {"relationship": row["relationship"], "relationship_label": RELATIONSHIP_LABELS[row["relationship"]],
            "with_whom": row["with_whom"], "details": row["details"], "created_at": row["created_at"],
            "arrangement": row["arrangement"], "reviewed_at": row["reviewed_at"],
            "confirmed_school_year": row["confirmed_year"], "ended_at": row["ended_at"]}
    if with_author:
        data["declared_by"] = row["declared_by_name"]
    return {"type": "declaration", "id": row["id"], "changed_at": row["updated_at"], "data": data}


def changes_since(db, user, since):
    """Return the declarations this person may see that changed after `since`, oldest first."""
    reviewer = _holds(user, "dsl", "head")
    user_id = user["id"] if isinstance(user, dict) else user.id
    rows = store.declarations_changed_since(db, since, None if reviewer else user_id)
    return [_change(row, reviewer) for row in rows]

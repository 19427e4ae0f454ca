"""Declarations arriving from a phone's outbox, and what a person may pull about them."""
from ..auth.roles import has_role
from ..sync.handoff import Kind, Written
from . import store
from .declarations import RELATIONSHIP_LABELS, notify_reviewers, record_declaration
from .forms import DeclarationForm


def write_declaration(db, form, author, item):
    """Store a declaration from a phone as the web form does, its emails to the reviewers with it."""
    declaration_id = record_declaration(db, form, author["id"], "phone", item.id, item.created_at)
    notify_reviewers(db)
    return Written(declaration_id)


KINDS = {
    "declaration": Kind(form=DeclarationForm, roles=("staff",), table="declarations", write=write_declaration,
                        role_refused="Only members of staff can declare a relationship.",
                        unreadable="The declaration could not be read."),
}


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
    reviewer = has_role(user, "dsl", "head")
    rows = store.declarations_changed_since(db, since, None if reviewer else user["id"])
    return [_change(row, reviewer) for row in rows]

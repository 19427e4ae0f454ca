"""What the person a school phone named may pull about that concern, before and after they answer.

Until they confirm it, they learn only that a concern was logged in their name on a school phone
and waits for their answer: its number, when, and on which phone; never its category or what was
written (someone else may have used their name, and the concern may be about them). Once they
confirm it, it is theirs like any concern they logged (the answer touches the case, so it comes in
their next pull). Once they deny it, they learn nothing more.
"""
from ..auth.roles import has_role
from . import store

QUESTION = "school_phone_question"


def withheld_from(db, user_id):
    """Return the ids of concerns credited to this person that their own pulls must not show as theirs."""
    return store.not_confirmed_by(db, user_id)


def question(row):
    """Return the change telling a phone that a concern waits for this person's answer, or no longer does."""
    if row["answer"]:
        return {"type": QUESTION, "id": row["concern_id"], "changed_at": row["answered_at"], "removed": True}
    return {"type": QUESTION, "id": row["concern_id"], "changed_at": row["received_at"],
            "data": {"id": row["concern_id"], "logged_at": row["logged_at"],
                     "school_phone": f"school phone {row['asset_tag']}", "waiting_for_answer": True}}


def changes_since(db, user, since):
    """Return the questions about concerns logged in this person's name that changed after `since`."""
    if not has_role(user, "staff"):
        return []
    # a first pull never held a question, so it names no answered one to drop
    return [question(row) for row in store.named_changes(db, user["id"], since)
            if since is not None or not row["answer"]]

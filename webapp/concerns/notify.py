"""Tell DSLs (and the head, for allegations against staff) that a concern has arrived."""
from flask import current_app

from ..auth.store import users_with_role
from ..mail import send_mail
from .categories import category


def recipients(db, flagged):
    """Return the email addresses to tell: every active DSL, and the head when flagged."""
    people = users_with_role(db, "dsl") + (users_with_role(db, "head") if flagged else [])
    return sorted({p["email"] for p in people})


def message(concern_id, category_key, urgent, flagged):
    """Write the email: the category and a link, never names or what happened."""
    cat = category(category_key)
    base = current_app.config["BASE_URL"].rstrip("/")
    subject = f"{'URGENT: ' if urgent else ''}New concern: {cat.label}"
    lines = [f"A new concern has been logged: {cat.label} (policy clause {cat.clause}).",
             "It is marked urgent: please act today." if urgent else None,
             "It is flagged for the headteacher: an allegation about a member of staff."
             if flagged else None,
             "", f"Open the case (sign-in needed): {base}/concerns/{concern_id}", "",
             "Details are only in the app. Please do not forward this email."]
    return subject, "\n".join(line for line in lines if line is not None)


def queue_new_concern_emails(db, concern_id, category_key, urgent, flagged):
    """Queue the emails in the concern's own transaction, so they are sent if and only if it is kept."""
    subject, body = message(concern_id, category_key, urgent, flagged)
    send_mail(recipients(db, flagged), subject, body, db=db)

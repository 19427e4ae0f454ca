"""Tell the right people that a concern has arrived: never anyone it may be about.

Ordinary concerns go to every active DSL; an allegation about a member of staff to the headteacher
(5.2.5), or the DSLs if no one holds `head`; a concern about the headteacher to the chair of
governors alone (no one, until someone holds `chair`: it waits in the chair's queue).
"""
from flask import current_app

from ..auth.store import users_with_role
from ..mail import send_mail
from .categories import category


def recipients(db, flagged, about_head=False):
    """Return the email addresses to tell of a new concern."""
    if about_head:
        people = users_with_role(db, "chair")
    else:
        people = (users_with_role(db, "head") if flagged else []) or users_with_role(db, "dsl")
    return sorted({p["email"] for p in people})


def message(concern_id, category_key, urgent, flagged, about_head=False):
    """Write the email: the category and a link, never names or what happened."""
    cat = category(category_key)
    base = current_app.config["BASE_URL"].rstrip("/")
    subject = f"{'URGENT: ' if urgent else ''}New concern: {cat.label}"
    lines = [f"A new concern has been logged: {cat.label} (policy clause {cat.clause}).",
             "It is marked urgent: please act today." if urgent else None,
             "It is for the chair of governors alone." if about_head else
             "It is flagged for the headteacher: an allegation about a member of staff." if flagged else None,
             "", f"Open the case (sign-in needed): {base}/concerns/{concern_id}", "",
             "Details are only in the app. Please do not forward this email."]
    return subject, "\n".join(line for line in lines if line is not None)


def queue_new_concern_emails(db, concern_id, category_key, urgent, flagged, about_head=False):
    """Queue the emails in the concern's own transaction, so they are sent if and only if it is kept."""
    to = recipients(db, flagged, about_head)
    if to:
        subject, body = message(concern_id, category_key, urgent, flagged, about_head)
        send_mail(to, subject, body, db=db)

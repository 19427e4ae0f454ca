"""Emails about the policy: review falling due (once per person and state) and acknowledging it."""
import sqlite3
from datetime import date

import click
from flask import current_app, request
from flask.cli import with_appcontext
from flask_login import current_user

from ..db import connect, get_db
from ..mail import mail_configured, send_mail
from . import store, terms
from .policy import review_state

REVIEW_SUBJECTS = {
    "due_soon": "The mobile technology policy is due for review soon",
    "overdue": "The mobile technology policy is overdue for review",
}


def _policy_link():
    return current_app.config["BASE_URL"].rstrip("/") + "/policy"


def _review_body(version, state):
    due = date.fromisoformat(version["next_review_on"]).strftime("%-d %B %Y")
    when = f"was due on {due}" if state == "overdue" else f"is due by {due}"
    return (f"The review of the school's mobile technology and social media policy {when}.\n\n"
            "The policy says it is reviewed at least once a year (clause 4.1). Once the governing body "
            "has agreed the reviewed version, an administrator adds it to the app and a governor "
            f"records its ratification.\n\nSee the policy and its dates: {_policy_link()}\n\n"
            f"{current_app.config['SCHOOL_NAME']}")


def send_review_reminders(db, day):
    """Email each head, admin and governor once about a review falling due; return how many were sent."""
    version = store.newest_version(db)
    state = review_state(version, day)
    if state is None or not mail_configured():
        return 0
    if not store.review_reminders_pending(db, version["id"], state):
        return 0
    sent = 0
    for person in store.review_people(db):
        with db.atomic():  # the once-only mark and the queued email commit together
            if store.claim_review_reminder(db, version["id"], person["id"], state):
                send_mail(person["email"], REVIEW_SUBJECTS[state], _review_body(version, state), db=db)
                sent += 1
    return sent


def remind_on_page_load():
    """Send any review reminder that is due when a head, admin or governor opens a page."""
    if request.endpoint in (None, "static") or request.path.startswith("/api/"):
        return
    if current_user.is_authenticated and current_user.has_role(*store.REVIEW_ROLES):
        try:
            send_review_reminders(get_db(), terms.today())
        except sqlite3.Error:  # a reminder must never stop the page it rode on
            current_app.logger.exception("Could not check the policy's review reminders")


def remind_to_acknowledge(db, version, people, sent_by):
    """Email each person asking them to read and acknowledge the version; return how many were sent."""
    subject = "Please read and acknowledge the mobile technology policy"
    sent = 0
    for person in people:
        body = (f"Dear {person['name']},\n\nA version of the school's mobile technology and social media "
                f"policy is in force that you have not yet acknowledged (it took effect on "
                f"{date.fromisoformat(version['effective_on']).strftime('%-d %B %Y')}).\n\n"
                f"Please read it and confirm you have: {_policy_link()}\n\n"
                f"{current_app.config['SCHOOL_NAME']}")
        with db.atomic():
            if send_mail(person["email"], subject, body, db=db):
                store.record_acknowledgement_reminder(db, version["id"], person["id"], sent_by)
                sent += 1
    return sent


@click.command("send-policy-reminders")
@with_appcontext
def send_policy_reminders_command():
    """Email heads, admins and governors when the policy's review is due (safe to run daily)."""
    db = connect(current_app.config["DATABASE"])
    sent = send_review_reminders(db, terms.today())
    note = "" if mail_configured() else " (no SMTP_HOST is set, so no email can be sent)"
    click.echo(f"{sent} policy review reminder(s) queued for the mail sender{note}.")
    db.conn.close()


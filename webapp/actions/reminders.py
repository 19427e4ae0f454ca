"""`flask send-action-reminders` (daily, from cron): each owner once when an action falls due, the
DSLs once when it is overdue. The emails name no one and say nothing of the case: only a link."""
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from ..auth.store import get_user, users_with_role
from ..clock import iso, utcnow
from ..concerns import visibility
from ..db import connect
from ..mail import mail_configured, send_mail
from . import due, store

SUBJECTS = {"due": "You have an action due", "overdue": "An action on a concern is overdue"}


def _day(text):
    return date.fromisoformat(text).strftime("%-d %B %Y")


def _base():
    return current_app.config["BASE_URL"].rstrip("/")


def message(action, moment):
    """Write a reminder: the due date, the concern's number and a link; never names or narrative."""
    if moment == "due":
        lines = [f"An action given to you on concern {action['concern_id']} is due on {_day(action['due_on'])}.",
                 "", f"See your actions (sign-in needed): {_base()}/actions"]
    else:
        lines = [f"An action on concern {action['concern_id']} was due on {_day(action['due_on'])} "
                 "and is not marked done.",
                 "", f"Open the case (sign-in needed): {_base()}/concerns/{action['concern_id']}"]
    lines += ["", "Details are only in the app. Please do not forward this email.", "",
              current_app.config["SCHOOL_NAME"]]
    return "\n".join(lines)


def send_action_reminders(db, day):
    """Queue the reminders due on `day`; return (to owners, to the DSLs) counts queued."""
    if not mail_configured():
        return 0, 0
    dsls = users_with_role(db, "dsl")
    owners = overdue = 0
    now = iso(utcnow())
    for action in store.open_actions(db):
        moment = due.state(action, day)
        if moment == "later":
            continue
        owner = get_user(db, action["assignee_id"]) if action["assignee_id"] else None
        with db.atomic():  # the once-only mark and the queued email commit together
            if (owner and owner["active"] and not visibility.is_subject(db, owner["id"], action["concern_id"])
                    and store.claim_reminder(db, action["id"], "due", now)):
                send_mail(owner["email"], SUBJECTS["due"], message(action, "due"), db=db)
                owners += 1
        told = [p["email"] for p in visibility.who_may_see(db, action["concern_id"], dsls)]
        if moment == "overdue" and told:
            with db.atomic():
                if store.claim_reminder(db, action["id"], "overdue", now):
                    send_mail(told, SUBJECTS["overdue"], message(action, "overdue"), db=db)
                    overdue += 1
    return owners, overdue


@click.command("send-action-reminders")
@with_appcontext
def send_action_reminders_command():
    """Email each action's owner once when it falls due, and the DSLs once when it is overdue (daily)."""
    db = connect(current_app.config["DATABASE"])
    try:
        owners, overdue = send_action_reminders(db, due.today())
    finally:
        db.conn.close()
    note = "" if mail_configured() else " (no SMTP_HOST is set, so no email can be sent)"
    click.echo(f"{owners} reminder(s) to owners and {overdue} overdue notice(s) to the DSLs queued "
               f"for the mail sender{note}.")

"""Tell the people a concern goes to when a school phone's credit for it is in doubt: never any names."""
from flask import current_app

from ..concerns import notify as concern_notify
from ..concerns import store as concern_store
from ..mail import send_mail


def _tell(db, concern_id, subject, first_line):
    concern = concern_store.get_concern(db, concern_id)
    to = concern_notify.recipients(db, bool(concern["flagged_for_head"]), bool(concern["about_head"]))
    base = current_app.config["BASE_URL"].rstrip("/")
    body = "\n".join([first_line, "", f"Open the case (sign-in needed): {base}/concerns/{concern_id}", "",
                      "Details are only in the app. Please do not forward this email."])
    if to:
        send_mail(to, subject, body, db=db)


def queue_unknown_person_email(db, concern_id, asset_tag):
    """Say that a concern logged on a school phone names nobody on the staff list."""
    _tell(db, concern_id, f"Concern {concern_id}: logged on a school phone by someone not on the staff list",
          f"Concern {concern_id} was logged on school phone {asset_tag} by someone who gave a name that is not "
          "on the school's staff list. Nobody can be asked to confirm it: find out who logged it.")


def queue_denied_email(db, concern_id, asset_tag):
    """Say that the person a school phone credited with a concern says they did not log it."""
    _tell(db, concern_id, f"Concern {concern_id}: the person named says they did not log it",
          f"Concern {concern_id} was logged on school phone {asset_tag} in the name of a member of staff, who "
          "says it was not them. The concern is kept as it was: find out who logged it.")

"""What the banner at the top of each page says about the policy, for the person signed in."""
import sqlite3

from flask import g, request
from flask_login import current_user

from ..db import get_db
from . import store, terms
from .policy import review_state


def policy_notice():
    """Return {'review': (state, version)} and/or {'acknowledge': version} for this person, or {}."""
    try:
        return _notice()
    except sqlite3.Error:
        return {}  # an error page must still render when the database is what failed


def _notice():
    # Pages kept on a phone for offline use (g.offline_shell) carry nothing about a person.
    if (not current_user.is_authenticated or g.get("offline_shell")
            or request.endpoint == "governance.policy"):
        return {}
    db, day, notice = get_db(), terms.today(), {}
    if current_user.has_role(*store.REVIEW_ROLES):
        newest = store.newest_version(db)
        state = review_state(newest, day)
        if state:
            notice["review"] = (state, newest)
    if current_user.has_role("staff"):
        in_force = store.version_in_force(db, day)
        if in_force and not store.acknowledged_at(db, in_force["id"], current_user.id):
            notice["acknowledge"] = in_force
    return notice

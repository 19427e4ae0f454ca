"""Rate limits on signing in that slow guessing without locking the real person out for long."""
from datetime import timedelta

from flask import current_app

from . import store


def login_blocked(db, email, address):
    """Return True when recent failures for this email and/or address exceed a limit.

    The tight limit applies to one email from one address, so a stranger elsewhere
    cannot lock the owner out; the looser per-email limit stops distributed guessing,
    and lifts by itself once the window slides past the failures.
    """
    cfg = current_app.config
    window = timedelta(minutes=int(cfg["LOGIN_WINDOW_MINUTES"]))
    checks = [
        (dict(email=email, address=address), cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS"]),
        (dict(email=email), cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"]),
        (dict(address=address), cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
    ]
    return any(store.recent_failures(db, window, **by) >= int(limit) for by, limit in checks)


def code_blocked(db, user_id):
    """Return True when too many wrong second-factor codes were given for this account lately."""
    cfg = current_app.config
    window = timedelta(minutes=int(cfg["LOGIN_WINDOW_MINUTES"]))
    return store.recent_code_failures(db, user_id, window) >= int(cfg["TWO_FACTOR_MAX_FAILURES"])

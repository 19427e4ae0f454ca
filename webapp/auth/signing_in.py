"""Starting a signed-in session: the one place both sign-in routes go through."""
from flask import current_app, g, session
from flask_login import login_user
from flask_wtf.csrf import generate_csrf

from .. import audit
from . import second_factor, store
from .roles import User, client_address


def start_signed_in_session(db, user, second_step=None):
    """Replace this browser's session with a new signed-in one for `user` (a users row), recorded.

    `second_step` says in words what proved it was them besides the password (a passkey, an
    authenticator code, a recovery code), for the audit log; None when no second step was asked.

    The session counts as a full sign-in unless the person must still set up a second factor (one
    who has it reaches this only after giving a code).

    The new session's CSRF secret is fixed here, in the sign-in answer itself. The form that was
    just checked already made a token for the old session and Flask-WTF keeps it on `g` for the
    rest of the request, so that cached token is dropped first; otherwise the new session would
    have no secret, and the pages and worker requests that follow at once would each make their
    own, overwrite each other's cookie, and leave the page holding a token that no longer matches.
    """
    session.clear()
    verified = second_factor.has_it(user) or not second_factor.required_of(user)
    with db.atomic():
        token = store.start_session(db, user["id"], client_address(), verified=verified)
        audit.record(db, user["id"], "sign_in", f"user:{user['id']}",
                     {"second_step": second_step} if second_step else None)
    login_user(User(user, token))
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    generate_csrf()
    return token

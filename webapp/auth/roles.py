"""Who may do what: the signed-in person and the role guards stacked under routes."""
from functools import wraps

from flask import abort, request
from flask_login import UserMixin, current_user, login_required

ROLE_LABELS = {
    "staff": "Staff",
    "dsl": "Designated Safeguarding Lead",
    "head": "Headteacher",
    "governor": "Safeguarding governor",
    "admin": "Administrator",
    "chair": "Chair of governors",
}
# Roles whose holders may also do everything a lesser role may (DESIGN.md section 1).
IMPLIED = {"head": {"dsl", "staff"}, "dsl": {"staff"}}


def has_role(person, *roles):
    """Say whether a person holds one of the roles: the only place the head-implies-dsl-and-staff rule lives.

    `person` is anything with roles: a user row (a dict with "roles"), a sync Person or a User.
    """
    held = set(person["roles"] if isinstance(person, dict) else person.roles)
    for role in list(held):
        held |= IMPLIED.get(role, set())
    return bool(held & set(roles))


class User(UserMixin):
    """A signed-in person; their flask-login id is the secret session token."""

    def __init__(self, row, token, verified_at=None, needs_second_factor=False):
        self.id = row["id"]
        self.email = row["email"]
        self.name = row["name"]
        self.roles = list(row["roles"])
        self.token = token
        # When this session's sign-in was complete (None: its second factor is still to be set up).
        self.verified_at = verified_at
        self.needs_second_factor = needs_second_factor
        self.must_change_password = bool(row.get("must_change_password"))

    def signed_in_within(self, window):
        """Say whether this session's full sign-in (password and any second factor) is this recent."""
        from ..clock import utcnow
        return self.verified_at is not None and utcnow() - self.verified_at <= window

    def get_id(self):
        return self.token

    def has_role(self, *roles):
        """Say whether this person holds one of the roles (see has_role)."""
        return has_role(self, *roles)


def role_required(*roles):
    """Let through only signed-in people holding one of the roles (403 otherwise)."""
    def decorator(view):
        @login_required
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)
        guarded.required_roles = roles
        return guarded
    return decorator


def client_address():
    return request.remote_addr or "unknown"

"""Device cookies (OWASP): a browser that signed in to an account is recognised, so limits that
strangers' failures set off never lock the owner out on their own phone or computer.

The cookie is signed with the app's secret and names the accounts fully signed in from this browser,
each with a random nonce; it is sent only to the sign-in pages.
"""
import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "device"
PATH = "/login"
MOST_ACCOUNTS = 10  # a shared office computer: the last few people who signed in on it


def _serializer():
    return URLSafeTimedSerializer(current_app.secret_key, salt="device-cookie")


def _max_age():
    return int(current_app.config["DEVICE_COOKIE_DAYS"]) * 86400


def _entries():
    raw = request.cookies.get(COOKIE)
    if not raw:
        return []
    try:
        entries = _serializer().loads(raw, max_age=_max_age())
    except BadSignature:  # also an expired one
        return []
    if not isinstance(entries, list):
        return []
    return [e for e in entries if isinstance(e, list) and len(e) == 2 and isinstance(e[0], int)]


def recognised(user_id):
    """Say whether this browser holds a valid device cookie for this account."""
    return any(entry[0] == user_id for entry in _entries())


def remember(response, user_id):
    """Give this browser a device cookie for the account that just signed in fully."""
    entries = [e for e in _entries() if e[0] != user_id][-(MOST_ACCOUNTS - 1):]
    entries.append([user_id, secrets.token_urlsafe(12)])
    secure = bool(current_app.config["SESSION_COOKIE_SECURE"]) or request.is_secure
    response.set_cookie(COOKIE, _serializer().dumps(entries), max_age=_max_age(), path=PATH,
                        secure=secure, httponly=True, samesite="Lax")
    return response

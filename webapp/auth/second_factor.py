"""The second factor: who needs one, authenticator-app codes (RFC 6238) and one-time recovery codes."""
import hmac
import secrets
import pyotp
import segno
from flask import current_app

from ..clock import utcnow
from . import passkey_store, store
from .passwords import hash_password, verify_password
from .roles import ROLE_LABELS

RECOVERY_CODES = 10
# Letters and digits that cannot be mistaken for each other when read off paper.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


YES, NO, AUTO = ("1", "true", "yes", "on"), ("0", "false", "no", "off"), ("auto", "")


class BadTwoFactorSetting(RuntimeError):
    """TWO_FACTOR_REQUIRED or TWO_FACTOR_ROLES holds something that cannot be read."""


def _required_setting(config):
    """Return True, False or "auto" from TWO_FACTOR_REQUIRED; refuse anything else."""
    setting = config["TWO_FACTOR_REQUIRED"]
    if isinstance(setting, bool):
        return setting
    word = str(setting).strip().lower()
    for answer, words in ((True, YES), (False, NO), ("auto", AUTO)):
        if word in words:
            return answer
    raise BadTwoFactorSetting(f"TWO_FACTOR_REQUIRED is {setting!r}: set it to true, false or auto.")


def _roles_setting(config):
    setting = config["TWO_FACTOR_ROLES"]
    if isinstance(setting, str):
        setting = setting.split(",")
    roles = {str(role).strip() for role in setting if str(role).strip()}
    unknown = sorted(roles - set(ROLE_LABELS))
    if unknown:
        raise BadTwoFactorSetting(f"TWO_FACTOR_ROLES names {', '.join(unknown)}, which is not a role: "
                                  f"the roles are {', '.join(ROLE_LABELS)}.")
    return roles


def check_settings(config):
    """Stop the start on a two-factor setting that cannot be read, rather than quietly not asking for codes."""
    _required_setting(config)
    _roles_setting(config)


def enforced():
    """Say whether this installation requires a second factor of the roles that need one."""
    setting = _required_setting(current_app.config)
    if setting == "auto":
        from ..installation import store as installation_store
        from ..db import get_db
        return installation_store.kind(get_db()) == "school"
    return setting


def roles_needing_it():
    return _roles_setting(current_app.config)


def has_it(user):
    """Say whether a person has a confirmed authenticator app."""
    return bool(user["totp_secret"])


def asks_second_step(user):
    """Say whether signing in asks this person for a second step: an authenticator code or a passkey."""
    from ..db import get_db
    return has_it(user) or passkey_store.has_any(get_db(), user["id"])


def required_of(user):
    """Say whether this person must have a second factor before reaching anything."""
    return enforced() and bool(set(user["roles"]) & roles_needing_it())


def new_secret():
    return pyotp.random_base32()


def qr_svg(secret, email):
    """Draw the authenticator app's set-up link as an inline SVG QR code."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=current_app.config["SCHOOL_NAME"])
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, title="QR code for your authenticator app")


def matching_step(secret, code, now=None):
    """Return the 30-second step a 6-digit code is valid for (now, or one step either side), or None."""
    totp, now = pyotp.TOTP(secret), now or utcnow()
    for offset in (0, -1, 1):
        if hmac.compare_digest(totp.at(now, counter_offset=offset), code):
            return totp.timecode(now) + offset
    return None


def normalise(code):
    """Return a typed code without the spaces and dashes people add, in lower case."""
    return "".join(c for c in (code or "") if c not in " -\t").lower()


def is_totp_shaped(code):
    return len(code) == 6 and code.isdigit()


def check_code(db, user, typed):
    """Accept a current authenticator code (once) or an unused recovery code; return what matched or None."""
    code = normalise(typed)
    if is_totp_shaped(code):
        step = matching_step(user["totp_secret"], code) if user["totp_secret"] else None
        if step is not None and store.spend_step(db, user["id"], step):
            return "totp"
        return None
    for row in store.unused_recovery_codes(db, user["id"]):
        if verify_password(row["code_hash"], code) and store.spend_recovery_code(db, row["id"]):
            return "recovery"
    return None


def new_recovery_codes(db, user_id):
    """Make ten recovery codes, keep only their hashes, and return the codes to show once."""
    codes = ["".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    store.replace_recovery_codes(db, user_id, [hash_password(c) for c in codes])
    return [f"{c[:5]}-{c[5:]}" for c in codes]


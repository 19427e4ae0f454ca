"""Password rules and hashing (argon2id), in one place."""
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
MAX_LENGTH = 128
# argon2id with the library's defaults (RFC 9106's low-memory profile: 64 MiB, 3 passes).
PRODUCTION_HASHER = PasswordHasher()
_hasher = PRODUCTION_HASHER
# Verifying against this keeps unknown-email sign-ins as slow as real ones.
_DUMMY_HASH = _hasher.hash("timing-equaliser-not-a-password")


@lru_cache(maxsize=1)
def common_passwords():
    path = Path(__file__).with_name("common-passwords.txt")
    return frozenset(line.strip().lower() for line in path.read_text().splitlines()
                     if line.strip() and not line.startswith("#"))


def password_problem(password, email="", name=""):
    """Return why a new password is unacceptable, or None if it is fine."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) < 3:
        return "That password is too common or easy to guess. Try a few unrelated words together."
    if email and lowered == email.lower() or name and lowered == name.lower():
        return "Do not use your name or email address as your password."
    return None


def hash_password(password):
    return _hasher.hash(password)


def verify_password(password_hash, password):
    """Return True when the password matches; checks a dummy hash when there is no user."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False

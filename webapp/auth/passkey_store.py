"""All SQL about passkeys and the challenges sent to a browser for them."""
import secrets
from datetime import timedelta

from ..clock import iso, utcnow

# A challenge is answered within this many minutes, once, or not at all.
CHALLENGE_MINUTES = 5
# A person keeps at most this many challenges of one purpose (a few tabs or retries); asking again and
# again replaces the oldest instead of growing the table.
OPEN_CHALLENGES = 5


def new_challenge(db, user_id, purpose):
    """Make, keep and return a fresh random challenge (bytes) for one ceremony of `user_id`."""
    challenge = secrets.token_bytes(32)
    now = utcnow()
    with db.atomic():
        db.execute("DELETE FROM passkey_challenges WHERE created_at < ?", [iso(now - timedelta(days=1))])
        db.execute("INSERT INTO passkey_challenges (challenge, user_id, purpose, created_at) VALUES (?, ?, ?, ?)",
                   [challenge.hex(), user_id, purpose, iso(now)])
        db.execute("DELETE FROM passkey_challenges WHERE user_id = ? AND purpose = ? AND rowid NOT IN "
                   "(SELECT rowid FROM passkey_challenges WHERE user_id = ? AND purpose = ? "
                   "ORDER BY rowid DESC LIMIT ?)", [user_id, purpose, user_id, purpose, OPEN_CHALLENGES])
    return challenge


def spend_challenge(db, user_id, purpose, challenge):
    """Mark a challenge of this person and purpose used; False if unknown, expired or used already."""
    now = utcnow()
    cursor = db.execute(
        "UPDATE passkey_challenges SET used_at = ? WHERE challenge = ? AND user_id = ? AND purpose = ? "
        "AND used_at IS NULL AND created_at >= ?",
        [iso(now), challenge.hex(), user_id, purpose, iso(now - timedelta(minutes=CHALLENGE_MINUTES))])
    return cursor.rowcount == 1


def passkeys_of(db, user_id):
    return list(db.query("SELECT id, credential_id, name, transports, created_at, last_used_at FROM passkeys "
                         "WHERE user_id = ? ORDER BY created_at, id", [user_id]))


def has_any(db, user_id):
    return bool(list(db.query("SELECT 1 FROM passkeys WHERE user_id = ? LIMIT 1", [user_id])))


def by_credential_id(db, credential_id):
    rows = list(db.query("SELECT * FROM passkeys WHERE credential_id = ?", [credential_id]))
    return rows[0] if rows else None


def get(db, passkey_id):
    rows = list(db.query("SELECT * FROM passkeys WHERE id = ?", [passkey_id]))
    return rows[0] if rows else None


def add(db, user_id, credential_id, public_key, sign_count, name, transports):
    cursor = db.execute(
        "INSERT INTO passkeys (user_id, credential_id, public_key, sign_count, name, transports, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [user_id, credential_id, public_key, sign_count, name, " ".join(transports), iso(utcnow())])
    return cursor.lastrowid


def record_use(db, passkey_id, old_count, new_count):
    """Move the counter on from the value just checked; False if another sign-in moved it first."""
    cursor = db.execute("UPDATE passkeys SET sign_count = ?, last_used_at = ? WHERE id = ? AND sign_count = ?",
                        [new_count, iso(utcnow()), passkey_id, old_count])
    return cursor.rowcount == 1


def remove(db, passkey_id):
    db.execute("DELETE FROM passkeys WHERE id = ?", [passkey_id])

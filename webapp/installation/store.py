"""All SQL about the installation's marker and set-up links."""
import hashlib
import secrets
from datetime import timedelta

from ..clock import iso, utcnow

LINK_HOURS = 24


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def kind(db):
    """Return 'demo', 'school', or None before the first start."""
    row = db.execute("SELECT kind FROM installation WHERE id = 1").fetchone()
    return row[0] if row else None


def mark(db, chosen):
    """Record once what this installation is; return what it is (an earlier mark wins)."""
    db.execute("INSERT OR IGNORE INTO installation (id, kind, started_at) VALUES (1, ?, ?)", [chosen, iso(utcnow())])
    return kind(db)


def new_link(db):
    """Make a set-up link token valid for 24 hours, ending any earlier unused one; return the token."""
    token, now = secrets.token_urlsafe(32), utcnow()
    with db.atomic():
        db.execute("UPDATE setup_links SET expires_at = ? WHERE used_at IS NULL AND expires_at > ?",
                   [iso(now), iso(now)])
        db.execute("INSERT INTO setup_links (token_sha256, created_at, expires_at) VALUES (?, ?, ?)",
                   [_hash(token), iso(now), iso(now + timedelta(hours=LINK_HOURS))])
    return token


def link_state(db, token):
    """Say whether a set-up link is 'valid', 'used', 'expired' or 'unknown'."""
    row = db.execute("SELECT used_at, expires_at FROM setup_links WHERE token_sha256 = ?", [_hash(token)]).fetchone()
    if row is None:
        return "unknown"
    if row[0]:
        return "used"
    return "valid" if row[1] > iso(utcnow()) else "expired"


def use_link(db, token, user_id):
    """Spend a valid link for the new admin inside the caller's transaction; return True if it was valid."""
    now = iso(utcnow())
    cursor = db.execute("UPDATE setup_links SET used_at = ?, used_by = ? WHERE token_sha256 = ? "
                        "AND used_at IS NULL AND expires_at > ?", [now, user_id, _hash(token), now])
    return cursor.rowcount == 1

"""All SQL about people, roles, sessions and sign-in attempts."""
import hashlib
import secrets
from datetime import timedelta

from ..clock import iso, parse_iso, utcnow
from .passwords import hash_password

ROLES = ("staff", "dsl", "head", "governor", "admin", "chair")


def _token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(db, email, name, password, roles):
    """Insert a person with their roles; return the new id."""
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO users (email, name, password_hash, active, created_at) VALUES (?, ?, ?, 1, ?)",
            [email.strip().lower(), name.strip(), hash_password(password), iso(utcnow())])
        user_id = cursor.lastrowid
        set_roles(db, user_id, roles)
    return user_id


def set_roles(db, user_id, roles):
    with db.atomic():
        db.execute("DELETE FROM user_roles WHERE user_id = ?", [user_id])
        for role in sorted(set(roles)):
            db.execute("INSERT INTO user_roles (user_id, role) VALUES (?, ?)", [user_id, role])


def _with_roles(db, rows):
    rows = [dict(r) for r in rows]
    if not rows:
        return rows
    ids = [r["id"] for r in rows]
    marks = ",".join("?" * len(ids))
    roles = {}
    for r in db.query(f"SELECT user_id, role FROM user_roles WHERE user_id IN ({marks})", ids):
        roles.setdefault(r["user_id"], []).append(r["role"])
    for r in rows:
        r["roles"] = sorted(roles.get(r["id"], []), key=ROLES.index)
    return rows


def get_user(db, user_id):
    rows = _with_roles(db, db.query("SELECT * FROM users WHERE id = ?", [user_id]))
    return rows[0] if rows else None


def get_user_by_email(db, email):
    rows = _with_roles(db, db.query("SELECT * FROM users WHERE email = ?", [email.strip().lower()]))
    return rows[0] if rows else None


def list_users(db):
    return _with_roles(db, db.query("SELECT * FROM users ORDER BY active DESC, name"))


def users_with_role(db, role):
    """Return active people holding a role (for notifications)."""
    return _with_roles(db, db.query(
        "SELECT u.* FROM users u JOIN user_roles r ON r.user_id = u.id "
        "WHERE r.role = ? AND u.active = 1 ORDER BY u.name", [role]))


def update_user(db, user_id, name, roles):
    with db.atomic():
        db.execute("UPDATE users SET name = ? WHERE id = ?", [name.strip(), user_id])
        set_roles(db, user_id, roles)


def set_password(db, user_id, password, temporary=False):
    """Set a password; a temporary one (set by an admin) must be changed at the next sign-in."""
    db.execute("UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?",
               [hash_password(password), int(temporary), user_id])


# --- the second factor -------------------------------------------------------------------------

def set_pending_secret(db, user_id, secret):
    db.execute("UPDATE users SET totp_pending_secret = ? WHERE id = ?", [secret, user_id])


def confirm_secret(db, user_id, secret, step):
    """Make the pending secret the person's own, with the step of the code that confirmed it."""
    db.execute("UPDATE users SET totp_secret = ?, totp_pending_secret = NULL, totp_last_step = ?, "
               "totp_confirmed_at = ? WHERE id = ?", [secret, step, iso(utcnow()), user_id])


def spend_step(db, user_id, step):
    """Record a code's time-step as used; return False if it (or a later one) was used already."""
    cursor = db.execute("UPDATE users SET totp_last_step = ? WHERE id = ? "
                        "AND (totp_last_step IS NULL OR totp_last_step < ?)", [step, user_id, step])
    return cursor.rowcount == 1


def clear_second_factor(db, user_id):
    with db.atomic():
        db.execute("UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_last_step = NULL, "
                   "totp_confirmed_at = NULL WHERE id = ?", [user_id])
        db.execute("DELETE FROM recovery_codes WHERE user_id = ?", [user_id])
        db.execute("DELETE FROM passkeys WHERE user_id = ?", [user_id])


def replace_recovery_codes(db, user_id, hashes):
    with db.atomic():
        db.execute("DELETE FROM recovery_codes WHERE user_id = ?", [user_id])
        now = iso(utcnow())
        for code_hash in hashes:
            db.execute("INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)",
                       [user_id, code_hash, now])


def unused_recovery_codes(db, user_id):
    return list(db.query("SELECT id, code_hash FROM recovery_codes WHERE user_id = ? AND used_at IS NULL",
                         [user_id]))


def spend_recovery_code(db, code_id):
    cursor = db.execute("UPDATE recovery_codes SET used_at = ? WHERE id = ? AND used_at IS NULL",
                        [iso(utcnow()), code_id])
    return cursor.rowcount == 1


def record_code_attempt(db, user_id, address, outcome):
    db.execute("INSERT INTO code_attempts (at, user_id, address, outcome) VALUES (?, ?, ?, ?)",
               [iso(utcnow()), user_id, address, outcome])


def recent_code_failures(db, user_id, window):
    return db.execute("SELECT count(*) FROM code_attempts WHERE user_id = ? AND outcome = 'failure' "
                      "AND at >= ?", [user_id, iso(utcnow() - window)]).fetchone()[0]


# --- password-reset links ----------------------------------------------------------------------

def new_reset_link(db, user_id, minutes):
    """Make a single-use reset token for a person, ending their earlier unused ones; return it."""
    token, now = secrets.token_urlsafe(32), utcnow()
    with db.atomic():
        db.execute("UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL",
                   [iso(now), user_id])
        db.execute("INSERT INTO password_resets (token_sha256, user_id, created_at, expires_at) "
                   "VALUES (?, ?, ?, ?)", [_token_hash(token), user_id, iso(now),
                                           iso(now + timedelta(minutes=minutes))])
    return token


def recent_reset_links(db, user_id, minutes):
    since = iso(utcnow() - timedelta(minutes=minutes))
    return db.execute("SELECT count(*) FROM password_resets WHERE user_id = ? AND created_at >= ?",
                      [user_id, since]).fetchone()[0]


def reset_link_user(db, token):
    """Return the person id a reset token is for while it is unused and in time, else None."""
    row = db.execute("SELECT user_id FROM password_resets WHERE token_sha256 = ? AND used_at IS NULL "
                     "AND expires_at > ?", [_token_hash(token), iso(utcnow())]).fetchone()
    return row[0] if row else None


def spend_reset_link(db, token):
    cursor = db.execute("UPDATE password_resets SET used_at = ? WHERE token_sha256 = ? AND used_at IS NULL "
                        "AND expires_at > ?", [iso(utcnow()), _token_hash(token), iso(utcnow())])
    return cursor.rowcount == 1


def set_active(db, user_id, active):
    """Activate or deactivate a person; deactivating ends all their sessions at once."""
    with db.atomic():
        db.execute("UPDATE users SET active = ? WHERE id = ?", [int(active), user_id])
        if not active:
            end_sessions_of(db, user_id, "deactivated")


def start_session(db, user_id, address, verified=True):
    """Create a server-side session; return its secret token (only its hash is stored).

    `verified` says the sign-in is complete (password and, where needed, a second factor); a
    session that still has to set up its second factor is not, until `mark_verified`.
    """
    token = secrets.token_urlsafe(32)
    now = iso(utcnow())
    db.execute("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, address, verified_at) "
               "VALUES (?, ?, ?, ?, ?, ?)", [_token_hash(token), user_id, now, now, address,
                                             now if verified else None])
    return token


def mark_verified(db, token):
    """Record that this session's sign-in is now complete (its second factor was just given)."""
    db.execute("UPDATE sessions SET verified_at = ? WHERE token_hash = ? AND ended_at IS NULL",
               [iso(utcnow()), _token_hash(token)])


def end_other_sessions(db, user_id, token, why):
    """End every live session of a person except this one."""
    db.execute("UPDATE sessions SET ended_at = ?, ended_why = ? WHERE user_id = ? AND ended_at IS NULL "
               "AND token_hash != ?", [iso(utcnow()), why, user_id, _token_hash(token or "")])


def live_session(db, token, idle, absolute):
    """Return the session row for a token if it is still live, ending it if it has expired."""
    rows = list(db.query("SELECT * FROM sessions WHERE token_hash = ? AND ended_at IS NULL",
                         [_token_hash(token)]))
    if not rows:
        return None
    row, now = rows[0], utcnow()
    if now - parse_iso(row["last_seen_at"]) > idle:
        end_session(db, token, "idle")
        return None
    if now - parse_iso(row["created_at"]) > absolute:
        end_session(db, token, "absolute")
        return None
    if now - parse_iso(row["last_seen_at"]) > timedelta(seconds=30):
        db.execute("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?",
                   [iso(now), row["token_hash"]])
    return row


def end_session(db, token, why):
    db.execute("UPDATE sessions SET ended_at = ?, ended_why = ? WHERE token_hash = ? AND ended_at IS NULL",
               [iso(utcnow()), why, _token_hash(token)])


def end_sessions_of(db, user_id, why):
    db.execute("UPDATE sessions SET ended_at = ?, ended_why = ? WHERE user_id = ? AND ended_at IS NULL",
               [iso(utcnow()), why, user_id])


def record_attempt(db, email, address, user_id, outcome):
    db.execute("INSERT INTO login_attempts (at, email, address, user_id, outcome) VALUES (?, ?, ?, ?, ?)",
               [iso(utcnow()), email.strip().lower()[:320], address, user_id, outcome])


def recent_failures(db, window, email=None, address=None):
    """Count failed sign-ins in the window, by email, by address, or by both."""
    where, params = ["outcome = 'failure'", "at >= ?"], [iso(utcnow() - window)]
    if email is not None:
        where.append("email = ?")
        params.append(email.strip().lower())
    if address is not None:
        where.append("address = ?")
        params.append(address)
    sql = f"SELECT count(*) FROM login_attempts WHERE {' AND '.join(where)}"
    return db.execute(sql, params).fetchone()[0]

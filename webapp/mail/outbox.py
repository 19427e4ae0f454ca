"""All SQL of the mail outbox: queue an email with its cause, claim it, record how sending went."""
import secrets
from datetime import timedelta

from flask import current_app

from ..clock import iso, parse_iso, utcnow

# A message that has failed this many times is shown to admins as failing (it is still retried).
FAILING_AFTER = 3


def mail_configured():
    """Say whether a mail server is set (without one no email is queued or sent)."""
    return bool(current_app.config.get("SMTP_HOST"))


def new_message_id():
    """Make the Message-ID that marks one email, so a resend of it is recognisably the same email."""
    domain = str(current_app.config.get("MAIL_FROM") or "").rpartition("@")[2] or "school.invalid"
    return f"<{secrets.token_hex(16)}@{domain}>"


def send_mail(to, subject, body, db=None):
    """Queue one plain-text email per recipient in the caller's transaction; return True if queued.

    The email is written to the outbox on the same connection as what caused it, so it commits
    (or rolls back) with it; `flask send-mail` sends it. Returns False when no mail server is set.
    """
    recipients = [to] if isinstance(to, str) else sorted(set(to))
    if not recipients or not mail_configured():
        return False
    if db is None:
        from ..db import get_db
        db = get_db()
    now = iso(utcnow())
    with db.atomic():
        for address in recipients:
            db.execute("INSERT INTO mail_outbox (message_id, recipient, subject, body, queued_at, "
                       "next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)",
                       [new_message_id(), address, subject, body, now, now])
    return True


def due(db, now, limit=50):
    """Return the waiting emails whose next attempt is due, oldest first."""
    return list(db.query("SELECT * FROM mail_outbox WHERE state = 'waiting' AND next_attempt_at <= ? "
                         "ORDER BY next_attempt_at, id LIMIT ?", [iso(now), limit]))


def claim(db, message_id, now):
    """Mark one email as being sent (committed before any byte goes out); return False if taken."""
    cursor = db.execute("UPDATE mail_outbox SET state = 'sending', attempts = attempts + 1, "
                        "last_attempt_at = ? WHERE id = ? AND state = 'waiting'", [iso(now), message_id])
    db.commit()
    return cursor.rowcount == 1


def mark_sent(db, message_id, now):
    db.execute("UPDATE mail_outbox SET state = 'sent', sent_at = ?, last_error = NULL WHERE id = ?",
               [iso(now), message_id])
    db.commit()


def retry_delay(attempts):
    """Return how long to wait after the given number of failed attempts (doubling, capped)."""
    cfg = current_app.config
    base, cap = float(cfg["MAIL_RETRY_SECONDS"]), float(cfg["MAIL_RETRY_MAX_SECONDS"])
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def mark_failed(db, row, error, now):
    """Put a claimed email back to wait, with the error and the time of its next attempt."""
    attempts = db.execute("SELECT attempts FROM mail_outbox WHERE id = ?", [row["id"]]).fetchone()[0]
    db.execute("UPDATE mail_outbox SET state = 'waiting', last_error = ?, next_attempt_at = ? "
               "WHERE id = ? AND state = 'sending'",
               [str(error)[:500] or error.__class__.__name__, iso(now + retry_delay(attempts)), row["id"]])
    db.commit()


def release_unfinished(db):
    """Put back emails a stopped sender left half-sent; return how many (called under the sender's lock)."""
    cursor = db.execute("UPDATE mail_outbox SET state = 'waiting' WHERE state = 'sending'")
    db.commit()
    return cursor.rowcount


def note_pass(db, now):
    """Record that the sender ran, at most once a minute (the admin page shows it)."""
    row = db.execute("SELECT last_pass_at FROM mail_sender WHERE id = 1").fetchone()
    if row and now - parse_iso(row[0]) < timedelta(minutes=1):
        return
    db.execute("INSERT INTO mail_sender (id, last_pass_at) VALUES (1, ?) "
               "ON CONFLICT (id) DO UPDATE SET last_pass_at = excluded.last_pass_at", [iso(now)])
    db.commit()


def last_pass(db):
    row = db.execute("SELECT last_pass_at FROM mail_sender WHERE id = 1").fetchone()
    return row[0] if row else None


def counts(db, since):
    """Return how many emails wait, keep failing, and were sent since a time."""
    row = db.execute(
        "SELECT coalesce(sum(state IN ('waiting', 'sending')), 0), "
        "coalesce(sum(state IN ('waiting', 'sending') AND attempts >= ?), 0), "
        "coalesce(sum(state = 'sent' AND sent_at >= ?), 0), coalesce(sum(state = 'stopped'), 0) "
        "FROM mail_outbox", [FAILING_AFTER, iso(since)]).fetchone()
    return {"waiting": row[0], "failing": row[1], "sent": row[2], "stopped": row[3]}


def failing(db):
    """Return the emails not yet delivered that have failed at least once, most tries first."""
    return list(db.query("SELECT id, recipient, subject, queued_at, attempts, last_error, last_attempt_at, "
                         "next_attempt_at FROM mail_outbox WHERE state = 'waiting' AND attempts > 0 "
                         "ORDER BY attempts DESC, id"))


def try_now(db, message_id, now):
    """Make a waiting email due at once; return True if there was one."""
    cursor = db.execute("UPDATE mail_outbox SET next_attempt_at = ? WHERE id = ? AND state = 'waiting'",
                        [iso(now), message_id])
    return cursor.rowcount == 1


def stop(db, message_id, user_id):
    """Give up on a waiting email (an admin's decision, recorded with who made it)."""
    cursor = db.execute("UPDATE mail_outbox SET state = 'stopped', stopped_by = ? "
                        "WHERE id = ? AND state = 'waiting'", [user_id, message_id])
    return cursor.rowcount == 1

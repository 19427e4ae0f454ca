"""All SQL of the audit log: appending a chained entry, and reading entries and counts."""
from ..clock import iso, utcnow
from .chain import FIELDS, GENESIS, canonical_detail, entry_hash

# One statement reads the last entry and appends the next, so it does so under the write lock:
# two requests recording at once can never both chain onto the same entry.
_APPEND = f"""
    INSERT INTO audit_log (id, at, actor_id, action, subject, detail, prev_hash, hash)
    SELECT next.id, :at, :actor_id, :action, :subject, :detail, next.prev,
           audit_entry_hash(next.id, :at, :actor_id, :action, :subject, :detail, next.prev)
    FROM (SELECT coalesce(max(id), 0) + 1 AS id,
                 coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '{GENESIS}') AS prev
          FROM audit_log) AS next"""


def append(db, actor_id, action, subject, detail):
    """Append one entry to the chain (inside the caller's transaction, if any)."""
    db.conn.create_function("audit_entry_hash", 7, entry_hash, deterministic=True)
    db.execute(_APPEND, {"at": iso(utcnow()), "actor_id": actor_id, "action": action,
                         "subject": subject, "detail": canonical_detail(detail)})


def chained_rows(db, batch=1000):
    """Yield every entry in id order with the fields the chain covers, a batch at a time."""
    last = 0
    columns = ", ".join(FIELDS + ("hash",))
    while True:
        rows = list(db.query(f"SELECT {columns} FROM audit_log WHERE id > ? ORDER BY id LIMIT ?",
                             [last, batch]))
        yield from rows
        if len(rows) < batch:
            return
        last = rows[-1]["id"]


def newest(db, limit, before=None):
    """Return up to `limit` entries, newest first, older than id `before`, with actors' names."""
    return list(db.query(
        "SELECT a.*, u.name AS actor_name FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id "
        "WHERE a.id < ? ORDER BY a.id DESC LIMIT ?", [before or 2 ** 62, limit]))


def about(db, subject, limit=500):
    """Return the newest entries about one subject, with actors' names."""
    return list(db.query(
        "SELECT a.*, u.name AS actor_name FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id "
        "WHERE a.subject = ? ORDER BY a.id DESC LIMIT ?", [subject, limit]))


def monthly_counts(db, since):
    """Return how many entries of each action were written in each month since `since`."""
    return list(db.query(
        "SELECT substr(at, 1, 7) AS month, action, count(*) AS n FROM audit_log WHERE at >= ? "
        "GROUP BY month, action ORDER BY month DESC, action", [since]))


def head(db):
    """Return (count, hash of the last entry) of the log."""
    row = db.execute("SELECT count(*), (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) "
                     "FROM audit_log").fetchone()
    return row[0], row[1] or GENESIS

"""The change sequence a phone's pull cursor stands on: one row for each write to what a pull sends.

A domain's migration calls `track` for each table whose rows feed its pull source. SQLite triggers
then append `(subject, subject_id)` to `change_log` inside the writer's own transaction, where
`subject` names what a phone holds (`concern`, `device_request`, `declaration`...) and `subject_id`
is its id. `seq` is an AUTOINCREMENT rowid: it only grows, and is never handed out twice even after
rows are deleted. Each row also carries a random `mark`, so that a cursor names one row exactly and a
database restored from an older copy (whose `seq` values will be reused) does not honour it.

A pull source asks for its subjects with a row after the cursor (`after`); the caller reads the
newest row (`newest`) in the same read transaction as the sources. No clock is involved, and no
overlap is needed: SQLite has one writer at a time and a `seq` is taken inside the writer's
transaction, so writes commit in `seq` order; a reader's WAL snapshot therefore holds every row up
to the newest `seq` it sees and none after it. Whatever commits later has a larger `seq` and is
found by the next pull. A write that rolls back takes its `seq` with it, never seen by anyone.
"""

def create(db):
    """Create the change log if it is not there yet (the first domain to track a table makes it)."""
    db.execute("""
        CREATE TABLE IF NOT EXISTS change_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            subject TEXT NOT NULL,
            subject_id INTEGER NOT NULL,
            mark TEXT NOT NULL DEFAULT (lower(hex(randomblob(4))))
        )""")
    db.execute("CREATE INDEX IF NOT EXISTS change_log_subject ON change_log(subject, seq, subject_id)")


def track(db, table, subject, key, updates=()):
    """Log `subject` `NEW.<key>` on every insert into `table`, and on updates of the `updates` columns.

    `table`, `subject`, `key` and `updates` come from a migration's code, never from input.
    """
    create(db)
    db.execute(f"""
        CREATE TRIGGER IF NOT EXISTS {table}_logs_insert AFTER INSERT ON {table}
        BEGIN INSERT INTO change_log (subject, subject_id) VALUES ('{subject}', NEW.{key}); END""")
    if updates:
        db.execute(f"""
            CREATE TRIGGER IF NOT EXISTS {table}_logs_update AFTER UPDATE OF {', '.join(updates)} ON {table}
            BEGIN INSERT INTO change_log (subject, subject_id) VALUES ('{subject}', NEW.{key}); END""")


def track_deletes(db, table, subject, key):
    """Log `subject` `OLD.<key>` when a row of `table` is deleted, so a pull can say it is gone (see `gone`)."""
    create(db)
    db.execute(f"""
        CREATE TRIGGER IF NOT EXISTS {table}_logs_delete AFTER DELETE ON {table}
        BEGIN INSERT INTO change_log (subject, subject_id) VALUES ('{subject}', OLD.{key}); END""")


def gone(db, subject, table, key, since):
    """Return the ids of `subject` logged after the seq `since` that `table` no longer holds.

    `subject`, `table` and `key` come from code, never from input.
    """
    return [row[0] for row in db.execute(
        f"SELECT DISTINCT subject_id FROM change_log WHERE subject = ? AND seq > ? "
        f"AND subject_id NOT IN (SELECT {key} FROM {table}) ORDER BY subject_id", [subject, since])]


def newest(db):
    """Return (seq, mark) of the newest change, or None while nothing has been logged."""
    row = db.execute("SELECT seq, mark FROM change_log ORDER BY seq DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else None


def holds(db, seq, mark):
    """Say whether this log holds the change `seq` with this mark."""
    row = db.execute("SELECT mark FROM change_log WHERE seq = ?", [seq]).fetchone()
    return row is not None and row[0] == mark


def after(subject, column, since):
    """Return (SQL condition, params) keeping rows whose `column` names a `subject` changed after `since`.

    `since` is a seq (None: everything). `column` comes from code, never from input.
    """
    if since is None:
        return "1", []
    return (f"{column} IN (SELECT subject_id FROM change_log WHERE subject = ? AND seq > ?)",
            [subject, since])

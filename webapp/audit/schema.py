"""The audit log: one append-only table whose rows are chained by SHA-256."""
from sqlite_utils import Migrations

migrations = Migrations("audit")


@migrations()
def create_audit_log(db):
    # prev_hash and hash chain each entry to the one before it (see chain.py); the database
    # refuses every change, and an edit made behind its back shows in `flask verify-audit`.
    db.execute("""
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor_id INTEGER REFERENCES users(id),
            action TEXT NOT NULL,
            subject TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT '{}',
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE
        )""")
    db.execute("CREATE INDEX audit_log_subject ON audit_log(subject, id)")
    db.execute("CREATE INDEX audit_log_actor ON audit_log(actor_id, id)")
    for action in ("UPDATE", "DELETE"):
        db.execute(f"""
            CREATE TRIGGER audit_log_no_{action.lower()} BEFORE {action} ON audit_log
            BEGIN SELECT RAISE(ABORT, 'The audit log cannot be changed or deleted'); END""")

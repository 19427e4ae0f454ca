"""The installation's one-time marker (demo or a real school) and its first-admin set-up links."""
from sqlite_utils import Migrations

migrations = Migrations("installation")


@migrations()
def create_installation(db):
    # One row, written at first start and never changed: demo records never mix with a school's.
    db.execute("""
        CREATE TABLE installation (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            kind TEXT NOT NULL CHECK (kind IN ('demo', 'school')),
            started_at TEXT NOT NULL
        )""")
    for action in ("UPDATE", "DELETE"):
        db.execute(f"""
            CREATE TRIGGER installation_no_{action.lower()} BEFORE {action} ON installation
            BEGIN SELECT RAISE(ABORT, 'whether this is a demo school is set at first start and never changes'); END""")
    db.execute("""
        CREATE TABLE setup_links (
            id INTEGER PRIMARY KEY,
            token_sha256 TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT,
            used_by INTEGER REFERENCES users(id)
        )""")

"""Tables of the school's own texts (whistleblowing, complaints) and the titles and extensions on Key details."""
from sqlite_utils import Migrations

migrations = Migrations("safeguarding")


@migrations()
def create_key_details(db):
    db.execute("""
        CREATE TABLE school_texts (
            key TEXT PRIMARY KEY CHECK (key IN ('whistleblowing', 'complaints')),
            body TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by INTEGER REFERENCES users(id)
        )""")
    db.execute("""
        CREATE TABLE key_contacts (
            user_id INTEGER PRIMARY KEY REFERENCES users(id),
            title TEXT NOT NULL DEFAULT '',
            extension TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL
        )""")

"""Tables for policy versions, acknowledgements, reminders and declared relationships."""
from sqlite_utils import Migrations

from .. import change_log

migrations = Migrations("governance")


@migrations()
def create_policy_versions(db):
    # Dates a person chooses (written, in force, review) are calendar dates: YYYY-MM-DD.
    db.execute("""
        CREATE TABLE policy_versions (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            body_markdown TEXT,
            pdf_file TEXT,
            written_on TEXT NOT NULL,
            effective_on TEXT NOT NULL,
            next_review_on TEXT NOT NULL,
            ratified_on TEXT,
            ratified_by INTEGER REFERENCES users(id),
            ratified_recorded_at TEXT,
            created_by INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL,
            CHECK ((body_markdown IS NULL) <> (pdf_file IS NULL)),
            CHECK (next_review_on >= written_on),
            CHECK (effective_on >= written_on)
        )""")
    db.execute("CREATE INDEX policy_versions_effective ON policy_versions(effective_on, id)")
    db.execute("""
        CREATE TABLE policy_acknowledgements (
            policy_version_id INTEGER NOT NULL REFERENCES policy_versions(id),
            user_id INTEGER NOT NULL REFERENCES users(id),
            acknowledged_at TEXT NOT NULL,
            PRIMARY KEY (policy_version_id, user_id)
        )""")
    # One review reminder per person, per version, per due state (soon, overdue): the
    # primary key is what guarantees a single email even if two requests race.
    db.execute("""
        CREATE TABLE policy_review_reminders (
            policy_version_id INTEGER NOT NULL REFERENCES policy_versions(id),
            user_id INTEGER NOT NULL REFERENCES users(id),
            due_state TEXT NOT NULL CHECK (due_state IN ('due_soon', 'overdue')),
            sent_at TEXT NOT NULL,
            PRIMARY KEY (policy_version_id, user_id, due_state)
        )""")
    db.execute("""
        CREATE TABLE acknowledgement_reminders (
            id INTEGER PRIMARY KEY,
            policy_version_id INTEGER NOT NULL REFERENCES policy_versions(id),
            user_id INTEGER NOT NULL REFERENCES users(id),
            sent_by INTEGER NOT NULL REFERENCES users(id),
            sent_at TEXT NOT NULL
        )""")


@migrations()
def create_declarations(db):
    db.execute("""
        CREATE TABLE declarations (
            id INTEGER PRIMARY KEY,
            declared_by INTEGER NOT NULL REFERENCES users(id),
            relationship TEXT NOT NULL CHECK (relationship IN
                ('neighbour', 'relative', 'family_friend', 'child_minding', 'other')),
            with_whom TEXT NOT NULL CHECK (length(trim(with_whom)) > 0),
            details TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            ended_at TEXT,
            source TEXT NOT NULL DEFAULT 'web' CHECK (source IN ('web', 'phone')),
            item_id TEXT UNIQUE
        )""")
    db.execute("CREATE INDEX declarations_by ON declarations(declared_by)")
    db.execute("CREATE INDEX declarations_updated ON declarations(updated_at)")
    # Append-only: the latest review holds the arrangement in force.
    db.execute("""
        CREATE TABLE declaration_reviews (
            id INTEGER PRIMARY KEY,
            declaration_id INTEGER NOT NULL REFERENCES declarations(id),
            arrangement TEXT NOT NULL,
            reviewed_by INTEGER NOT NULL REFERENCES users(id),
            reviewed_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX declaration_reviews_of ON declaration_reviews(declaration_id, id)")
    # school_year is the calendar year in which that school year began (1 September).
    db.execute("""
        CREATE TABLE declaration_confirmations (
            declaration_id INTEGER NOT NULL REFERENCES declarations(id),
            school_year INTEGER NOT NULL,
            confirmed_by INTEGER NOT NULL REFERENCES users(id),
            confirmed_at TEXT NOT NULL,
            PRIMARY KEY (declaration_id, school_year)
        )""")


@migrations()
def log_changes_for_pulls(db):
    # A declaration, its reviews and its yearly confirmations make what a phone pulls about it:
    # each write logs the declaration for the pull cursor (see change_log.py).
    change_log.track(db, "declarations", "declaration", "id",
                     updates=("relationship", "with_whom", "details", "updated_at", "ended_at"))
    change_log.track(db, "declaration_reviews", "declaration", "declaration_id")
    change_log.track(db, "declaration_confirmations", "declaration", "declaration_id")

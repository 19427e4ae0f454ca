"""Tables of pupils from the school's list, their dated record entries and who viewed them."""
from sqlite_utils import Migrations

from ..db import refuse_changes, refuse_deletes_unless

migrations = Migrations("learners")

ENTRY_KEPT = "An entry in a child record cannot be changed or deleted: add a new entry instead"


@migrations()
def create_learners(db):
    # One row per pupil, keyed by the UPN of the school's list; updated by each import, never deleted.
    # Dates a person or the list gives (birth, leaving) are calendar dates: YYYY-MM-DD.
    db.execute("""
        CREATE TABLE learners (
            id INTEGER PRIMARY KEY,
            upn TEXT NOT NULL UNIQUE,
            surname TEXT NOT NULL,
            forename TEXT NOT NULL,
            preferred_forename TEXT NOT NULL DEFAULT '',
            dob TEXT NOT NULL,
            year_group TEXT NOT NULL DEFAULT '',
            reg_group TEXT NOT NULL DEFAULT '',
            family_id TEXT NOT NULL DEFAULT '',
            left_on TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX learners_surname ON learners(surname COLLATE NOCASE)")
    db.execute("CREATE INDEX learners_forename ON learners(forename COLLATE NOCASE)")
    db.execute("CREATE INDEX learners_family ON learners(family_id) WHERE family_id != ''")
    db.execute("CREATE INDEX learners_dob ON learners(dob)")
    db.execute("""
        CREATE TABLE learner_imports (
            id INTEGER PRIMARY KEY,
            imported_by INTEGER REFERENCES users(id),
            filename TEXT NOT NULL,
            added INTEGER NOT NULL,
            changed INTEGER NOT NULL,
            left_school INTEGER NOT NULL,
            at TEXT NOT NULL
        )""")


@migrations()
def create_learner_entries(db):
    # The child's own record entries: flags set and cleared, legal holds, transfers, review
    # decisions. Append-only like a case chronology; the current state is read from them.
    db.execute("""
        CREATE TABLE learner_entries (
            id INTEGER PRIMARY KEY,
            learner_id INTEGER NOT NULL REFERENCES learners(id),
            author_id INTEGER NOT NULL REFERENCES users(id),
            kind TEXT NOT NULL,
            flag TEXT NOT NULL DEFAULT '',
            on_date TEXT NOT NULL,
            body TEXT NOT NULL DEFAULT '',
            recipient TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX learner_entries_learner ON learner_entries(learner_id, on_date, id)")
    refuse_changes(db, "learner_entries",
                   ENTRY_KEPT)
    db.execute("""
        CREATE TABLE learner_access (
            id INTEGER PRIMARY KEY,
            learner_id INTEGER NOT NULL REFERENCES learners(id),
            user_id INTEGER NOT NULL REFERENCES users(id),
            at TEXT NOT NULL,
            what TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX learner_access_learner ON learner_access(learner_id, at)")
    refuse_changes(db, "learner_access",
                   "An access log entry cannot be changed or deleted: add a new entry instead")


@migrations()
def create_action_reminders(db):
    # One reminder per action and per moment (falling due, overdue): the primary key is what
    # guarantees a single email even if two runs of the command overlap.
    db.execute("""
        CREATE TABLE action_reminders (
            action_id INTEGER NOT NULL REFERENCES case_events(id),
            moment TEXT NOT NULL CHECK (moment IN ('due', 'overdue')),
            sent_at TEXT NOT NULL,
            PRIMARY KEY (action_id, moment)
        )""")


@migrations()
def drop_learner_access(db):
    # Views of a child's record are written to the audit log (webapp/audit) with every other view.
    db.execute("DROP TABLE learner_access")


@migrations()
def allow_recorded_destruction(db):
    # A record destroyed by the head's decision keeps its row (what the audit log and other children's
    # cases point at) with every personal detail wiped, and the day it was destroyed. Its entries go,
    # but for the review decisions; `erasing_learner` is filled and emptied inside that one transaction
    # (see webapp/learners/destruction.py), so every other delete is still refused.
    db.execute("ALTER TABLE learners ADD COLUMN destroyed_on TEXT")
    db.execute("CREATE TABLE erasing_learner (learner_id INTEGER PRIMARY KEY)")
    refuse_deletes_unless(db, "learner_entries", ENTRY_KEPT,
                          "OLD.learner_id IN (SELECT learner_id FROM erasing_learner) "
                          "AND OLD.kind NOT IN ('review_keep', 'review_destroy')")

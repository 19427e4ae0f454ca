"""Tables of concerns, their append-only chronology, evidence and access log."""
from sqlite_utils import Migrations

from .. import change_log
from ..db import refuse_changes, refuse_deletes_unless

migrations = Migrations("concerns")

CONCERN_KEPT = "A submitted concern cannot be changed or deleted: add a new entry instead"
EVIDENCE_KEPT = "Evidence attached to a concern cannot be changed or deleted: add a new entry instead"
ENTRY_KEPT = "A chronology entry cannot be changed or deleted: add a new entry instead"
ACCESS_KEPT = "An access log entry cannot be changed or deleted: add a new entry instead"


@migrations()
def create_concerns(db):
    db.execute("""
        CREATE TABLE concerns (
            id INTEGER PRIMARY KEY,
            reporter_id INTEGER NOT NULL REFERENCES users(id),
            category TEXT NOT NULL,
            occurred_at TEXT NOT NULL,
            location TEXT NOT NULL,
            learners TEXT NOT NULL DEFAULT '',
            adults TEXT NOT NULL DEFAULT '',
            account TEXT NOT NULL,
            action_taken TEXT NOT NULL DEFAULT '',
            told_dsl_in_person INTEGER NOT NULL,
            urgent INTEGER NOT NULL,
            staff_involved INTEGER NOT NULL DEFAULT 0,
            flagged_for_head INTEGER NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('web', 'phone')),
            item_id TEXT UNIQUE,
            created_at TEXT NOT NULL,
            received_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX concerns_reporter ON concerns(reporter_id, created_at)")
    refuse_changes(db, "concerns",
                   CONCERN_KEPT)
    db.execute("""
        CREATE TABLE concern_attachments (
            id INTEGER PRIMARY KEY,
            concern_id INTEGER NOT NULL REFERENCES concerns(id),
            stored_name TEXT NOT NULL UNIQUE,
            filename TEXT NOT NULL,
            content_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX concern_attachments_concern ON concern_attachments(concern_id)")
    refuse_changes(db, "concern_attachments",
                   EVIDENCE_KEPT)


@migrations()
def create_case_events(db):
    db.execute("""
        CREATE TABLE case_events (
            id INTEGER PRIMARY KEY,
            concern_id INTEGER NOT NULL REFERENCES concerns(id),
            author_id INTEGER NOT NULL REFERENCES users(id),
            kind TEXT NOT NULL,
            body TEXT NOT NULL DEFAULT '',
            reference TEXT NOT NULL DEFAULT '',
            assignee_id INTEGER REFERENCES users(id),
            status TEXT,
            source TEXT NOT NULL CHECK (source IN ('web', 'phone')),
            item_id TEXT UNIQUE,
            created_at TEXT NOT NULL,
            received_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX case_events_concern ON case_events(concern_id, created_at, id)")
    refuse_changes(db, "case_events",
                   ENTRY_KEPT)


@migrations()
def create_concern_state(db):
    # The one mutable table: where each case has got to, derived from its chronology and
    # updated in the same transaction as each entry. Sort keys are copied for a fast queue.
    db.execute("""
        CREATE TABLE concern_state (
            concern_id INTEGER PRIMARY KEY REFERENCES concerns(id),
            category TEXT NOT NULL,
            urgent INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'received'
                CHECK (status IN ('received', 'in_progress', 'closed')),
            assignee_id INTEGER REFERENCES users(id),
            opened_at TEXT,
            status_at TEXT NOT NULL,
            changed_at TEXT NOT NULL
        )""")
    for name, columns in [("order", "urgent DESC, created_at DESC, concern_id DESC"),
                          ("status", "status, urgent DESC, created_at DESC, concern_id DESC"),
                          ("category", "category, urgent DESC, created_at DESC, concern_id DESC"),
                          ("assignee", "assignee_id, urgent DESC, created_at DESC, concern_id DESC"),
                          ("created", "created_at"),
                          ("changed", "changed_at")]:
        db.execute(f"CREATE INDEX concern_state_{name} ON concern_state({columns})")
    db.execute("CREATE INDEX concern_state_unopened ON concern_state(concern_id) WHERE opened_at IS NULL")


@migrations()
def create_concern_search(db):
    db.execute("""
        CREATE VIRTUAL TABLE concern_search USING fts5(
            account, action_taken, location, learners, adults,
            content='concerns', content_rowid='id', tokenize='porter unicode61')""")
    db.execute("""
        CREATE TRIGGER concerns_search_insert AFTER INSERT ON concerns BEGIN
            INSERT INTO concern_search (rowid, account, action_taken, location, learners, adults)
            VALUES (new.id, new.account, new.action_taken, new.location, new.learners, new.adults);
        END""")


@migrations()
def create_concern_access(db):
    db.execute("""
        CREATE TABLE concern_access (
            id INTEGER PRIMARY KEY,
            concern_id INTEGER NOT NULL REFERENCES concerns(id),
            user_id INTEGER NOT NULL REFERENCES users(id),
            at TEXT NOT NULL,
            what TEXT NOT NULL CHECK (what IN ('case', 'attachment')),
            attachment_id INTEGER REFERENCES concern_attachments(id)
        )""")
    db.execute("CREATE INDEX concern_access_concern ON concern_access(concern_id, at)")
    refuse_changes(db, "concern_access",
                   ACCESS_KEPT)


@migrations()
def index_open_concerns(db):
    # Partial indexes for the DSLs' everyday views: what is still open, and open with nobody on it.
    order = "urgent DESC, created_at DESC, concern_id DESC"
    db.execute(f"CREATE INDEX concern_state_open ON concern_state({order}) WHERE status != 'closed'")
    db.execute(f"CREATE INDEX concern_state_inbox ON concern_state({order}) "
               "WHERE status != 'closed' AND assignee_id IS NULL")


@migrations()
def add_case_event_links(db):
    # What an entry can point at (DESIGN.md section 7): a pupil record linked at triage, and an
    # action's due date; a done or cancelled entry names the action it finishes. The pupil table
    # belongs to the learners domain, created after this one: SQLite checks the reference on insert.
    db.execute("ALTER TABLE case_events ADD COLUMN learner_id INTEGER REFERENCES learners(id)")
    db.execute("ALTER TABLE case_events ADD COLUMN due_on TEXT")
    db.execute("ALTER TABLE case_events ADD COLUMN action_id INTEGER REFERENCES case_events(id)")
    db.execute("CREATE INDEX case_events_learner ON case_events(learner_id) WHERE learner_id IS NOT NULL")
    db.execute("CREATE INDEX case_events_actions ON case_events(kind, assignee_id) "
               "WHERE kind IN ('action', 'action_done', 'action_cancelled')")


@migrations()
def add_concern_subjects(db):
    # Who a concern is about (DESIGN.md section 7): `about_head` sends it to the chair of governors
    # alone; a `subject_link` entry names the member of staff (`user_id`), who can then never see it;
    # an allegation's outcome is one of the allegations guidance's categories.
    db.execute("ALTER TABLE concerns ADD COLUMN about_head INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE concern_state ADD COLUMN about_head INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE case_events ADD COLUMN user_id INTEGER REFERENCES users(id)")
    db.execute("ALTER TABLE case_events ADD COLUMN allegation_outcome TEXT")
    db.execute("CREATE INDEX case_events_subject ON case_events(user_id, concern_id) "
               "WHERE kind = 'subject_link'")


@migrations()
def allow_recorded_erasure(db):
    # A child's record is destroyed only by the headteacher's recorded decision after its review date
    # (IRMS toolkit). The transaction that carries it out names the cases in `erasing` first, deletes
    # them, and empties `erasing` before it commits: no other connection ever sees a row there, so
    # every other delete is still refused by the database itself.
    db.execute("CREATE TABLE erasing (concern_id INTEGER PRIMARY KEY)")
    for table, key, message in [("concerns", "id", CONCERN_KEPT), ("concern_attachments", "concern_id", EVIDENCE_KEPT),
                                ("case_events", "concern_id", ENTRY_KEPT), ("concern_access", "concern_id", ACCESS_KEPT)]:
        refuse_deletes_unless(db, table, message, f"OLD.{key} IN (SELECT concern_id FROM erasing)")


@migrations()
def log_changes_for_pulls(db):
    # What a phone pulls about a concern (its status, its queue row, its whole case, who may see it)
    # comes from these rows: each write logs the concern for the pull cursor (see change_log.py).
    # Opening a case changes nothing a phone holds, so `opened_at` is not logged.
    change_log.track(db, "concerns", "concern", "id")
    change_log.track(db, "concern_state", "concern", "concern_id",
                     updates=("category", "urgent", "about_head", "status", "assignee_id", "status_at", "changed_at"))
    change_log.track(db, "case_events", "concern", "concern_id")
    change_log.track(db, "concern_attachments", "concern", "concern_id")


@migrations()
def log_destroyed_cases_for_pulls(db):
    # A case destroyed under the head's decision must leave the phones that keep a copy of it: its
    # deletion is logged, and the next pull of those phones says it is removed.
    change_log.track_deletes(db, "concerns", "concern", "id")

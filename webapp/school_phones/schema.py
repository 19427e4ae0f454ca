"""Tables for enrolled school phones: their keys, what they delivered, and who confirmed what."""
from sqlite_utils import Migrations

from .. import change_log
from ..db import refuse_changes, refuse_deletes_unless

migrations = Migrations("school_phones")


@migrations()
def create_school_phone_keys(db):
    # A school phone's own signing key (kid: its RFC 7638 thumbprint), registered to one device on the
    # register (5.4). One live key per device: enrolling again revokes the one before.
    db.execute("""
        CREATE TABLE school_phone_keys (
            kid TEXT PRIMARY KEY,
            school_device_id INTEGER NOT NULL REFERENCES school_devices(id),
            device_id TEXT NOT NULL,
            public_jwk TEXT NOT NULL,
            enrolled_at TEXT NOT NULL,
            enrolled_by INTEGER NOT NULL REFERENCES users(id),
            last_used_at TEXT,
            revoked_at TEXT,
            revoked_by INTEGER REFERENCES users(id),
            revoked_why TEXT
        )""")
    db.execute("CREATE UNIQUE INDEX school_phone_keys_live ON school_phone_keys(school_device_id) "
               "WHERE revoked_at IS NULL")
    # A device retired, lost or stolen on the register stops signing at once, whichever page changed it.
    db.execute("""
        CREATE TRIGGER school_phone_keys_die_with_device AFTER UPDATE OF status ON school_devices
        WHEN NEW.status != 'in_use'
        BEGIN
            UPDATE school_phone_keys SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
                                         revoked_why = 'the device was marked ' || NEW.status || ' on the register'
            WHERE school_device_id = NEW.id AND revoked_at IS NULL;
        END""")


@migrations()
def create_school_phone_items(db):
    # Every distinct (item id, content) a school phone delivered without a session: stored, or kept
    # aside whole (the raw envelope) with the reason, for a DSL to see.
    db.execute("""
        CREATE TABLE school_phone_items (
            seq INTEGER PRIMARY KEY,
            item_id TEXT NOT NULL,
            content_sha256 TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('stored', 'quarantined', 'conflict')),
            kind TEXT,
            created_at TEXT,
            envelope TEXT,
            key_kid TEXT,
            school_device_id INTEGER REFERENCES school_devices(id),
            device_id TEXT NOT NULL,
            received_at TEXT NOT NULL,
            reason TEXT,
            errors TEXT,
            ref TEXT,
            UNIQUE (item_id, content_sha256)
        )""")
    db.execute("CREATE UNIQUE INDEX school_phone_items_one_stored ON school_phone_items(item_id) "
               "WHERE status = 'stored'")
    db.execute("CREATE INDEX school_phone_items_aside ON school_phone_items(received_at) WHERE status != 'stored'")


@migrations()
def create_school_phone_concerns(db):
    # Who a concern logged on a school phone says wrote it: the name given on the phone and the
    # account it matched (NULL: nobody on the staff list). The concern itself is credited to that
    # account, or to the "Unknown person" account, and stays unconfirmed until answered.
    db.execute("""
        CREATE TABLE school_phone_concerns (
            concern_id INTEGER PRIMARY KEY REFERENCES concerns(id),
            school_device_id INTEGER NOT NULL REFERENCES school_devices(id),
            key_kid TEXT NOT NULL REFERENCES school_phone_keys(kid),
            named_as TEXT NOT NULL,
            named_user_id INTEGER REFERENCES users(id),
            received_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX school_phone_concerns_named ON school_phone_concerns(named_user_id)")
    credit_kept = "who a school phone said logged a concern is a record and is never changed or removed"
    refuse_changes(db, "school_phone_concerns", credit_kept)
    # The named person's one answer: it was me (confirmed) or it was not (denied). A denied concern
    # is kept whole; the denial is recorded beside it.
    db.execute("""
        CREATE TABLE school_phone_answers (
            concern_id INTEGER PRIMARY KEY REFERENCES school_phone_concerns(concern_id),
            user_id INTEGER NOT NULL REFERENCES users(id),
            answer TEXT NOT NULL CHECK (answer IN ('confirmed', 'denied')),
            note TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL
        )""")
    answer_kept = "an answer about a concern logged on a school phone is a record and is never changed or removed"
    refuse_changes(db, "school_phone_answers", answer_kept)
    # ...except inside the one transaction that destroys a case under the headteacher's recorded
    # decision (webapp/concerns/erasure.py), which takes these with the case.
    for table, message in [("school_phone_concerns", credit_kept), ("school_phone_answers", answer_kept)]:
        refuse_deletes_unless(db, table, message, "OLD.concern_id IN (SELECT concern_id FROM erasing)")


@migrations()
def log_questions_for_pulls(db):
    # A concern logged in someone's name, and their answer, change what that person pulls about it
    # (school_phones/pull.py): each new row logs the question for the pull cursor (see change_log.py).
    change_log.track(db, "school_phone_concerns", "school_phone_question", "concern_id")
    change_log.track(db, "school_phone_answers", "school_phone_question", "concern_id")

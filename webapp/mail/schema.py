"""The mail outbox, the marks that stop a stale-phone alert repeating, and the sender's last pass."""
from sqlite_utils import Migrations

migrations = Migrations("mail")


@migrations()
def create_mail_outbox(db):
    # message_id is the idempotency mark: one row is one email, sent under this Message-ID only.
    db.execute("""
        CREATE TABLE mail_outbox (
            id INTEGER PRIMARY KEY,
            message_id TEXT NOT NULL UNIQUE,
            recipient TEXT NOT NULL,
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            queued_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'waiting'
                CHECK (state IN ('waiting', 'sending', 'sent', 'stopped')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            last_error TEXT,
            last_attempt_at TEXT,
            sent_at TEXT,
            stopped_by INTEGER REFERENCES users(id)
        )""")
    db.execute("CREATE INDEX mail_outbox_due ON mail_outbox(next_attempt_at) WHERE state = 'waiting'")


@migrations()
def create_phone_alerts(db):
    # One alert per phone per spell of waiting: the spell is named by its oldest item's time.
    db.execute("""
        CREATE TABLE phone_alerts (
            device_id TEXT NOT NULL,
            oldest_waiting_at TEXT NOT NULL,
            alerted_at TEXT NOT NULL,
            PRIMARY KEY (device_id, oldest_waiting_at)
        )""")


@migrations()
def create_mail_sender(db):
    db.execute("""
        CREATE TABLE mail_sender (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            last_pass_at TEXT NOT NULL
        )""")

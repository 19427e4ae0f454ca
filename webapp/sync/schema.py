"""Tables for phones' signing keys, every item a phone sent, and the phones themselves."""
from sqlite_utils import Migrations

migrations = Migrations("sync")


@migrations()
def create_device_keys(db):
    # kid is the key's RFC 7638 thumbprint, so a phone knows it before it is registered.
    db.execute("""
        CREATE TABLE device_keys (
            kid TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            device_id TEXT NOT NULL,
            public_jwk TEXT NOT NULL,
            registered_at TEXT NOT NULL,
            last_used_at TEXT,
            revoked_at TEXT,
            revoked_by INTEGER REFERENCES users(id),
            revoked_why TEXT
        )""")
    db.execute("CREATE INDEX device_keys_user ON device_keys(user_id)")
    # A deactivated person's keys die with the account, for good: reactivating does not revive them.
    db.execute("""
        CREATE TRIGGER device_keys_die_with_account AFTER UPDATE OF active ON users
        WHEN NEW.active = 0 AND OLD.active = 1
        BEGIN
            UPDATE device_keys SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
                                   revoked_why = 'account deactivated'
            WHERE user_id = NEW.id AND revoked_at IS NULL;
        END""")


@migrations()
def create_sync_items(db):
    # One row per distinct (item id, content) received: stored, quarantined or conflicting.
    db.execute("""
        CREATE TABLE sync_items (
            seq INTEGER PRIMARY KEY,
            item_id TEXT NOT NULL,
            content_sha256 TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('stored', 'quarantined', 'conflict')),
            kind TEXT,
            created_at TEXT,
            envelope TEXT,
            signed TEXT,
            key_kid TEXT,
            author_id INTEGER REFERENCES users(id),
            uploader_id INTEGER NOT NULL REFERENCES users(id),
            device_id TEXT NOT NULL,
            received_at TEXT NOT NULL,
            reason TEXT,
            errors TEXT,
            ref TEXT,
            resolved_at TEXT,
            resolved_by INTEGER REFERENCES users(id),
            resolution TEXT,
            UNIQUE (item_id, content_sha256)
        )""")
    db.execute("CREATE UNIQUE INDEX sync_items_one_stored ON sync_items(item_id) WHERE status = 'stored'")
    db.execute("CREATE INDEX sync_items_open ON sync_items(received_at) "
               "WHERE status != 'stored' AND resolved_at IS NULL")


@migrations()
def create_phones(db):
    db.execute("""
        CREATE TABLE phones (
            device_id TEXT PRIMARY KEY,
            user_id INTEGER REFERENCES users(id),
            first_seen_at TEXT NOT NULL,
            last_sync_at TEXT NOT NULL,
            last_sync_kind TEXT NOT NULL CHECK (last_sync_kind IN ('push', 'pull')),
            waiting_count INTEGER NOT NULL DEFAULT 0,
            oldest_waiting_at TEXT
        )""")


@migrations()
def create_returned_items(db):
    # A verified author's item that the form's checks refused: kept whole (its opened payload) for
    # its author alone to correct (sent again as a new item, linked here) or discard with a reason.
    db.execute("""
        CREATE TABLE returned_items (
            id INTEGER PRIMARY KEY,
            item_id TEXT NOT NULL,
            content_sha256 TEXT NOT NULL,
            kind TEXT NOT NULL,
            author_id INTEGER NOT NULL REFERENCES users(id),
            uploader_id INTEGER NOT NULL REFERENCES users(id),
            device_id TEXT NOT NULL,
            payload TEXT NOT NULL,
            errors TEXT NOT NULL,
            created_at TEXT,
            received_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'corrected', 'discarded')),
            corrected_ref TEXT,
            discard_reason TEXT,
            closed_at TEXT,
            UNIQUE (item_id, content_sha256)
        )""")
    db.execute("CREATE INDEX returned_items_open ON returned_items(author_id) WHERE status = 'open'")


@migrations()
def create_sync_caps_reached(db):
    # Pushes refused because their uploader ("user:<id>" or "school_device:<id>") had already kept
    # aside as much as a school day allows (sync/quota.py): one row per uploader and day, for DSLs.
    db.execute("""
        CREATE TABLE sync_caps_reached (
            who TEXT NOT NULL,
            day TEXT NOT NULL,
            refused_pushes INTEGER NOT NULL,
            first_refused_at TEXT NOT NULL,
            last_refused_at TEXT NOT NULL,
            PRIMARY KEY (who, day)
        )""")
    # What one account kept aside in a day is counted on each push that keeps something aside.
    db.execute("CREATE INDEX sync_items_aside_by ON sync_items(uploader_id, received_at) WHERE status != 'stored'")

"""Tables for people, their roles, their sessions and sign-in attempts."""
from sqlite_utils import Migrations

migrations = Migrations("auth")


@migrations()
def create_users(db):
    db.execute("""
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE user_roles (
            user_id INTEGER NOT NULL REFERENCES users(id),
            role TEXT NOT NULL CHECK (role IN ('staff', 'dsl', 'head', 'governor', 'admin')),
            PRIMARY KEY (user_id, role)
        )""")
    db.execute("""
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            ended_at TEXT,
            ended_why TEXT,
            address TEXT
        )""")
    db.execute("CREATE INDEX sessions_user ON sessions(user_id) WHERE ended_at IS NULL")
    db.execute("""
        CREATE TABLE login_attempts (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            email TEXT NOT NULL COLLATE NOCASE,
            address TEXT NOT NULL,
            user_id INTEGER,
            outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'limited'))
        )""")
    db.execute("CREATE INDEX login_attempts_email ON login_attempts(email, at)")
    db.execute("CREATE INDEX login_attempts_address ON login_attempts(address, at)")


@migrations()
def add_chair_role(db):
    # The chair of governors (DESIGN.md section 1): SQLite cannot widen a CHECK, so the table is rebuilt.
    db.execute("""
        CREATE TABLE user_roles_new (
            user_id INTEGER NOT NULL REFERENCES users(id),
            role TEXT NOT NULL CHECK (role IN ('staff', 'dsl', 'head', 'governor', 'admin', 'chair')),
            PRIMARY KEY (user_id, role)
        )""")
    db.execute("INSERT INTO user_roles_new (user_id, role) SELECT user_id, role FROM user_roles")
    db.execute("DROP TABLE user_roles")
    db.execute("ALTER TABLE user_roles_new RENAME TO user_roles")


@migrations()
def add_second_factor(db):
    # The authenticator app's secret once confirmed, the one being set up, and the last 30-second
    # step a code was accepted for (no code is ever accepted twice).
    db.execute("ALTER TABLE users ADD COLUMN totp_secret TEXT")
    db.execute("ALTER TABLE users ADD COLUMN totp_pending_secret TEXT")
    db.execute("ALTER TABLE users ADD COLUMN totp_last_step INTEGER")
    db.execute("ALTER TABLE users ADD COLUMN totp_confirmed_at TEXT")
    db.execute("ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0")
    # When the sign-in that made a session was complete (password and, where needed, the code).
    db.execute("ALTER TABLE sessions ADD COLUMN verified_at TEXT")
    db.execute("UPDATE sessions SET verified_at = created_at")
    db.execute("""
        CREATE TABLE recovery_codes (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            code_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            used_at TEXT
        )""")
    db.execute("CREATE INDEX recovery_codes_user ON recovery_codes(user_id) WHERE used_at IS NULL")
    db.execute("""
        CREATE TABLE code_attempts (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            user_id INTEGER NOT NULL REFERENCES users(id),
            address TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'limited'))
        )""")
    db.execute("CREATE INDEX code_attempts_user ON code_attempts(user_id, at)")
    db.execute("""
        CREATE TABLE password_resets (
            token_sha256 TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT
        )""")


@migrations()
def add_passkeys(db):
    # Passkeys a person chose to add as a second factor, and the single-use challenges sent to
    # their browser (kept here, never trusted from the browser, each spent at most once).
    db.execute("""
        CREATE TABLE passkeys (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            credential_id TEXT NOT NULL UNIQUE,
            public_key BLOB NOT NULL,
            sign_count INTEGER NOT NULL DEFAULT 0,
            name TEXT NOT NULL,
            transports TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            last_used_at TEXT
        )""")
    db.execute("CREATE INDEX passkeys_user ON passkeys(user_id)")
    db.execute("""
        CREATE TABLE passkey_challenges (
            challenge TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            purpose TEXT NOT NULL CHECK (purpose IN ('register', 'sign_in')),
            created_at TEXT NOT NULL,
            used_at TEXT
        )""")

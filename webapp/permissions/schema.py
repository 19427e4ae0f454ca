"""Tables for areas, device-use requests, the head's decisions and the school-device register."""
from sqlite_utils import Migrations

from .. import change_log
from ..db import refuse_changes

migrations = Migrations("permissions")

# (key, label, restricted) — the school's areas as first installed; clause 5.1.4 restricts the last three.
DEFAULT_AREAS = [
    ("classroom", "A classroom", False),
    ("hall", "The hall", False),
    ("playground", "The playground", False),
    ("field", "The field", False),
    ("office", "The office", False),
    ("staffroom", "The staffroom", False),
    ("library", "The library", False),
    ("offsite", "Off site (a trip or visit)", False),
    ("toilets", "Toilets", True),
    ("changing_rooms", "Changing rooms", True),
    ("swimming_pool", "The swimming pool", True),
]


@migrations()
def create_areas(db):
    db.execute("""
        CREATE TABLE areas (
            key TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            restricted INTEGER NOT NULL DEFAULT 0 CHECK (restricted IN (0, 1)),
            position INTEGER NOT NULL,
            created_at TEXT NOT NULL
        )""")
    for position, (key, label, restricted) in enumerate(DEFAULT_AREAS):
        db.execute("INSERT INTO areas (key, label, restricted, position, created_at) "
                   "VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                   [key, label, int(restricted), position])


@migrations()
def create_device_requests(db):
    db.execute("""
        CREATE TABLE device_requests (
            id INTEGER PRIMARY KEY,
            requester_id INTEGER NOT NULL REFERENCES users(id),
            for_whom TEXT NOT NULL CHECK (for_whom IN ('self', 'visitor')),
            visitor_name TEXT,
            visitor_organisation TEXT,
            device TEXT NOT NULL,
            purpose TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            location TEXT NOT NULL REFERENCES areas(key),
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            during_teaching INTEGER NOT NULL CHECK (during_teaching IN (0, 1)),
            urgent INTEGER NOT NULL CHECK (urgent IN (0, 1)),
            refused_rule TEXT,
            refused_clause TEXT,
            created_at TEXT NOT NULL,
            received_at TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('web', 'phone')),
            item_id TEXT UNIQUE,
            CHECK ((for_whom = 'visitor') = (visitor_name IS NOT NULL))
        )""")
    db.execute("CREATE INDEX device_requests_requester ON device_requests(requester_id, received_at)")
    db.execute("CREATE INDEX device_requests_received ON device_requests(received_at)")
    refuse_changes(db, "device_requests",
                   "device-use requests are a written record and are never changed or removed")


@migrations()
def create_decisions(db):
    db.execute("""
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            request_id INTEGER NOT NULL REFERENCES device_requests(id),
            outcome TEXT NOT NULL CHECK (outcome IN ('approved', 'declined', 'withdrawn')),
            conditions TEXT NOT NULL DEFAULT '',
            ends_at TEXT,
            reason TEXT NOT NULL DEFAULT '',
            decided_by INTEGER NOT NULL REFERENCES users(id),
            decided_at TEXT NOT NULL,
            received_at TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('web', 'phone')),
            item_id TEXT UNIQUE,
            CHECK (outcome != 'approved' OR ends_at IS NOT NULL),
            CHECK (outcome = 'approved' OR reason != '')
        )""")
    # One first decision per request, and at most one later withdrawal of an approval.
    db.execute("CREATE UNIQUE INDEX decisions_first ON decisions(request_id) "
               "WHERE outcome IN ('approved', 'declined')")
    db.execute("CREATE UNIQUE INDEX decisions_withdrawal ON decisions(request_id) WHERE outcome = 'withdrawn'")
    db.execute("CREATE INDEX decisions_received ON decisions(received_at)")
    refuse_changes(db, "decisions",
                   "decisions are a written record and are never changed or removed")


@migrations()
def create_school_devices(db):
    db.execute("""
        CREATE TABLE school_devices (
            id INTEGER PRIMARY KEY,
            asset_tag TEXT NOT NULL UNIQUE COLLATE NOCASE,
            kind TEXT NOT NULL CHECK (kind IN ('phone', 'tablet', 'laptop', 'other')),
            issued_to INTEGER REFERENCES users(id),
            status TEXT NOT NULL DEFAULT 'in_use' CHECK (status IN ('in_use', 'lost', 'stolen', 'retired')),
            passcode_confirmed_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX school_devices_issued_to ON school_devices(issued_to)")
    db.execute("""
        CREATE TABLE school_device_events (
            id INTEGER PRIMARY KEY,
            device_id INTEGER NOT NULL REFERENCES school_devices(id),
            event TEXT NOT NULL CHECK (event IN ('added', 'issued', 'status', 'passcode_confirmed')),
            detail TEXT NOT NULL DEFAULT '',
            by_user INTEGER NOT NULL REFERENCES users(id),
            at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX school_device_events_device ON school_device_events(device_id, at)")
    refuse_changes(db, "school_device_events",
                   "school-device history entries are a written record and are never changed or removed")


@migrations()
def log_changes_for_pulls(db):
    # A request and the decisions on it (approval, refusal, withdrawal) make what a phone pulls about
    # that request: each new row logs the request for the pull cursor (see change_log.py).
    change_log.track(db, "device_requests", "device_request", "id")
    change_log.track(db, "decisions", "device_request", "request_id")

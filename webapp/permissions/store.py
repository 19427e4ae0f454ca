"""All SQL about areas, device-use requests and the headteacher's decisions."""
import re

from .. import change_log

REQUEST_FIELDS = ("requester_id", "for_whom", "visitor_name", "visitor_organisation", "device", "purpose",
                  "detail", "location", "starts_at", "ends_at", "during_teaching", "urgent", "refused_rule",
                  "refused_clause", "created_at", "received_at", "source", "item_id")
DECISION_FIELDS = ("request_id", "outcome", "conditions", "ends_at", "reason", "decided_by", "decided_at",
                   "received_at", "source", "item_id")

# A request with its area, its requester, its first decision (f) and any withdrawal (w). The unique
# indexes on decisions guarantee at most one of each, so each request is one row.
REQUEST_SELECT = """
    SELECT r.*, a.label AS location_label, a.restricted AS location_restricted, u.name AS requester_name,
        f.outcome AS outcome, f.conditions, f.ends_at AS permitted_until, f.reason, f.decided_at,
        fu.name AS decided_by_name, w.reason AS withdrawn_reason, w.decided_at AS withdrawn_at,
        wu.name AS withdrawn_by_name,
        CASE WHEN r.refused_rule IS NOT NULL THEN 'refused' WHEN w.id IS NOT NULL THEN 'withdrawn'
             WHEN f.id IS NULL THEN 'waiting' ELSE f.outcome END AS status,
        max(r.received_at, coalesce(f.received_at, ''), coalesce(w.received_at, '')) AS changed_at
    FROM device_requests r
    JOIN areas a ON a.key = r.location
    JOIN users u ON u.id = r.requester_id
    LEFT JOIN decisions f ON f.request_id = r.id AND f.outcome IN ('approved', 'declined')
    LEFT JOIN users fu ON fu.id = f.decided_by
    LEFT JOIN decisions w ON w.request_id = r.id AND w.outcome = 'withdrawn'
    LEFT JOIN users wu ON wu.id = w.decided_by"""


def _insert(db, table, fields, row):
    marks = ", ".join("?" * len(fields))
    return db.execute(f"INSERT INTO {table} ({', '.join(fields)}) VALUES ({marks})",
                      [row.get(f) for f in fields]).lastrowid


def list_areas(db):
    """Return the school's areas in their order on the form."""
    return list(db.query("SELECT * FROM areas ORDER BY position, key"))


def get_area(db, key):
    rows = list(db.query("SELECT * FROM areas WHERE key = ?", [key]))
    return rows[0] if rows else None


def area_key_for(db, label):
    """Make an unused key from a place's name ("Forest school" -> forest_school)."""
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:40] or "area"
    key, n = base, 1
    while get_area(db, key):
        n += 1
        key = f"{base}_{n}"
    return key


def add_area(db, label, restricted, now):
    """Add a place to the end of the list; return its key."""
    key = area_key_for(db, label)
    position = db.execute("SELECT coalesce(max(position), -1) + 1 FROM areas").fetchone()[0]
    db.execute("INSERT INTO areas (key, label, restricted, position, created_at) VALUES (?, ?, ?, ?, ?)",
               [key, label.strip(), int(bool(restricted)), position, now])
    return key


def insert_request(db, row):
    """Write a submitted (or refused) request; return its id."""
    return _insert(db, "device_requests", REQUEST_FIELDS, row)


def insert_decision(db, row):
    """Write one decision; return its id."""
    return _insert(db, "decisions", DECISION_FIELDS, row)


def id_for_item(db, table, item_id):
    """Return the id of the row a phone item already wrote, if any."""
    row = db.execute(f"SELECT id FROM {table} WHERE item_id = ?", [item_id]).fetchone()
    return row[0] if row else None


def get_request(db, request_id):
    """Return one request with its decisions and status, or None."""
    rows = list(db.query(REQUEST_SELECT + " WHERE r.id = ?", [request_id]))
    return rows[0] if rows else None


def requests_of(db, user_id):
    """Return what one person asked for or recorded, newest first."""
    return list(db.query(REQUEST_SELECT + " WHERE r.requester_id = ? ORDER BY r.created_at DESC, r.id DESC",
                         [user_id]))


def waiting_requests(db):
    """Return the requests waiting for the headteacher: urgent first, then oldest."""
    return list(db.query(
        REQUEST_SELECT + " WHERE r.refused_rule IS NULL AND f.id IS NULL "
        "ORDER BY r.urgent DESC, r.created_at, r.id"))


def current_approvals(db, now):
    """Return approvals not withdrawn whose time has not ended (started or not)."""
    return list(db.query(
        REQUEST_SELECT + " WHERE f.outcome = 'approved' AND w.id IS NULL AND f.ends_at > ? "
        "ORDER BY r.starts_at, r.id", [now]))


def in_force(db, now):
    """Return the permissions in force at this moment, ending soonest first."""
    return list(db.query(
        REQUEST_SELECT + " WHERE f.outcome = 'approved' AND w.id IS NULL "
        "AND r.starts_at <= ? AND f.ends_at > ? ORDER BY f.ends_at, r.id", [now, now]))


def changed_requests(db, since, requester_id=None):
    """Return requests changed after `since` (a person's own, or every one not refused), oldest change first.

    `since` is a position in the change log (see change_log.py), None for every request.
    """
    changed, params = change_log.after("device_request", "r.id", since)
    if requester_id is None:
        mine, status = "1", "status != 'refused'"
    else:
        mine, status = "r.requester_id = ?", "1"
        params.append(requester_id)
    return list(db.query(f"SELECT * FROM ({REQUEST_SELECT} WHERE {changed} AND {mine}) WHERE {status} "
                         "ORDER BY changed_at, id", params))


def refusals_by_rule(db, start, end):
    """Count requests refused on the spot between two times (ISO UTC), by rule."""
    return list(db.query(
        "SELECT refused_rule AS rule, refused_clause AS clause, count(*) AS count FROM device_requests "
        "WHERE refused_rule IS NOT NULL AND created_at >= ? AND created_at < ? "
        "GROUP BY refused_rule, refused_clause ORDER BY count DESC, refused_rule", [start, end]))


# The school-device register (5.4).
DEVICE_SELECT = ("SELECT d.*, u.name AS holder_name FROM school_devices d "
                 "LEFT JOIN users u ON u.id = d.issued_to")


def staff_people(db):
    """Return active people who may hold a school device (staff, DSLs, the head)."""
    return list(db.query(
        "SELECT DISTINCT u.id, u.name FROM users u JOIN user_roles r ON r.user_id = u.id "
        "WHERE u.active = 1 AND r.role IN ('staff', 'dsl', 'head') ORDER BY u.name"))


def list_devices(db):
    """Return every school device, in use first, by asset tag."""
    return list(db.query(DEVICE_SELECT + " ORDER BY d.status != 'in_use', d.asset_tag"))


def get_device(db, device_id):
    rows = list(db.query(DEVICE_SELECT + " WHERE d.id = ?", [device_id]))
    return rows[0] if rows else None


def device_by_tag(db, asset_tag):
    rows = list(db.query(DEVICE_SELECT + " WHERE d.asset_tag = ?", [asset_tag.strip()]))
    return rows[0] if rows else None


def devices_issued_to(db, user_id):
    """Return the devices a person holds now (lost and stolen ones too, retired ones not)."""
    return list(db.query(DEVICE_SELECT + " WHERE d.issued_to = ? AND d.status != 'retired' "
                         "ORDER BY d.asset_tag", [user_id]))


def log_device_event(db, device_id, event, detail, by_user, at):
    db.execute("INSERT INTO school_device_events (device_id, event, detail, by_user, at) VALUES (?, ?, ?, ?, ?)",
               [device_id, event, detail, by_user, at])


def device_events(db, device_id):
    """Return a device's history, newest first, with who did each thing."""
    return list(db.query(
        "SELECT e.*, u.name AS by_name FROM school_device_events e JOIN users u ON u.id = e.by_user "
        "WHERE e.device_id = ? ORDER BY e.at DESC, e.id DESC", [device_id]))


def add_device(db, values, by_user, now):
    """Put a device on the register; return its id. `values` has asset_tag, kind, issued_to, status."""
    device_id = db.execute(
        "INSERT INTO school_devices (asset_tag, kind, issued_to, status, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [values["asset_tag"].strip(), values["kind"], values["issued_to"], values["status"], now, now]).lastrowid
    log_device_event(db, device_id, "added", values["asset_tag"].strip(), by_user, now)
    if values["issued_to"]:
        log_device_event(db, device_id, "issued", values.get("holder_name") or "", by_user, now)
    return device_id


def update_device(db, device, changes, by_user, now):
    """Change a device's entry, noting each change; a new holder must confirm the passcode afresh."""
    issued_to, status = changes["issued_to"], changes["status"]
    reissued = issued_to != device["issued_to"]
    db.execute("UPDATE school_devices SET asset_tag = ?, kind = ?, issued_to = ?, status = ?, updated_at = ?, "
               "passcode_confirmed_at = CASE WHEN ? THEN NULL ELSE passcode_confirmed_at END WHERE id = ?",
               [changes["asset_tag"].strip(), changes["kind"], issued_to, status, now, int(reissued),
                device["id"]])
    if reissued:
        log_device_event(db, device["id"], "issued", changes.get("holder_name") or "", by_user, now)
    if status != device["status"]:
        log_device_event(db, device["id"], "status", status, by_user, now)


def set_device_status(db, device_id, status, by_user, now, detail=""):
    db.execute("UPDATE school_devices SET status = ?, updated_at = ? WHERE id = ?", [status, now, device_id])
    log_device_event(db, device_id, "status", status + (f": {detail}" if detail else ""), by_user, now)


def confirm_passcode(db, device_id, by_user, now):
    """Record that the holder has confirmed the device locks with a passcode."""
    db.execute("UPDATE school_devices SET passcode_confirmed_at = ?, updated_at = ? WHERE id = ?",
               [now, now, device_id])
    log_device_event(db, device_id, "passcode_confirmed", "", by_user, now)


# --- figures for the governing body's reports (aggregates only) -------------------------------------

def requests_by_outcome(db, lo, hi):
    """Count the period's device-use requests: refused on the spot, approved, declined, waiting."""
    return dict(db.execute("""
        SELECT CASE WHEN r.refused_rule IS NOT NULL THEN 'refused'
          ELSE coalesce((SELECT d.outcome FROM decisions d WHERE d.request_id = r.id
                         AND d.outcome IN ('approved', 'declined')), 'waiting') END, count(*)
        FROM device_requests r WHERE r.created_at >= :lo AND r.created_at < :hi GROUP BY 1""",
                         {"lo": lo, "hi": hi}).fetchall())


def school_devices_now(db, recheck_before):
    """Count devices lost or stolen, and issued ones in use with no recent passcode confirmation."""
    row = db.execute("""
        SELECT count(*) FILTER (WHERE status IN ('lost', 'stolen')),
               count(*) FILTER (WHERE status = 'in_use' AND issued_to IS NOT NULL
                                AND (passcode_confirmed_at IS NULL OR passcode_confirmed_at <= ?))
        FROM school_devices""", [recheck_before]).fetchone()
    return {"missing": row[0], "passcode": row[1]}

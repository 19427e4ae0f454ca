"""All SQL about enrolled school phones: keys, delivered items, credited concerns and answers."""
import json

from .. import change_log
from ..sync.store import UNVERIFIED

KEY_SELECT = ("SELECT k.*, d.asset_tag, d.status AS device_status, d.kind AS device_kind "
              "FROM school_phone_keys k JOIN school_devices d ON d.id = k.school_device_id")
UNKNOWN_PERSON = ("unknown-person@school-phone.invalid", "Unknown person")


def phone_key(db, kid):
    """Return a school phone's key with its device's asset tag and status, or None."""
    if not isinstance(kid, str) or len(kid) > 200:
        return None
    rows = list(db.query(KEY_SELECT + " WHERE k.kid = ?", [kid]))
    return rows[0] if rows else None


def live_key_of(db, school_device_id):
    """Return the device's key in force, or None if it is not enrolled."""
    rows = list(db.query(KEY_SELECT + " WHERE k.school_device_id = ? AND k.revoked_at IS NULL",
                         [school_device_id]))
    return rows[0] if rows else None


def enrol(db, kid, school_device_id, device_id, public_jwk, by, now):
    """Register a device's new key, revoking the one it had; the caller holds the transaction."""
    db.execute("UPDATE school_phone_keys SET revoked_at = ?, revoked_by = ?, revoked_why = ? "
               "WHERE school_device_id = ? AND revoked_at IS NULL AND kid != ?",
               [now, by, "the phone was enrolled again", school_device_id, kid])
    db.execute("INSERT OR IGNORE INTO school_phone_keys (kid, school_device_id, device_id, public_jwk, "
               "enrolled_at, enrolled_by) VALUES (?, ?, ?, ?, ?, ?)",
               [kid, school_device_id, device_id, public_jwk, now, by])


def revoke(db, school_device_id, by, why, now):
    """Stop the device's key in force from signing; return how many keys were revoked."""
    return db.execute("UPDATE school_phone_keys SET revoked_at = ?, revoked_by = ?, revoked_why = ? "
                      "WHERE school_device_id = ? AND revoked_at IS NULL",
                      [now, by, why, school_device_id]).rowcount


def mark_used(db, kids, now):
    for kid in kids:
        db.execute("UPDATE school_phone_keys SET last_used_at = ? WHERE kid = ?", [now, kid])


def contents_received(db, item_ids):
    """Return {item id: set of content hashes already received} for these ids (never a forged copy's)."""
    found = {}
    for start in range(0, len(item_ids), 500):
        chunk = item_ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for row in db.query(f"SELECT item_id, content_sha256 FROM school_phone_items WHERE item_id IN ({marks}) "
                            f"AND content_sha256 NOT LIKE '{UNVERIFIED}%'",
                            chunk):
            found.setdefault(row["item_id"], set()).add(row["content_sha256"])
    return found


def add_item(db, row):
    """Record one delivered item: stored, quarantined or conflict (a forged copy sent again keeps its row)."""
    row = {**row, "errors": json.dumps(row["errors"]) if row.get("errors") else None}
    columns = ("item_id", "content_sha256", "status", "kind", "created_at", "envelope", "key_kid",
               "school_device_id", "device_id", "received_at", "reason", "errors", "ref")
    db.execute(f"INSERT INTO school_phone_items ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
               "ON CONFLICT (item_id, content_sha256) DO NOTHING",
               [row.get(c) for c in columns])


def items_aside(db, limit=200):
    """Return items school phones delivered that were kept aside, newest first."""
    rows = list(db.query("SELECT i.*, d.asset_tag FROM school_phone_items i "
                         "LEFT JOIN school_devices d ON d.id = i.school_device_id "
                         "WHERE i.status != 'stored' ORDER BY i.received_at DESC, i.seq DESC LIMIT ?", [limit]))
    for row in rows:
        row["errors"] = json.loads(row["errors"]) if row["errors"] else {}
    return rows


def item_aside(db, seq):
    """Return one kept-aside item with its phone's asset tag, or None."""
    rows = list(db.query("SELECT i.*, d.asset_tag FROM school_phone_items i "
                         "LEFT JOIN school_devices d ON d.id = i.school_device_id "
                         "WHERE i.seq = ? AND i.status != 'stored'", [seq]))
    for row in rows:
        row["errors"] = json.loads(row["errors"]) if row["errors"] else {}
    return rows[0] if rows else None


def kept_aside_by_device(db, school_device_id, start, end):
    """Return (items, bytes) kept aside from one school phone between start and end (sync/quota.py)."""
    row = db.conn.execute("SELECT count(*), coalesce(sum(length(envelope)), 0) FROM school_phone_items "
                          "WHERE school_device_id = ? AND status != 'stored' AND received_at >= ? AND received_at < ?",
                          [school_device_id, start, end]).fetchone()
    return row[0], row[1]


def phones_at_cap(db, caps_reached):
    """Add each school phone's asset tag to the day's refusals of the cap on items kept aside."""
    tags = {r["id"]: r["asset_tag"] for r in db.query("SELECT id, asset_tag FROM school_devices")}
    return [{**r, "asset_tag": tags.get(int(r["who"].partition(":")[2]))} for r in caps_reached]


def count_aside(db):
    return db.execute("SELECT count(*) FROM school_phone_items WHERE status != 'stored'").fetchone()[0]


def unknown_person_id(db):
    """Return the account unknown authors are credited to, making it (never able to sign in) on first use."""
    email, name = UNKNOWN_PERSON
    row = db.execute("SELECT id FROM users WHERE email = ?", [email]).fetchone()
    if row:
        return row[0]
    return db.execute("INSERT INTO users (email, name, password_hash, active, created_at) "
                      "VALUES (?, ?, '!', 0, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))", [email, name]).lastrowid


def add_concern(db, concern_id, key, named_as, named_user_id, now):
    db.execute("INSERT INTO school_phone_concerns (concern_id, school_device_id, key_kid, named_as, named_user_id, "
               "received_at) VALUES (?, ?, ?, ?, ?, ?)",
               [concern_id, key["school_device_id"], key["kid"], named_as, named_user_id, now])


CREDIT_SELECT = ("SELECT p.*, d.asset_tag, a.answer, a.note, a.at AS answered_at, u.name AS named_name, "
                 "c.created_at AS logged_at "
                 "FROM school_phone_concerns p JOIN school_devices d ON d.id = p.school_device_id "
                 "JOIN concerns c ON c.id = p.concern_id "
                 "LEFT JOIN school_phone_answers a ON a.concern_id = p.concern_id "
                 "LEFT JOIN users u ON u.id = p.named_user_id")


def credits(db, concern_ids):
    """Return {concern id: how a school phone credited it, and any answer} for those logged on one."""
    ids = [int(i) for i in concern_ids]
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {r["concern_id"]: r for r in db.query(CREDIT_SELECT + f" WHERE p.concern_id IN ({marks})", ids)}


def questions_for(db, user_id):
    """Return the concerns logged in this person's name on a school phone, unanswered first, newest first."""
    return list(db.query(CREDIT_SELECT + " WHERE p.named_user_id = ? "
                         "ORDER BY a.answer IS NOT NULL, c.created_at DESC", [user_id]))


def count_unanswered(db, user_id):
    return db.execute("SELECT count(*) FROM school_phone_concerns p LEFT JOIN school_phone_answers a "
                      "ON a.concern_id = p.concern_id WHERE p.named_user_id = ? AND a.concern_id IS NULL",
                      [user_id]).fetchone()[0]


def add_answer(db, concern_id, user_id, answer, note, now):
    db.execute("INSERT INTO school_phone_answers (concern_id, user_id, answer, note, at) VALUES (?, ?, ?, ?, ?)",
               [concern_id, user_id, answer, note, now])


def named_changes(db, user_id, since):
    """Return the concerns logged in this person's name whose question changed after `since` (a change log position)."""
    changed, params = change_log.after("school_phone_question", "p.concern_id", since)
    return list(db.query(CREDIT_SELECT + f" WHERE p.named_user_id = ? AND {changed} ORDER BY p.concern_id",
                         [user_id] + params))


def not_confirmed_by(db, user_id):
    """Return the ids of concerns logged in this person's name that they have not confirmed (unanswered or denied)."""
    return {r[0] for r in db.execute(
        "SELECT p.concern_id FROM school_phone_concerns p LEFT JOIN school_phone_answers a "
        "ON a.concern_id = p.concern_id WHERE p.named_user_id = ? AND a.answer IS NOT 'confirmed'", [user_id])}

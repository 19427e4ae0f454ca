"""All SQL about device keys, received items and phones."""
import json
from contextlib import contextmanager

UNVERIFIED = "unverified:"  # starts the content key of an item that failed verification
ITEM_COLUMNS = ("item_id", "content_sha256", "status", "kind", "created_at", "envelope", "signed",
                "key_kid", "author_id", "uploader_id", "device_id", "received_at", "reason", "errors", "ref")


@contextmanager
def write_transaction(db):
    """Take the write lock at once (BEGIN IMMEDIATE) and commit everything at the end.

    Taking the lock first means concurrent pushes queue behind each other instead of failing
    with "database is locked" when a read turns into a write. Inside, `db.atomic()` nests as
    savepoints, so one item's rows can be undone without touching the others.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        with db.atomic():
            yield db
    except BaseException:
        db.rollback()
        raise
    db.commit()


class Savepoint:
    """Undo everything written inside a `with` block if it raises (a cheap, fixed-name savepoint)."""

    def __init__(self, db):
        self.conn = db.conn

    def __enter__(self):
        self.conn.execute("SAVEPOINT sync_item")

    def __exit__(self, kind, error, trace):
        if self.conn.in_transaction:  # an error may already have ended the whole transaction
            if kind is not None:
                self.conn.execute("ROLLBACK TO sync_item")
            self.conn.execute("RELEASE sync_item")
        return False


# Device keys -----------------------------------------------------------------------------

def device_key(db, kid):
    """Return a device key with its owner's name and whether the owner is active, or None."""
    rows = list(db.query(
        "SELECT k.*, u.name AS user_name, u.active AS user_active FROM device_keys k "
        "JOIN users u ON u.id = k.user_id WHERE k.kid = ?", [kid]))
    return rows[0] if rows else None


def add_device_key(db, kid, user_id, device_id, public_jwk, now):
    db.execute("INSERT INTO device_keys (kid, user_id, device_id, public_jwk, registered_at) "
               "VALUES (?, ?, ?, ?, ?)", [kid, user_id, device_id, public_jwk, now])


def device_keys(db):
    """Return every device key with its owner, live keys first."""
    return list(db.query(
        "SELECT k.*, u.name AS user_name, u.active AS user_active, r.name AS revoked_by_name "
        "FROM device_keys k JOIN users u ON u.id = k.user_id "
        "LEFT JOIN users r ON r.id = k.revoked_by "
        "ORDER BY (k.revoked_at IS NOT NULL OR u.active = 0), u.name, k.registered_at DESC"))


def revoke_device_key(db, kid, by, why, now):
    """Revoke a live key; return True if it was live."""
    cursor = db.execute("UPDATE device_keys SET revoked_at = ?, revoked_by = ?, revoked_why = ? "
                        "WHERE kid = ? AND revoked_at IS NULL", [now, by, why, kid])
    return cursor.rowcount == 1


def keys_of(db, user_id):
    """Return one person's device keys with the phone's last sync, live keys first."""
    return list(db.query(
        "SELECT k.*, p.last_sync_at FROM device_keys k LEFT JOIN phones p ON p.device_id = k.device_id "
        "WHERE k.user_id = ? ORDER BY (k.revoked_at IS NOT NULL), k.registered_at DESC", [user_id]))


def revoke_keys_of(db, user_id, by, why, now):
    """Revoke every live key of a person; return how many."""
    cursor = db.execute("UPDATE device_keys SET revoked_at = ?, revoked_by = ?, revoked_why = ? "
                        "WHERE user_id = ? AND revoked_at IS NULL", [now, by, why, user_id])
    return cursor.rowcount


def mark_keys_used(db, kids, now):
    for kid in kids:
        db.execute("UPDATE device_keys SET last_used_at = ? WHERE kid = ?", [now, kid])


# Received items --------------------------------------------------------------------------

def stored_ref(db, item_id):
    """Return the ref (`<table>:<id>`) of the item stored under this id, or None."""
    row = db.conn.execute("SELECT ref FROM sync_items WHERE item_id = ? AND status = 'stored'", [item_id]).fetchone()
    return row[0] if row else None


def contents_received(db, item_ids):
    """Return {item id: set of content hashes already received} for these ids, in one query.

    Items that failed verification are left out: they never take their id.
    """
    found = {}
    ids = json.dumps(item_ids)
    for row in db.conn.execute("SELECT item_id, content_sha256 FROM sync_items "
                               "WHERE item_id IN (SELECT value FROM json_each(?)) "
                               f"AND content_sha256 NOT LIKE '{UNVERIFIED}%' "
                               "UNION ALL SELECT item_id, content_sha256 FROM returned_items "
                               "WHERE item_id IN (SELECT value FROM json_each(?))", [ids, ids]):
        found.setdefault(row[0], set()).add(row[1])
    return found


def _values(row):
    values = [row.get(c) for c in ITEM_COLUMNS]
    if isinstance(row.get("errors"), dict):
        values[ITEM_COLUMNS.index("errors")] = json.dumps(row["errors"])
    return values


_INSERT_ITEM = f"INSERT INTO sync_items ({', '.join(ITEM_COLUMNS)}) VALUES ({', '.join('?' * len(ITEM_COLUMNS))})"


def add_item(db, row):
    """Insert one received item (a dict with ITEM_COLUMNS); return its seq.

    An item that failed verification and was kept before with this very signature keeps its row.
    """
    sql = _INSERT_ITEM + " ON CONFLICT (item_id, content_sha256) DO NOTHING" \
        if row["content_sha256"].startswith(UNVERIFIED) else _INSERT_ITEM
    return db.execute(sql, _values(row)).lastrowid


def add_stored_items(db, rows):
    """Insert many received items at once (inside the caller's transaction)."""
    db.conn.executemany(_INSERT_ITEM, [_values(row) for row in rows])


_ITEM_SELECT = (
    "SELECT i.*, a.name AS author_name, up.name AS uploader_name, rs.name AS resolved_by_name "
    "FROM sync_items i LEFT JOIN users a ON a.id = i.author_id "
    "JOIN users up ON up.id = i.uploader_id LEFT JOIN users rs ON rs.id = i.resolved_by ")


def _decoded(row):
    row = dict(row)
    row["errors"] = json.loads(row["errors"]) if row.get("errors") else {}
    return row


def items_needing_a_look(db):
    """Return quarantined and conflicting items nobody has dealt with, oldest first."""
    return [_decoded(r) for r in db.query(
        _ITEM_SELECT + "WHERE i.status != 'stored' AND i.resolved_at IS NULL ORDER BY i.received_at, i.seq")]


def items_dealt_with(db, limit=50):
    """Return the items a DSL dealt with most recently (resolved, or stored on a second try)."""
    return [_decoded(r) for r in db.query(
        _ITEM_SELECT + "WHERE i.resolved_at IS NOT NULL ORDER BY i.resolved_at DESC, i.seq DESC LIMIT ?",
        [limit])]


def count_needing_a_look(db):
    return db.execute("SELECT count(*) FROM sync_items WHERE status != 'stored' AND resolved_at IS NULL"
                      ).fetchone()[0]


def get_item(db, seq):
    rows = [_decoded(r) for r in db.query(_ITEM_SELECT + "WHERE i.seq = ?", [seq])]
    return rows[0] if rows else None


def row_for_item(db, table, item_id):
    """Return the id of the row in a domain's table that this item already wrote, or None.

    `table` comes from a Kind declaration in code, never from what a phone sent.
    """
    row = db.execute(f"SELECT id FROM {table} WHERE item_id = ?", [item_id]).fetchone()
    return row[0] if row else None


def has_stored(db, item_id):
    return db.execute("SELECT 1 FROM sync_items WHERE item_id = ? AND status = 'stored'",
                      [item_id]).fetchone() is not None


def mark_stored(db, seq, ref, author_id, by, now):
    """Record that a quarantined item was stored on a DSL's second try."""
    db.execute("UPDATE sync_items SET status = 'stored', ref = ?, author_id = ?, resolved_at = ?, "
               "resolved_by = ?, resolution = 'Stored when tried again.' WHERE seq = ?",
               [ref, author_id, now, by, seq])


def note_retry_failed(db, seq, reason, errors):
    db.execute("UPDATE sync_items SET reason = ?, errors = ? WHERE seq = ?",
               [reason, json.dumps(errors) if errors else None, seq])


def resolve_item(db, seq, by, note, now):
    """Mark a quarantined or conflicting item as dealt with (it is kept, never deleted)."""
    cursor = db.execute("UPDATE sync_items SET resolved_at = ?, resolved_by = ?, resolution = ? "
                        "WHERE seq = ? AND status != 'stored' AND resolved_at IS NULL", [now, by, note, seq])
    return cursor.rowcount == 1


# The daily cap on items kept aside (sync/quota.py) -------------------------------------

def kept_aside_by(db, uploader_id, start, end):
    """Return (items, bytes) that this account's pushes had kept aside between start and end."""
    row = db.conn.execute("SELECT count(*), coalesce(sum(length(envelope)), 0) FROM sync_items "
                          "WHERE uploader_id = ? AND status != 'stored' AND received_at >= ? AND received_at < ?",
                          [uploader_id, start, end]).fetchone()
    return row[0], row[1]


def note_cap_reached(db, who, day, now):
    """Count one push refused because `who` reached the day's cap on items kept aside."""
    db.execute("INSERT INTO sync_caps_reached (who, day, refused_pushes, first_refused_at, last_refused_at) "
               "VALUES (?, ?, 1, ?, ?) ON CONFLICT (who, day) DO UPDATE SET "
               "refused_pushes = refused_pushes + 1, last_refused_at = excluded.last_refused_at",
               [who, day, now, now])


def caps_reached(db, day, prefix):
    """Return the uploaders (`who` starting with prefix) whose pushes the cap refused on this day."""
    return [dict(r) for r in db.query("SELECT * FROM sync_caps_reached WHERE day = ? AND who LIKE ? "
                                      "ORDER BY last_refused_at DESC", [day, prefix + "%"])]


def accounts_at_cap(db, day):
    """Return the accounts the cap refused today, each with its name and how many pushes were refused."""
    rows = caps_reached(db, day, "user:")
    names = {r["id"]: r["name"] for r in db.query(
        "SELECT id, name FROM users WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps([int(r["who"].partition(":")[2]) for r in rows])])}
    return [{**r, "name": names.get(int(r["who"].partition(":")[2]), "Unknown account")} for r in rows]


# Returned items (refused by the form's checks, for their author to correct) ---------------

def add_returned(db, row):
    """Keep a returned item whole: its opened payload and the form's messages."""
    return db.execute(
        "INSERT INTO returned_items (item_id, content_sha256, kind, author_id, uploader_id, device_id, payload, "
        "errors, created_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [row["item_id"], row["content_sha256"], row["kind"], row["author_id"], row["uploader_id"],
         row["device_id"], json.dumps(row["payload"]), json.dumps(row["errors"]), row["created_at"],
         row["received_at"]]).lastrowid


def _returned(row):
    row = dict(row)
    row["payload"] = json.loads(row["payload"])
    row["errors"] = json.loads(row["errors"])
    return row


def returned_of(db, author_id, kinds=None):
    """Return the open returned items of one author (of these kinds), oldest first."""
    rows = db.query("SELECT * FROM returned_items WHERE author_id = ? AND status = 'open' "
                    "AND (? IS NULL OR kind IN (SELECT value FROM json_each(?))) ORDER BY received_at, id",
                    [author_id, None if kinds is None else 1, json.dumps(list(kinds or []))])
    return [_returned(r) for r in rows]


def get_returned(db, returned_id, author_id):
    """Return one returned item of this author (any status), or None."""
    rows = [_returned(r) for r in db.query("SELECT * FROM returned_items WHERE id = ? AND author_id = ?",
                                           [returned_id, author_id])]
    return rows[0] if rows else None


def close_returned(db, returned_id, status, now, ref=None, reason=None):
    """Mark an open returned item corrected (with the new item's ref) or discarded (with a reason)."""
    cursor = db.execute("UPDATE returned_items SET status = ?, corrected_ref = ?, discard_reason = ?, "
                        "closed_at = ? WHERE id = ? AND status = 'open'", [status, ref, reason, now, returned_id])
    return cursor.rowcount == 1


def count_returned_waiting(db, before):
    """Count open returned items received before this time (waiting on their authors)."""
    return db.execute("SELECT count(*) FROM returned_items WHERE status = 'open' AND received_at < ?",
                      [before]).fetchone()[0]


# Phones ----------------------------------------------------------------------------------

def record_phone(db, device_id, user_id, kind, waiting_count, oldest_waiting_at, now):
    """Remember what a phone said about itself when it last synced."""
    db.execute("""
        INSERT INTO phones (device_id, user_id, first_seen_at, last_sync_at, last_sync_kind,
                            waiting_count, oldest_waiting_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (device_id) DO UPDATE SET user_id = excluded.user_id,
            last_sync_at = excluded.last_sync_at, last_sync_kind = excluded.last_sync_kind,
            waiting_count = excluded.waiting_count, oldest_waiting_at = excluded.oldest_waiting_at
        """, [device_id, user_id, now, now, kind, waiting_count, oldest_waiting_at])


def phone(db, device_id):
    """Return what one phone said when it last synced, or None."""
    rows = list(db.query("SELECT * FROM phones WHERE device_id = ?", [device_id]))
    return rows[0] if rows else None


def holds_key_on(db, device_id, user_id):
    """Say whether this person has registered a signing key from this phone (stopped or not)."""
    return db.execute("SELECT 1 FROM device_keys WHERE device_id = ? AND user_id = ? LIMIT 1",
                      [device_id, user_id]).fetchone() is not None


def phones(db):
    """Return every phone that has synced, with the last person signed in on it."""
    return list(db.query(
        "SELECT p.*, u.name AS user_name FROM phones p LEFT JOIN users u ON u.id = p.user_id "
        "ORDER BY p.last_sync_at DESC"))


def phones_late(db, lo, hi, day_before):
    """Count phones that delivered items over a day old in the period, and that hold such items now."""
    delivered = db.execute(
        "SELECT count(DISTINCT device_id) FROM sync_items WHERE received_at >= ? AND received_at < ? "
        "AND created_at IS NOT NULL AND julianday(received_at) - julianday(created_at) > 1",
        [lo, hi]).fetchone()[0]
    holding = db.execute("SELECT count(*) FROM phones WHERE waiting_count > 0 AND oldest_waiting_at < ?",
                         [day_before]).fetchone()[0]
    return {"delivered_late": delivered, "holding_now": holding}

"""The hash chain: each entry's SHA-256 covers its fields and the hash of the entry before it."""
import hashlib
import json

GENESIS = "0" * 64
FIELDS = ("id", "at", "actor_id", "action", "subject", "detail", "prev_hash")


def canonical_detail(detail):
    """Serialise an entry's detail the one way the chain hashes it."""
    return json.dumps(detail or {}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(entry_id, at, actor_id, action, subject, detail, prev_hash):
    """Return the lowercase hex SHA-256 of an entry's canonical serialisation."""
    text = json.dumps([entry_id, at, actor_id, action, subject, detail, prev_hash],
                      separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def first_break(rows):
    """Return (entry id, what is wrong) for the first entry that breaks the chain, or None.

    `rows` are the log's entries in id order, each a mapping with FIELDS and `hash`.
    """
    expected_prev, expected_id = GENESIS, None
    for row in rows:
        if expected_id is not None and row["id"] != expected_id:
            return row["id"], f"entries {expected_id} to {row['id'] - 1} are missing"
        if row["prev_hash"] != expected_prev:
            return row["id"], "it does not carry the hash of the entry before it"
        if entry_hash(*(row[f] for f in FIELDS)) != row["hash"]:
            return row["id"], "its contents do not match its hash (changed after it was written)"
        expected_prev, expected_id = row["hash"], row["id"] + 1
    return None

"""What a phone says about itself at each sync (items waiting, the oldest's age): who may say it, and when it is written.

A person speaks only for a phone holding one of their signing keys (stopped ones too: they were made
there): what anyone says of another phone is ignored, so nobody can give another person's phone a
waiting count, nor hide one it has. A pull is a reader: it writes the phone's row only when what the
phone says has changed, when another person is signed in on it, or when its row is a minute old, so
a phone pulling again and again takes no write lock from the pushes.
"""
from datetime import timedelta

from ..clock import parse_iso
from . import store

PULL_RECORDED_EVERY = timedelta(minutes=1)


def on_push(db, device_id, user_id, waiting_count, oldest_waiting_at, now):
    """Record what a pushing phone said, inside the push's own write transaction."""
    if store.holds_key_on(db, device_id, user_id):
        store.record_phone(db, device_id, user_id, "push", waiting_count, oldest_waiting_at, now)


def on_pull(db, device_id, user_id, waiting_count, oldest_waiting_at, now):
    """Record what a pulling phone said if it is news; return True if a row was written."""
    if not store.holds_key_on(db, device_id, user_id):
        return False
    said = store.phone(db, device_id)
    if said is not None and not _news(said, user_id, waiting_count, oldest_waiting_at, now):
        return False
    store.record_phone(db, device_id, user_id, "pull", waiting_count, oldest_waiting_at, now)
    return True


def _news(said, user_id, waiting_count, oldest_waiting_at, now):
    if (said["user_id"], said["waiting_count"], said["oldest_waiting_at"]) != (user_id, waiting_count, oldest_waiting_at):
        return True
    return parse_iso(now) - parse_iso(said["last_sync_at"]) >= PULL_RECORDED_EVERY

"""Demo phones for the demo school: one up to date, one holding items for more than a day."""
from datetime import timedelta

from ..clock import iso, utcnow
from . import store

# (phone id, who last signed in on it, hours since its last sync, items waiting, oldest waiting hours ago)
PHONES = [
    ("3f2b7c1e-5a44-4c1b-9e0d-2d7a61c8b901", "teacher@demo.school", 1, 0, None),
    ("9a0c4d6e-1b2f-4e3a-8c5d-7f6e5d4c3b2a", "deputy.dsl@demo.school", 29, 2, 31),
    ("c81d2e3f-4a5b-4c6d-9e7f-0a1b2c3d4e5f", "head@demo.school", 3, 1, 4),
]


def seed(db, people):
    """Record what each demo phone said the last time it synced."""
    now = utcnow()
    for device_id, email, synced_hours_ago, waiting, oldest_hours_ago in PHONES:
        oldest = iso(now - timedelta(hours=oldest_hours_ago)) if oldest_hours_ago else None
        store.record_phone(db, device_id, people[email], "pull", waiting, oldest,
                           iso(now - timedelta(hours=synced_hours_ago)))

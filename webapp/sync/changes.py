"""What a phone pulls: every change its person may see since its cursor, never skipping one.

The cursor is the server's clock (ISO-8601 UTC, to the second) taken just BEFORE the domains are
asked for their changes. The next pull asks each domain for changes since that time minus
SYNC_PULL_OVERLAP_SECONDS. The overlap covers changes stamped before the cursor but committed after
it (a slow transaction) and changes sharing the cursor's second. So a change can arrive twice,
never zero times: the phone keeps the newest `changed_at` per (`type`, `id`).
"""
from datetime import timedelta

from ..clock import iso, parse_iso, utcnow


class BadCursor(ValueError):
    """The cursor is not one this server handed out."""


def since_for(cursor, now, overlap_seconds):
    """Return the ISO time domains are asked for changes after (None for everything)."""
    if cursor in (None, ""):
        return None
    try:
        moment = parse_iso(cursor)
    except (TypeError, ValueError):
        raise BadCursor(cursor) from None
    if len(cursor) > 40:
        raise BadCursor(cursor)
    return iso(min(moment, now) - timedelta(seconds=int(overlap_seconds)))


def gather(db, user, cursor, sources, overlap_seconds):
    """Return (changes ordered by changed_at, the cursor for the next pull)."""
    now = utcnow()
    since = since_for(cursor, now, overlap_seconds)
    changes = []
    for changes_since in sources:
        changes.extend(changes_since(db, user, since))
    changes.sort(key=lambda c: (str(c.get("changed_at") or ""), str(c.get("type")), str(c.get("id"))))
    return changes, iso(now)

"""What a phone pulls: every change its person may see since its cursor, never skipping one.

The cursor is a position in the change log (webapp/change_log.py), never a time: the `seq` and
`mark` of the newest change, read in the SAME read transaction as every source's query. The next
pull asks each source for its subjects logged after that `seq`. No overlap is needed, and no clock
can hide a change: SQLite lets one writer in at a time and each write takes its `seq` inside its own
transaction, so changes commit in `seq` order; the read transaction's WAL snapshot holds every
change up to the newest `seq` it sees and nothing after it, and whatever commits later has a larger
`seq`, found by the next pull. A change can arrive twice (a subject changed again), never zero times:
the phone keeps the last copy it is sent of each (`type`, `id`).

The cursor is opaque to the phone. A cursor this server could not have handed out is refused (400);
two kinds of cursor it did hand out are answered with everything, as a first pull is:
- a time (ISO-8601 UTC, to the second), the cursor of the server's previous version;
- a position the change log does not hold, as after restoring an older copy of the database.
"""
import re
from contextlib import contextmanager

from .. import change_log

POSITION = re.compile(r"([0-9]{1,18})\.([0-9a-f]{8}|0)")
OLD_CLOCK_CURSOR = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
START = (0, "0")  # the cursor of an empty change log


class BadCursor(ValueError):
    """The cursor is not one this server handed out."""


def parse(cursor):
    """Return the (seq, mark) a cursor names, or None for everything; raise BadCursor if it names nothing."""
    if cursor in (None, "") or OLD_CLOCK_CURSOR.fullmatch(cursor):
        return None
    found = POSITION.fullmatch(cursor)
    if not found:
        raise BadCursor(cursor)
    return int(found[1]), found[2]


def cursor_for(position):
    seq, mark = position
    return f"{seq}.{mark}"


@contextmanager
def read_transaction(db):
    """Read from one snapshot of the database: BEGIN (deferred) takes it at the first read."""
    db.begin()
    try:
        yield db
    finally:
        db.rollback()  # nothing was written: this only lets the snapshot go


def _since(db, position):
    """Return the seq the sources are asked for changes after (None: everything)."""
    if position is None:
        return None
    seq, mark = position
    if (seq, mark) == START or change_log.holds(db, seq, mark):
        return seq
    return None


def gather(db, user, cursor, sources):
    """Return (changes ordered by changed_at, the cursor for the next pull, whether they are everything).

    Everything is every record this person may see, not changes since the cursor: the phone replaces
    what it kept with it, so a record destroyed while its cursor was stale does not stay on it."""
    position = parse(cursor)
    with read_transaction(db):
        newest = change_log.newest(db) or START
        since = _since(db, position)
        changes = []
        for changes_since in sources:
            changes.extend(changes_since(db, user, since))
    changes.sort(key=lambda c: (str(c.get("changed_at") or ""), str(c.get("type")), str(c.get("id"))))
    return changes, cursor_for(newest), since is None

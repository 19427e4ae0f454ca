"""A daily cap on what one uploader may have kept aside for the DSLs, in items and in bytes.

Items that are kept aside (`quarantined`, `conflict`) are stored whole for a DSL to read, so
without a cap one account, or one school phone, could fill the DSLs' list and the disk. Each
uploader is charged: the signed-in account that sends a push, or, for a school phone's push
with nobody signed in, that school phone. The day is the school's day (SCHOOL_TIMEZONE). A push
that would keep aside more than the cap allows is refused whole, nothing of it stored (the phone
keeps every item), and answered 429 with Retry-After until the school's next day; the refusal is
recorded so that DSLs see the cap was reached. Pushes that keep nothing aside go on as usual.
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Callable

from flask import current_app, jsonify

from ..clock import iso, local, parse_iso, school_zone, utcnow
from . import store

TOO_MUCH = ("Too many items {whose} have been kept aside today for a DSL to look at (at most {items} or "
            "{size} a day). Nothing in this push was accepted: this phone keeps every item, sends the others "
            "in smaller pushes, and the ones that would be kept aside tomorrow. Tell a DSL if this keeps happening.")


class OverQuota(Exception):
    """Keeping one more item aside would pass its uploader's cap for today."""

    def __init__(self, allowance):
        super().__init__(f"over the daily cap on items kept aside ({allowance.who})")
        self.allowance = allowance


@dataclass
class Allowance:
    """What one uploader has kept aside today, against the caps; read from the database on first use."""

    who: str  # "user:<id>" or "school_device:<id>"
    day: str  # the school's date, YYYY-MM-DD
    starts_at: str  # the school day's bounds, ISO UTC
    ends_at: str
    max_items: int
    max_bytes: int
    load: Callable  # (db, starts_at, ends_at) -> (items, bytes) this uploader has kept aside in that time
    used: tuple | None = None  # (items, bytes) kept aside today, once read

    def take(self, db, size):
        """Count one more item of `size` bytes kept aside, or raise OverQuota if it would pass a cap."""
        if self.used is None:
            self.used = tuple(self.load(db, self.starts_at, self.ends_at))
        items, size_so_far = self.used
        if items + 1 > self.max_items or size_so_far + size > self.max_bytes:
            raise OverQuota(self)
        self.used = (items + 1, size_so_far + size)

    def seconds_left(self, now):
        """Return the seconds from now until the school's next day (at least 1)."""
        return max(int((parse_iso(self.ends_at) - now).total_seconds()), 1)


def school_day(now):
    """Return (date, start, end) of the school's day holding `now`, the bounds as ISO UTC text."""
    day = local(now).date()
    zone = school_zone()
    start = datetime.combine(day, time(), zone)
    end = datetime.combine(day + timedelta(days=1), time(), zone)
    return day.isoformat(), iso(start), iso(end)


def allowance(who, now_text, load):
    """Return an uploader's allowance for the school day of `now_text`; `load` reads what they kept aside."""
    day, start, end = school_day(parse_iso(now_text))
    config = current_app.config
    return Allowance(who, day, start, end, int(config["SYNC_QUARANTINE_ITEMS_PER_DAY"]),
                     int(config["SYNC_QUARANTINE_BYTES_PER_DAY"]), load)


def for_account(user_id, now_text):
    """Return the allowance of the signed-in account that sends a push."""
    return allowance(f"user:{user_id}", now_text,
                     lambda db, start, end: store.kept_aside_by(db, user_id, start, end))


def _size(limit):
    return f"{limit / 2 ** 20:.0f} MB" if limit >= 2 ** 20 else f"{max(limit // 1024, 1)} KB"


def refuse(db, over, whose="from you"):
    """Record that the cap was reached (in a transaction of its own) and answer 429 with Retry-After.

    The push's own transaction has already been rolled back: nothing of it is stored.
    """
    allowance = over.allowance
    now = utcnow()
    with store.write_transaction(db):
        store.note_cap_reached(db, allowance.who, allowance.day, iso(now))
    current_app.logger.warning("Push refused: %s reached the daily cap on items kept aside", allowance.who)
    items = f"{allowance.max_items} item" + ("s" if allowance.max_items != 1 else "")
    message = TOO_MUCH.format(whose=whose, items=items, size=_size(allowance.max_bytes))
    response = jsonify({"error": message, "status": 429,
                        "errors": {"items": ["Too much kept aside today: try again tomorrow."]}})
    response.status_code = 429
    response.headers["Retry-After"] = str(allowance.seconds_left(now))
    return response


def caps(config):
    """Return the caps in plain words, for the DSLs' pages."""
    return {"count": int(config["SYNC_QUARANTINE_ITEMS_PER_DAY"]),
            "size": _size(int(config["SYNC_QUARANTINE_BYTES_PER_DAY"]))}


def today(now):
    """Return the school's date of `now` (for listing today's refusals)."""
    return school_day(now)[0]

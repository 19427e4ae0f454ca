"""Time in one place: stored in UTC, shown and entered in the school's time zone."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app

# How far ahead of the server a phone's clock may run before a time it enters counts as "in the
# future": the server's forms and the phone's own checks both use this one allowance.
CLOCK_SKEW = timedelta(minutes=2)


def utcnow():
    """Return the current time in UTC, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def iso(dt):
    """Format an aware datetime as ISO-8601 UTC text for storage."""
    return dt.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_iso(text):
    """Parse stored ISO-8601 text back into an aware UTC datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def school_zone():
    return ZoneInfo(current_app.config["SCHOOL_TIMEZONE"])


def local(dt):
    """Convert a UTC datetime (or stored text) to the school's time zone."""
    if isinstance(dt, str):
        dt = parse_iso(dt)
    try:
        return dt.astimezone(school_zone())
    except OverflowError:  # at the very ends of the calendar the zone's offset would leave it: stay in UTC
        return dt


def from_local_naive(naive):
    """Interpret a naive datetime typed by a person as school time; return UTC."""
    return naive.replace(tzinfo=school_zone()).astimezone(timezone.utc)


def display(dt):
    """Format a time for people: '25 Nov 2026, 14:05'."""
    if not dt:
        return ""
    try:
        return local(dt).strftime("%-d %b %Y, %H:%M")
    except (OverflowError, ValueError, TypeError):  # a time at the very ends of the calendar, or not a time
        try:
            moment = parse_iso(dt) if isinstance(dt, str) else dt
            return moment.strftime("%-d %b %Y, %H:%M UTC")
        except (OverflowError, ValueError, TypeError, AttributeError):
            return str(dt)

"""Times people type (school time, datetime-local) or phones send (ISO-8601): one way to read them."""
from datetime import datetime, timezone

from wtforms import Field
from wtforms.widgets import DateTimeLocalInput

from .clock import from_local_naive, local

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
# The years a typed or synced time may fall in (the phone is told the same bounds and words).
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
TIME_FORMAT_MESSAGE = "Enter the date and time like 25/11/2026 14:05."


def parse_school_time(text):
    """Read a typed or synced time: datetime-local is school time, an offset or Z is exact; return UTC."""
    text = str(text).strip()
    if len(text) < 16 or text[10] not in "T ":
        raise ValueError(text)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00")).replace(microsecond=0)
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise ValueError(text)
    if moment.tzinfo is None:
        return from_local_naive(moment.replace(second=0))
    return moment.astimezone(timezone.utc)


def typed_time(moment):
    """Format a stored time (or aware datetime) as a datetime-local value in school time."""
    return local(moment).strftime(LOCAL_FORMAT) if moment else ""


class SchoolTimeField(Field):
    """A date and time entered in the school's time zone; its data is an aware UTC datetime."""

    widget = DateTimeLocalInput()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return typed_time(self.data)

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and str(valuelist[0]).strip():
            try:
                self.data = parse_school_time(valuelist[0])
            except (ValueError, OverflowError):
                raise ValueError(TIME_FORMAT_MESSAGE) from None

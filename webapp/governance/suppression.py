"""Small-number suppression: the one place any report figure is turned into what people see.

Any count from 1 to 2 is shown as "fewer than 3", so that a single incident cannot be
recognised from the report. Tables, charts and the CSV download all use `shown`.
"""
from dataclasses import dataclass

THRESHOLD = 3
SUPPRESSED = "fewer than 3"


@dataclass(frozen=True)
class Figure:
    """A count as published: the words to show, and the number to draw (None when suppressed)."""

    text: str
    value: int | None

    @property
    def suppressed(self):
        return self.value is None

    def __str__(self):
        return self.text


def shown(count):
    """Return a count as it may be published: 0 and 3 or more as they are, 1 and 2 suppressed."""
    count = int(count or 0)
    if 0 < count < THRESHOLD:
        return Figure(SUPPRESSED, None)
    return Figure(str(count), count)


def enough(count):
    """Say whether a figure built from `count` cases (a median, a slowest time) may be published."""
    return int(count or 0) >= THRESHOLD

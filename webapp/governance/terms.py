"""The school calendar: school years and terms, as calendar dates in the school's time zone.

A school year begins on 1 September. Terms are fixed so that reports are comparable from one
year to the next (the real holidays move with Easter; these dates do not):

- autumn: 1 September to 31 December
- spring: 1 January to 31 March
- summer: 1 April to 31 August
"""
from datetime import date, timedelta

from .. import clock

TERMS = (("Spring", 1, 3), ("Summer", 4, 8), ("Autumn", 9, 12))


def today():
    """Return today's date in the school's time zone."""
    return clock.local(clock.utcnow()).date()


def school_year_of(day):
    """Return the calendar year in which the school year holding `day` began."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_label(year):
    """Name a school year as people do: '2026 to 2027'."""
    return f"{year} to {year + 1}"


def term_of(day):
    """Return (name, first day, last day) of the term holding `day`."""
    for name, first_month, last_month in TERMS:
        if first_month <= day.month <= last_month:
            last = date(day.year + (last_month == 12), last_month % 12 + 1, 1) - timedelta(days=1)
            return f"{name} term {day.year}", date(day.year, first_month, 1), last
    raise ValueError(day)  # pragma: no cover - every month is in a term


def add_years(day, years):
    """Return the same day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def month_end(day):
    """Return the last day of the month holding `day`."""
    if day.month == 12:
        return day.replace(day=31)
    return day.replace(month=day.month + 1, day=1) - timedelta(days=1)

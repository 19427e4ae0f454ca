"""The school calendar and the one small-number suppression rule."""
from datetime import date

import pytest

from webapp.governance.charts import bar_chart
from webapp.governance.reports import Table, hours_text
from webapp.governance.suppression import shown
from webapp.governance.terms import add_years, school_year_of, term_of


@pytest.mark.parametrize("day, year", [(date(2026, 8, 31), 2025), (date(2026, 9, 1), 2026),
                                       (date(2027, 1, 1), 2026), (date(2027, 7, 20), 2026)])
def test_a_school_year_starts_on_1_september(day, year):
    assert school_year_of(day) == year


@pytest.mark.parametrize("day, expected", [
    (date(2026, 9, 1), ("Autumn term 2026", date(2026, 9, 1), date(2026, 12, 31))),
    (date(2026, 12, 31), ("Autumn term 2026", date(2026, 9, 1), date(2026, 12, 31))),
    (date(2027, 1, 1), ("Spring term 2027", date(2027, 1, 1), date(2027, 3, 31))),
    (date(2027, 4, 1), ("Summer term 2027", date(2027, 4, 1), date(2027, 8, 31))),
    (date(2027, 8, 31), ("Summer term 2027", date(2027, 4, 1), date(2027, 8, 31))),
])
def test_terms(day, expected):
    assert term_of(day) == expected


def test_a_year_after_29_february():
    assert add_years(date(2028, 2, 29), 1) == date(2029, 2, 28)


@pytest.mark.parametrize("count, text, value", [(0, "0", 0), (1, "fewer than 3", None), (2, "fewer than 3", None),
                                                (3, "3", 3), (17, "17", 17), (None, "0", 0)])
def test_counts_of_one_and_two_are_suppressed(count, text, value):
    assert (shown(count).text, shown(count).value) == (text, value)


def test_a_chart_draws_one_and_two_exactly_alike():
    one = bar_chart(Table("t", "Things", "Thing", [("a", shown(1)), ("b", shown(9))], chart=True))
    two = bar_chart(Table("t", "Things", "Thing", [("a", shown(2)), ("b", shown(9))], chart=True))
    assert one == two and "fewer than 3" in one


@pytest.mark.parametrize("hours, text", [(None, "none yet"), (0.2, "under an hour"), (1, "1 hour"), (30, "30 hours"),
                                         (47.4, "47 hours"), (50, "2 days"), (240, "10 days")])
def test_durations_are_coarse(hours, text):
    assert hours_text(hours) == text

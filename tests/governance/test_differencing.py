"""The differencing attack on the governing body's report: subtracting, and comparing periods, recovers nothing.

The attacker reads /reports.csv for every run of whole months and for date ranges moved one day at a
time, writes every figure as an equation over the unknown (category, month) counts, solves the
equations exactly, then narrows every count by the "fewer than 3" bounds until nothing changes.
"""
import csv
import io
import math
from datetime import date, datetime, timedelta, timezone
from fractions import Fraction

import pytest
import time_machine

from webapp.concerns.categories import CATEGORIES
from webapp.governance import differencing

from .conftest import add_concern

LABELS = {c.label: c.key for c in CATEGORIES}
MONTHS = [(2027, 1), (2027, 2), (2027, 3), (2027, 4)]
NAMES = {date(y, m, 1).strftime("%B %Y"): (y, m) for y, m in MONTHS}
# (category, month) -> how many concerns; a 1 beside a large count, a 1 beside a 3, two 2s, a lone 1.
SEEDED = {("restricted_area", 1): 5, ("abusive_message", 1): 1, ("school_device", 1): 4,
          ("restricted_area", 2): 3, ("offensive_content", 2): 1,
          ("abusive_message", 3): 2, ("school_device", 3): 2, ("restricted_area", 3): 6,
          ("other_online_safety", 4): 1}
NOW = datetime(2027, 6, 15, 12, 0, tzinfo=timezone.utc)
BIG = 60


def seed(db, people):
    for (category, month), count in SEEDED.items():
        for n in range(count):
            add_concern(db, people, category, f"2027-{month:02d}-{3 + 5 * n:02d}T09:00:00Z")


def month_end(year, month):
    return (date(year, month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def periods():
    """Every run of whole months, then ranges whose end moves one day at a time through February."""
    for i, (y1, m1) in enumerate(MONTHS):
        for y2, m2 in MONTHS[i:]:
            yield date(y1, m1, 1), month_end(y2, m2)
    for day in range(1, 29):
        yield date(2027, 1, 1), date(2027, 2, day)
        yield date(2027, 2, day), date(2027, 2, 28)


def months_between(first, last):
    return [(y, m) for y, m in MONTHS if date(y, m, 1) <= last and month_end(y, m) >= first]


def read_figures(client):
    """Return [(cells, words)]: each published figure and the (category, month) cells it adds up."""
    figures = []
    for first, last in periods():
        text = client.get(f"/reports.csv?from={first}&to={last}").get_data(as_text=True)
        covered = months_between(first, last)
        for table, measure, value in list(csv.reader(io.StringIO(text)))[1:]:
            if table == "Concerns by category" and measure in LABELS:
                cells = [(LABELS[measure], m) for _, m in covered]
            elif table == "Concerns by category" and measure == "All concerns":
                cells = [(c.key, m) for c in CATEGORIES for _, m in covered]
            elif table == "Concerns by month logged":
                cells = [(c.key, NAMES[measure][1]) for c in CATEGORIES]
            else:
                continue
            figures.append((frozenset(cells), value))
    return figures


def solve(figures):
    """Return {cell: (low, high)}: what the published figures say about each count."""
    cells = sorted({c for cs, _ in figures for c in cs})
    rows = [([Fraction(int(c in cs)) for c in cells], Fraction(int(v))) for cs, v in figures if v.isdigit()]
    rows = echelon(rows)
    bounds = {c: [0, BIG] for c in cells}
    constraints = [([cells[i] for i, a in enumerate(r) if a], [a for a in r if a], v, v) for r, v in rows]
    constraints += [(list(cs), [1] * len(cs), 1, 2) for cs, v in figures if v == "fewer than 3"]
    changed = True
    while changed:
        changed = False
        for names, coeffs, low, high in constraints:
            for n, a in zip(names, coeffs):
                rest = [(b, bounds[o]) for o, b in zip(names, coeffs) if o != n]
                rest_low = sum(min(b * lo, b * hi) for b, (lo, hi) in rest)
                rest_high = sum(max(b * lo, b * hi) for b, (lo, hi) in rest)
                lo, hi = sorted([Fraction(low - rest_high) / a, Fraction(high - rest_low) / a])
                new = [max(bounds[n][0], math.ceil(lo)), min(bounds[n][1], math.floor(hi))]
                if new != bounds[n]:
                    bounds[n], changed = new, True
    assert all(lo <= hi for lo, hi in bounds.values()), "the figures published contradict each other"
    return {c: tuple(b) for c, b in bounds.items()}


def echelon(rows):
    """Reduce the equations to echelon form, so differences of any of them are found too."""
    rows = [(list(r), v) for r, v in rows]
    pivot_row = 0
    for col in range(len(rows[0][0]) if rows else 0):
        pick = next((i for i in range(pivot_row, len(rows)) if rows[i][0][col]), None)
        if pick is None:
            continue
        rows[pivot_row], rows[pick] = rows[pick], rows[pivot_row]
        r, v = rows[pivot_row]
        r, v = [a / r[col] for a in r], v / r[col]
        rows[pivot_row] = (r, v)
        for i in range(len(rows)):
            if i != pivot_row and rows[i][0][col]:
                f = rows[i][0][col]
                rows[i] = ([a - f * b for a, b in zip(rows[i][0], r)], rows[i][1] - f * v)
        pivot_row += 1
    return [(r, v) for r, v in rows if any(r)]


def recovered(bounds):
    """Return the small counts (1 or 2) the attacker now knows exactly."""
    return {cell: SEEDED[cell] for cell in SEEDED
            if SEEDED[cell] < 3 and bounds.get(cell, (0, BIG))[0] == bounds.get(cell, (0, BIG))[1]}


@pytest.fixture
def attack(app, db, people, client, auth):
    seed(db, people)
    with time_machine.travel(NOW, tick=False):
        auth.login("governor")
        yield lambda: recovered(solve(read_figures(client)))


def test_the_differencing_attack_recovers_no_small_count(attack):
    assert attack() == {}


def test_the_attack_recovers_counts_when_only_small_numbers_are_hidden(attack, monkeypatch):
    """The same attack on the old rule (hide 1 and 2, publish every total) finds the hidden counts."""
    def small_only(values, total_status):
        return {k: differencing.SMALL for k, v in values.items() if 0 < v < 3}, differencing.SHOWN
    monkeypatch.setattr(differencing, "protect_month", small_only)
    monkeypatch.setattr("webapp.governance.reports.protect_month", small_only)
    monkeypatch.setattr(differencing, "over_months", lambda cells: differencing.figure(
        sum(v for v, _ in cells), differencing.SMALL if 0 < sum(v for v, _ in cells) < 3 else differencing.SHOWN))
    monkeypatch.setattr("webapp.governance.reports.over_months", differencing.over_months)
    assert ("abusive_message", 1) in attack() and ("other_online_safety", 4) in attack()


def test_moving_the_dates_a_day_at_a_time_changes_nothing_within_a_month(app, db, people, client, auth):
    seed(db, people)
    with time_machine.travel(NOW, tick=False):
        auth.login("governor")
        whole = client.get("/reports.csv?from=2027-02-01&to=2027-02-28").get_data(as_text=True)
        for day in range(1, 29):
            moved = client.get(f"/reports.csv?from=2027-02-01&to=2027-02-{day:02d}").get_data(as_text=True)
            assert moved == whole
        page = " ".join(client.get("/reports?from=2027-02-03&to=2027-02-10").get_data(as_text=True).split())
    assert "Reports cover whole months only, so this report covers 1 February 2027 to 28 February 2027" in page
    assert "from 3 February 2027 to 10 February 2027" in page


@pytest.mark.parametrize("values, hidden", [
    ({"a": 1, "b": 9}, {"a", "b"}), ({"a": 2, "b": 1, "c": 1}, {"a", "b", "c"}), ({"a": 5, "b": 0}, set())])
def test_a_small_count_is_never_hidden_alone_when_the_total_is_known(values, hidden):
    status, total = differencing.protect_month(values, differencing.SHOWN)
    assert set(status) == hidden and total == differencing.SHOWN


def test_the_total_is_hidden_when_no_other_count_can_cover_for_a_small_one():
    status, total = differencing.protect_month({"a": 1, "b": 3}, differencing.SHOWN)
    assert status == {"a": differencing.SMALL} and total == differencing.HIDDEN

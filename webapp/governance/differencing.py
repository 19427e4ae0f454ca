"""Complementary suppression: no total, margin or other period's report lets a hidden count be worked out.

Every count the report publishes about a period is a sum of monthly cells (one per row and month),
and reports cover whole months only. Each month is protected on its own, from that month's figures
only, so a cell is hidden in every report that includes its month, whatever dates are asked for.
In a month whose total is published, a hidden count of 1 or 2 is never alone: another count is
hidden with it, chosen so that subtracting from the total leaves more than one possibility; when no
count can do that, the month's total is hidden instead. A row's figure over several months is
shown only when none of its months hides it.
"""
from .suppression import SUPPRESSED, THRESHOLD, Figure

SHOWN, SMALL, HIDDEN, UNPUBLISHED = "shown", "small", "hidden", "unpublished"
NOT_SHOWN = "not shown"
# What a reader can tell about a hidden cell from its words alone (upper bound None: no bound).
BOUNDS = {SMALL: (1, THRESHOLD - 1), HIDDEN: (THRESHOLD, None)}


def _range(values, status, key, total):
    """Return the (low, high) a reader can deduce for one hidden cell from the month's total."""
    rest = total - sum(v for k, v in values.items() if k not in status)
    others = [BOUNDS[s] for k, s in status.items() if k != key]
    low, high = BOUNDS[status[key]]
    low = low if any(b[1] is None for b in others) else max(low, rest - sum(b[1] for b in others))
    top = rest - sum(b[0] for b in others)
    return low, top if high is None else min(high, top)


def determined(values, status, total):
    """Say whether some hidden cell of a month could be worked out exactly from its total."""
    return any(low >= high for low, high in (_range(values, status, k, total) for k in status))


def protect_month(values, total_status):
    """Return ({key: SMALL or HIDDEN}, total's status) for one month's counts in one table."""
    status = {k: SMALL for k, v in values.items() if 0 < v < THRESHOLD}
    if total_status in (SMALL, UNPUBLISHED):
        return status, total_status
    shown = sorted((v, k) for k, v in values.items() if k not in status and v >= THRESHOLD)
    if total_status == HIDDEN:
        # The total is hidden because of another table: this one must not give it away either.
        if shown:
            status[shown[-1][1]] = HIDDEN
        return status, HIDDEN
    total = sum(values.values())
    while status and determined(values, status, total):
        if not shown:
            return {k: SMALL for k, v in values.items() if 0 < v < THRESHOLD}, HIDDEN
        enough = [k for v, k in shown if not determined(values, {**status, k: HIDDEN}, total)]
        pick = enough[0] if enough else shown[-1][1]
        status[pick] = HIDDEN
        shown = [(v, k) for v, k in shown if k != pick]
    return status, SHOWN


def protect_partitions(tables, total):
    """Protect one month of several tables that each divide the month's total between their rows."""
    total_status = SMALL if 0 < total < THRESHOLD else SHOWN
    done = {name: protect_month(values, total_status) for name, values in tables.items()}
    if any(status == HIDDEN for _, status in done.values()):
        total_status = HIDDEN
        done = {name: protect_month(values, HIDDEN) for name, values in tables.items()}
    return {name: cells for name, (cells, _) in done.items()}, total_status


def figure(value, status):
    """Return one cell as published."""
    if status == SMALL:
        return Figure(SUPPRESSED, None)
    if status == HIDDEN:
        return Figure(NOT_SHOWN, None)
    return Figure(str(value), value)


def over_months(cells):
    """Return the published figure of a row over several months from its [(value, status)] cells."""
    hidden = [(v, s) for v, s in cells if s in (SMALL, HIDDEN)]
    if not hidden:
        total = sum(v for v, _ in cells)
        return Figure(str(total), total)
    if len(hidden) == 1 and sum(v for v, _ in cells) == hidden[0][0]:
        return figure(*hidden[0])  # every other month is 0: the row is that one cell
    return Figure(NOT_SHOWN, None)

"""The governing body's report (4.4): anonymised tables built from aggregate figures only."""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from .. import clock
from ..concerns import store as concerns
from ..concerns.categories import CATEGORIES
from ..concerns.chronology import CLOSING_KINDS, KINDS, kind_label
from ..permissions import store as permissions
from ..permissions.devices import PASSCODE_RECHECK
from ..permissions.rules import RULES
from ..sync import store as sync
from . import store, terms
from .policy import review_state
from .differencing import SMALL, SHOWN, UNPUBLISHED, figure, over_months, protect_month, protect_partitions
from .suppression import enough, shown

MAX_YEARS = 5
AGE_BANDS = [("week", 7, "Under a week"), ("month", 28, "1 to 4 weeks"),
             ("term", 84, "4 to 12 weeks"), ("older", None, "Over 12 weeks")]
# Chronology entries that say something was done; notes, assignment and closing are counted elsewhere.
ACTION_KINDS = [k.key for k in KINDS if k.key not in {"note", "status_change", "assignment"} | CLOSING_KINDS]
REQUEST_OUTCOMES = [("approved", "Approved by the headteacher"), ("declined", "Declined by the headteacher"),
                    ("refused", "Refused on the spot by a rule of the policy"), ("waiting", "Waiting for a decision")]


@dataclass(frozen=True)
class Period:
    """The dates a report covers, both included, as calendar dates in the school's time zone."""

    start: date
    end: date
    name: str = ""

    @property
    def label(self):
        span = f"{self.start.strftime('%-d %B %Y')} to {self.end.strftime('%-d %B %Y')}"
        return f"{self.name} ({span})" if self.name else span

    def bounds(self):
        """Return the period as ISO UTC text: first instant, and the instant after its last day."""
        first = clock.from_local_naive(datetime.combine(self.start, time()))
        after = clock.from_local_naive(datetime.combine(self.end + timedelta(days=1), time()))
        return clock.iso(first), clock.iso(after)


def choose_period(form):
    """Return the whole months a validated form asks for; the current term when it gives no dates."""
    start, end = form.start.data, form.end.data
    if not start and not end:
        name, first, last = terms.term_of(terms.today())
        return Period(first, last, name)
    start = start or terms.term_of(end)[1]
    end = end or terms.term_of(start)[2]
    if end < start:
        form.end.errors.append("The end of the period cannot be before its start.")
    elif end > terms.add_years(start, MAX_YEARS):
        form.end.errors.append(f"Choose a period of at most {MAX_YEARS} years.")
    else:
        return whole_months(start, end)
    return None


def whole_months(start, end):
    """Widen dates to whole months (a term when they are exactly one), so no report covers part of a month."""
    first, last = start.replace(day=1), terms.month_end(end)
    name, term_first, term_last = terms.term_of(first)
    return Period(first, last, name if (term_first, term_last) == (first, last) else "")


@dataclass
class Table:
    """One table of the report, drawn as a chart too when `chart` is set."""

    key: str
    title: str
    heading: str
    rows: list = field(default_factory=list)  # (label, Figure or text)
    chart: bool = False
    note: str = ""


def hours_text(hours):
    """Describe a duration coarsely: hours up to two days, then days."""
    if hours is None:
        return "none yet"
    if hours < 1:
        return "under an hour"
    if hours < 48:
        return f"{round(hours)} hour{'s' if round(hours) != 1 else ''}"
    return f"{round(hours / 24)} days"


def _counted(pairs, keys_labels):
    return [(label, shown(pairs.get(key, 0))) for key, label in keys_labels]


def _months(period):
    """Return the period's months as [(label, Period)]."""
    months, day = [], period.start.replace(day=1)
    while day <= period.end:
        months.append((day.strftime("%B %Y"), Period(day, terms.month_end(day))))
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def _rows(months, cells, keys_labels):
    """Return a table's rows over the period from each month's {key: (value, status)}."""
    return [(label, over_months([cells[m].get(key, (0, SHOWN)) for m in months])) for key, label in keys_labels]


def _with_status(values, status):
    return {k: (v, status.get(k, SHOWN)) for k, v in values.items()}


def concern_cells(db, months, now):
    """Count each month's concerns three ways (category, where they stand, any DSL action), protected."""
    cells, totals = {}, {}
    for label, month in months:
        lo, hi = month.bounds()
        tables = {"category": concerns.concerns_by_category(db, lo, hi),
                  "standing": concerns.concerns_closed(db, lo, hi, now)}
        total = sum(tables["category"].values())
        without = concerns.concerns_without_action(db, lo, hi)
        tables["action"] = {"with": total - without, "without": without}
        statuses, total_status = protect_partitions(tables, total)
        actions = concerns.actions_recorded(db, lo, hi, now)
        tables["kinds"] = actions
        statuses["kinds"] = protect_month(actions, UNPUBLISHED)[0]
        cells[label] = {name: _with_status(values, statuses[name]) for name, values in tables.items()}
        totals[label] = (total, total_status)
    return cells, totals


def concern_tables(db, period, now):
    months = _months(period)
    cells, totals = concern_cells(db, months, now)
    names = [label for label, _ in months]
    part = {name: {m: cells[m][name] for m in names} for name in ("category", "standing", "action", "kinds")}
    lo, hi = period.bounds()
    return [
        Table("concerns_by_category", "Concerns by category", "Category",
              _rows(names, part["category"], [(c.key, c.label) for c in CATEGORIES])
              + [("All concerns", over_months([totals[m] for m in names]))], chart=True),
        Table("concerns_by_month", "Concerns by month logged", "Month",
              [(m, figure(*totals[m])) for m in names], chart=True),
        Table("concern_outcomes", "Where the period's concerns stand today", "Status",
              _rows(names, part["standing"], [("closed", "Closed"), ("open", "Still open")])),
        Table("concern_actions", "Actions recorded on the period's concerns", "Action",
              _rows(names, part["kinds"], [(k, kind_label(k)) for k in ACTION_KINDS]),
              note="How many concerns have each entry in their chronology."),
        response_table(db, lo, hi, _rows(names, part["action"], [("with", ""), ("without", "")])),
        Table("open_cases_by_age", "Open cases by age", "Open for",
              _counted(concerns.open_cases_by_age(db, min(hi, now), [(k, d) for k, d, _ in AGE_BANDS]),
                       [(k, label) for k, _, label in AGE_BANDS]), chart=True,
              note="Every case still open at the end of the period, whenever it was logged."),
    ]


def response_table(db, lo, hi, counts):
    """Median and slowest times to the first DSL action and to closing (only from 3 cases up)."""
    (_, with_action), (_, without) = counts
    rows = [("Concerns measured to first DSL action", with_action)]
    hidden = "not shown: fewer than 3 concerns"
    for what, (count, median, slowest) in [("first DSL action", concerns.time_to_first_action(db, lo, hi)),
                                           ("closing", concerns.time_to_close(db, lo, hi))]:
        rows.append((f"Median time to {what}", hours_text(median) if enough(count) else hidden))
        rows.append((f"Slowest time to {what}", hours_text(slowest) if enough(count) else hidden))
    rows.append(("Concerns with no DSL action yet", without))
    return Table("response_times", "How quickly concerns were dealt with", "Measure", rows,
                 note="From the time a concern was logged. Times are rounded to hours, or to days "
                      "above two days.")


def request_cells(db, months):
    """Count each month's requests by outcome and refusals by rule, protected."""
    cells = {}
    for label, month in months:
        lo, hi = month.bounds()
        outcomes = permissions.requests_by_outcome(db, lo, hi)
        refused = {}
        for row in permissions.refusals_by_rule(db, lo, hi):
            refused[row["rule"]] = refused.get(row["rule"], 0) + row["count"]
        outcome_status = protect_month(outcomes, UNPUBLISHED)[0]
        rule_status, refused_status = protect_month(refused, outcome_status.get("refused", SHOWN))
        if refused_status not in (SHOWN, SMALL):
            outcome_status["refused"] = refused_status  # the rules' total may not be published
        cells[label] = {"outcomes": _with_status(outcomes, outcome_status),
                        "rules": _with_status(refused, rule_status)}
    return cells


def request_tables(db, period):
    months = _months(period)
    cells = request_cells(db, months)
    names = [label for label, _ in months]
    return [
        Table("device_requests", "Requests to use a personal device", "Outcome",
              _rows(names, {m: cells[m]["outcomes"] for m in names}, REQUEST_OUTCOMES), chart=True),
        Table("refusals_by_rule", "Requests refused on the spot, by rule", "Rule",
              _rows(names, {m: cells[m]["rules"] for m in names},
                    [(r.key, f"{r.title}" + (f" ({r.clause})" if r.clause else "")) for r in RULES])),
    ]


def device_tables(db, now, lo, hi):
    devices = permissions.school_devices_now(db, clock.iso(now - PASSCODE_RECHECK))
    phones = sync.phones_late(db, lo, hi, clock.iso(now - timedelta(days=1)))
    return [
        Table("school_devices", "School devices (today)", "Devices", _counted(
            devices, [("missing", "Lost or stolen"), ("passcode", "In use without a recent passcode check")])),
        Table("phones", "Phones that held items unsent for more than a day", "Phones", _counted(
            phones, [("delivered_late", "Sent items more than a day old during the period"),
                     ("holding_now", "Holding items more than a day old now")])),
    ]


def policy_table(db, day):
    """How the policy itself is kept: review, acknowledgement, declarations (months only, no days)."""
    version, newest = store.version_in_force(db, day), store.newest_version(db)
    rows = []
    if version:
        acks = store.staff_acknowledged(db, version["id"], store.STAFF_ROLES)
        rows += [("Staff who have acknowledged the version in force", shown(acks["done"])),
                 ("Staff who have not yet", shown(acks["not_yet"])),
                 ("Ratified by the governing body", _month(version["ratified_on"]) or "not yet recorded")]
    if newest:
        state = {"overdue": " (overdue)", "due_soon": " (due within 30 days)"}.get(review_state(newest, day), "")
        rows.append(("Next review", _month(newest["next_review_on"]) + state))
    decl = store.declarations_now(db, terms.school_year_of(day))
    rows += [("Declared relationships in place", shown(decl["in_place"])),
             ("Waiting for an agreed arrangement", shown(decl["unreviewed"])),
             ("Not yet confirmed this school year", shown(decl["unconfirmed"]))]
    return Table("policy", "The policy itself (today)", "Measure", rows)


def _month(text):
    return date.fromisoformat(text).strftime("%B %Y") if text else ""


def build_report(db, period):
    """Return every table of the report for a period."""
    lo, hi = period.bounds()
    now = clock.utcnow()
    return (concern_tables(db, period, clock.iso(now)) + request_tables(db, period)
            + device_tables(db, now, lo, hi) + [policy_table(db, terms.today())])

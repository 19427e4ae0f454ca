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
    """Return the period a validated form asks for; the current term when it gives no dates."""
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
        return Period(start, end)
    return None


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
    months, day = [], period.start.replace(day=1)
    while day <= period.end:
        months.append((day.strftime("%Y-%m"), day.strftime("%B %Y")))
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def concern_tables(db, lo, hi, at, period):
    standing = concerns.concerns_closed(db, lo, hi, at)
    return [
        Table("concerns_by_category", "Concerns by category", "Category",
              _counted(concerns.concerns_by_category(db, lo, hi), [(c.key, c.label) for c in CATEGORIES]),
              chart=True),
        Table("concerns_by_month", "Concerns by month logged", "Month",
              _counted(concerns.concerns_by_month(db, lo, hi), _months(period)), chart=True),
        Table("concern_outcomes", "Where the period's concerns stand", "Status",
              _counted(standing, [("closed", "Closed"), ("open", "Still open")]),
              note="At the end of the period, or today if the period has not ended."),
        Table("concern_actions", "Actions recorded on the period's concerns", "Action",
              _counted(concerns.actions_recorded(db, lo, hi, at), [(k, kind_label(k)) for k in ACTION_KINDS]),
              note="How many concerns have each entry in their chronology."),
        response_table(db, lo, hi),
        Table("open_cases_by_age", "Open cases by age", "Open for",
              _counted(concerns.open_cases_by_age(db, at, [(k, d) for k, d, _ in AGE_BANDS]),
                       [(k, label) for k, _, label in AGE_BANDS]), chart=True,
              note="Every case still open at the end of the period, whenever it was logged."),
    ]


def response_table(db, lo, hi):
    """Median and slowest times to the first DSL action and to closing (only from 3 cases up)."""
    rows = []
    for what, (count, median, slowest) in [("first DSL action", concerns.time_to_first_action(db, lo, hi)),
                                           ("closing", concerns.time_to_close(db, lo, hi))]:
        rows.append((f"Concerns measured to {what}", shown(count)))
        hidden = "not shown: fewer than 3 concerns"
        rows.append((f"Median time to {what}", hours_text(median) if enough(count) else hidden))
        rows.append((f"Slowest time to {what}", hours_text(slowest) if enough(count) else hidden))
    rows.append(("Concerns with no DSL action yet", shown(concerns.concerns_without_action(db, lo, hi))))
    return Table("response_times", "How quickly concerns were dealt with", "Measure", rows,
                 note="From the time a concern was logged. Times are rounded to hours, or to days "
                      "above two days.")


def request_tables(db, lo, hi):
    refused = {}
    for row in permissions.refusals_by_rule(db, lo, hi):
        refused[row["rule"]] = refused.get(row["rule"], 0) + row["count"]
    return [
        Table("device_requests", "Requests to use a personal device", "Outcome",
              _counted(permissions.requests_by_outcome(db, lo, hi), REQUEST_OUTCOMES), chart=True),
        Table("refusals_by_rule", "Requests refused on the spot, by rule", "Rule",
              _counted(refused,
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
    at = min(hi, clock.iso(now))
    return (concern_tables(db, lo, hi, at, period) + request_tables(db, lo, hi)
            + device_tables(db, now, lo, hi) + [policy_table(db, terms.today())])

"""The governing body's figures: aggregate SQL only.

Every query here returns counts or durations grouped by a category, a month, an outcome or an
age band: never a row about one person, a name, a narrative, a reference or a date. `lo` and `hi`
bound the period (ISO UTC text, `hi` exclusive); `at` is the moment a snapshot is taken.
"""
from ..concerns.chronology import CLOSING_KINDS

_CLOSING = ",".join(f"'{k}'" for k in sorted(CLOSING_KINDS))
# Whether case c was closed at :at: its latest closing or status-change entry by then closes it.
CLOSED_AT = f"""coalesce((
    SELECT e.kind IN ({_CLOSING}) OR (e.kind = 'status_change' AND e.status = 'closed')
    FROM case_events e WHERE e.concern_id = c.id AND e.created_at < :at
      AND (e.kind IN ({_CLOSING}) OR e.kind = 'status_change')
    ORDER BY e.created_at DESC, e.id DESC LIMIT 1), 0)"""
FIRST_CLOSE = f"""(SELECT min(e.created_at) FROM case_events e WHERE e.concern_id = c.id
    AND (e.kind IN ({_CLOSING}) OR (e.kind = 'status_change' AND e.status = 'closed')))"""
IN_PERIOD = "c.created_at >= :lo AND c.created_at < :hi"


def _pairs(db, sql, params):
    return {row[0]: row[1] for row in db.execute(sql, params).fetchall()}


def concerns_by_category(db, lo, hi):
    return _pairs(db, f"SELECT c.category, count(*) FROM concerns c WHERE {IN_PERIOD} GROUP BY c.category",
                  {"lo": lo, "hi": hi})


def concerns_by_month(db, lo, hi):
    """Count concerns by the school-time month they were logged in (needs school_month())."""
    return _pairs(db, f"SELECT school_month(c.created_at), count(*) FROM concerns c WHERE {IN_PERIOD} "
                      "GROUP BY 1", {"lo": lo, "hi": hi})


def concerns_closed(db, lo, hi, at):
    """Count the period's concerns closed and still open at `at`."""
    return _pairs(db, f"SELECT CASE WHEN {CLOSED_AT} THEN 'closed' ELSE 'open' END, count(*) "
                      f"FROM concerns c WHERE {IN_PERIOD} GROUP BY 1", {"lo": lo, "hi": hi, "at": at})


def actions_recorded(db, lo, hi, at):
    """Count the period's concerns with at least one chronology entry of each kind by `at`."""
    return _pairs(db, "SELECT e.kind, count(DISTINCT e.concern_id) FROM case_events e "
                      f"JOIN concerns c ON c.id = e.concern_id WHERE {IN_PERIOD} AND e.created_at < :at "
                      "GROUP BY e.kind", {"lo": lo, "hi": hi, "at": at})


def _durations(db, hours_sql, lo, hi):
    """Return (cases measured, median hours, slowest hours) of a per-case duration."""
    row = db.execute(f"""
        WITH d AS ({hours_sql}),
        r AS (SELECT hours, row_number() OVER (ORDER BY hours) AS rn, count(*) OVER () AS n FROM d)
        SELECT count(*), avg(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN hours END), max(hours)
        FROM r""", {"lo": lo, "hi": hi}).fetchone()
    return row[0], row[1], row[2]


def time_to_first_action(db, lo, hi):
    return _durations(db, "SELECT max(0, julianday(min(e.created_at)) - julianday(c.created_at)) * 24 AS hours "
                          f"FROM concerns c JOIN case_events e ON e.concern_id = c.id WHERE {IN_PERIOD} "
                          "GROUP BY c.id", lo, hi)


def time_to_close(db, lo, hi):
    return _durations(db, f"SELECT max(0, julianday({FIRST_CLOSE}) - julianday(c.created_at)) * 24 AS hours "
                          f"FROM concerns c WHERE {IN_PERIOD} AND {FIRST_CLOSE} IS NOT NULL", lo, hi)


def concerns_without_action(db, lo, hi):
    return db.execute(f"SELECT count(*) FROM concerns c WHERE {IN_PERIOD} AND NOT EXISTS "
                      "(SELECT 1 FROM case_events e WHERE e.concern_id = c.id)", {"lo": lo, "hi": hi}).fetchone()[0]


def open_cases_by_age(db, at, bands):
    """Count every case still open at `at` by age band; `bands` is [(key, up to days or None)]."""
    cases = " ".join(f"WHEN age < {days} THEN '{key}'" for key, days in bands if days is not None)
    last = next(key for key, days in bands if days is None)
    return _pairs(db, f"""
        SELECT CASE {cases} ELSE '{last}' END AS band, count(*) FROM (
          SELECT julianday(:at) - julianday(c.created_at) AS age FROM concerns c
          WHERE c.created_at < :at AND NOT {CLOSED_AT}) GROUP BY band""", {"at": at})


def requests_by_outcome(db, lo, hi):
    """Count the period's device-use requests: refused on the spot, approved, declined, waiting."""
    return _pairs(db, """
        SELECT CASE WHEN r.refused_rule IS NOT NULL THEN 'refused'
          ELSE coalesce((SELECT d.outcome FROM decisions d WHERE d.request_id = r.id
                         AND d.outcome IN ('approved', 'declined')), 'waiting') END, count(*)
        FROM device_requests r WHERE r.created_at >= :lo AND r.created_at < :hi GROUP BY 1""",
                  {"lo": lo, "hi": hi})


def school_devices_now(db, recheck_before):
    """Count devices lost or stolen, and issued ones in use with no recent passcode confirmation."""
    row = db.execute("""
        SELECT count(*) FILTER (WHERE status IN ('lost', 'stolen')),
               count(*) FILTER (WHERE status = 'in_use' AND issued_to IS NOT NULL
                                AND (passcode_confirmed_at IS NULL OR passcode_confirmed_at <= ?))
        FROM school_devices""", [recheck_before]).fetchone()
    return {"missing": row[0], "passcode": row[1]}


def phones_late(db, lo, hi, day_before):
    """Count phones that delivered items over a day old in the period, and that hold such items now."""
    delivered = db.execute(
        "SELECT count(DISTINCT device_id) FROM sync_items WHERE received_at >= ? AND received_at < ? "
        "AND created_at IS NOT NULL AND julianday(received_at) - julianday(created_at) > 1",
        [lo, hi]).fetchone()[0]
    holding = db.execute("SELECT count(*) FROM phones WHERE waiting_count > 0 AND oldest_waiting_at < ?",
                         [day_before]).fetchone()[0]
    return {"delivered_late": delivered, "holding_now": holding}


def staff_acknowledged(db, version_id, staff_roles):
    """Count active staff who have and have not acknowledged a version."""
    marks = ",".join("?" * len(staff_roles))
    row = db.execute(f"""
        SELECT count(a.user_id), count(*) - count(a.user_id) FROM users u
        LEFT JOIN policy_acknowledgements a ON a.user_id = u.id AND a.policy_version_id = ?
        WHERE u.active = 1 AND u.id IN (SELECT user_id FROM user_roles WHERE role IN ({marks}))""",
                     [version_id, *staff_roles]).fetchone()
    return {"done": row[0], "not_yet": row[1]}


def declarations_now(db, school_year):
    """Count declarations in place: agreed and confirmed this year, awaiting review, awaiting confirmation."""
    row = db.execute("""
        SELECT count(*),
               count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM declaration_reviews r WHERE r.declaration_id = d.id)),
               count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM declaration_confirmations k
                                                  WHERE k.declaration_id = d.id AND k.school_year >= ?))
        FROM declarations d WHERE d.ended_at IS NULL""", [school_year]).fetchone()
    return {"in_place": row[0], "unreviewed": row[1], "unconfirmed": row[2]}

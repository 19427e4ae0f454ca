"""All SQL about concerns, their evidence, chronology, state and access log, and their report figures."""
import re

from .. import change_log
from ..clock import parse_iso, school_zone
from .chronology import CLOSING_KINDS

CONCERN_FIELDS = ("reporter_id", "category", "occurred_at", "location", "learners", "adults",
                  "account", "action_taken", "told_dsl_in_person", "urgent", "staff_involved",
                  "flagged_for_head", "about_head", "source", "item_id", "created_at", "received_at")
EVENT_FIELDS = ("concern_id", "author_id", "kind", "body", "reference", "assignee_id", "status",
                "learner_id", "due_on", "action_id", "user_id", "allegation_outcome", "source", "item_id", "created_at", "received_at")
ATTACHMENT_FIELDS = ("concern_id", "stored_name", "filename", "content_type", "size", "sha256",
                     "created_at")
QUEUE_ORDER = "s.urgent DESC, s.created_at DESC, s.concern_id DESC"
COUNT_CAP = 1000  # the queue counts matches up to here, then says "more than"


def _insert(db, table, fields, row):
    marks = ", ".join("?" * len(fields))
    return db.execute(f"INSERT INTO {table} ({', '.join(fields)}) VALUES ({marks})",
                      [row.get(f) for f in fields]).lastrowid


def _one(db, sql, params):
    rows = list(db.query(sql, params))
    return rows[0] if rows else None


def insert_concern(db, row):
    """Write a submitted concern and its starting state; return its id."""
    row = {**row, "about_head": int(bool(row.get("about_head")))}
    concern_id = _insert(db, "concerns", CONCERN_FIELDS, row)
    db.execute("INSERT INTO concern_state (concern_id, category, urgent, about_head, created_at, "
               "status, status_at, changed_at) VALUES (?, ?, ?, ?, ?, 'received', ?, ?)",
               [concern_id, row["category"], row["urgent"], row["about_head"],
                row["created_at"], row["received_at"], row["received_at"]])
    return concern_id


def insert_attachment(db, concern_id, info, created_at):
    return _insert(db, "concern_attachments", ATTACHMENT_FIELDS,
                   {**info, "concern_id": concern_id, "created_at": created_at})


def insert_case_event(db, row):
    """Write one chronology entry; return its id."""
    return _insert(db, "case_events", EVENT_FIELDS, row)


def update_state(db, concern_id, status, assignee_id, now, status_changed):
    """Record where a case has got to after a new entry."""
    db.execute("UPDATE concern_state SET status = ?, assignee_id = ?, changed_at = ?, "
               "status_at = CASE WHEN ? THEN ? ELSE status_at END WHERE concern_id = ?",
               [status, assignee_id, now, int(status_changed), now, concern_id])


def id_for_item(db, table, item_id):
    """Return the id of the row a phone item already wrote, if any."""
    row = db.execute(f"SELECT id FROM {table} WHERE item_id = ?", [item_id]).fetchone()
    return row[0] if row else None


def get_concern(db, concern_id):
    """Return a concern with its reporter's name and current state, or None."""
    return _one(db, "SELECT c.*, r.name AS reporter_name, s.status, s.assignee_id, "
                "a.name AS assignee_name, s.opened_at, s.changed_at FROM concerns c "
                "JOIN concern_state s ON s.concern_id = c.id JOIN users r ON r.id = c.reporter_id "
                "LEFT JOIN users a ON a.id = s.assignee_id WHERE c.id = ?", [concern_id])


def get_state(db, concern_id):
    return _one(db, "SELECT * FROM concern_state WHERE concern_id = ?", [concern_id])


def is_allegation(db, concern_id):
    """Say whether a case is an allegation about a member of staff (flagged, about the head, or named)."""
    return db.execute(
        "SELECT c.flagged_for_head OR c.about_head OR EXISTS (SELECT 1 FROM case_events e "
        "WHERE e.concern_id = c.id AND e.kind = 'subject_link') FROM concerns c WHERE c.id = ?",
        [concern_id]).fetchone()[0] == 1


def attachments_of(db, concern_id):
    return list(db.query("SELECT * FROM concern_attachments WHERE concern_id = ? ORDER BY id",
                         [concern_id]))


def get_attachment(db, concern_id, attachment_id):
    return _one(db, "SELECT * FROM concern_attachments WHERE id = ? AND concern_id = ?",
                [attachment_id, concern_id])


def events_of(db, concern_id):
    """Return a case's chronology, oldest first, with authors' and assignees' names."""
    return list(db.query(
        "SELECT e.*, u.name AS author_name, a.name AS assignee_name, p.name AS subject_name "
        "FROM case_events e JOIN users u ON u.id = e.author_id "
        "LEFT JOIN users a ON a.id = e.assignee_id LEFT JOIN users p ON p.id = e.user_id "
        "WHERE e.concern_id = ? ORDER BY e.created_at, e.id", [concern_id]))


def mark_opened(db, concern_id, at):
    """Mark a case opened by a case worker, the first time only."""
    db.execute("UPDATE concern_state SET opened_at = ? "
               "WHERE concern_id = ? AND opened_at IS NULL", [at, concern_id])


def concerns_of(db, reporter_id):
    """Return what one person logged and its status, newest first (no case notes)."""
    return list(db.query(
        "SELECT c.id, c.category, c.created_at, c.location, s.status FROM concerns c "
        "JOIN concern_state s ON s.concern_id = c.id WHERE c.reporter_id = ? "
        "ORDER BY c.created_at DESC, c.id DESC", [reporter_id]))


def case_workers(db):
    """Return active people who may take on a case (DSLs and the head)."""
    return list(db.query(
        "SELECT DISTINCT u.id, u.name FROM users u JOIN user_roles r ON r.user_id = u.id "
        "WHERE u.active = 1 AND r.role IN ('dsl', 'head') ORDER BY u.name"))


def active_people(db, leaving_out=()):
    """Return everyone with a working account, by name, but those left out (by id)."""
    return [r for r in db.query("SELECT id, name FROM users WHERE active = 1 ORDER BY name, id")
            if r["id"] not in leaving_out]


def action_owners(db):
    """Return active people an action may be given to (any member of staff, a DSL or the head)."""
    return list(db.query(
        "SELECT DISTINCT u.id, u.name FROM users u JOIN user_roles r ON r.user_id = u.id "
        "WHERE u.active = 1 AND r.role IN ('staff', 'dsl', 'head') ORDER BY u.name"))


def unopened_count(db, visible):
    """Count the concerns this reader may see (`visible`: visibility.where) nobody has opened yet."""
    condition, params = visible
    return db.execute(f"SELECT count(*) FROM concern_state s WHERE s.opened_at IS NULL AND {condition}",
                      params).fetchone()[0]


def search_terms(text):
    """Turn what a person typed into a safe FTS5 query (every word, as a prefix)."""
    words = re.findall(r"\w+", text or "")[:10]
    return " ".join('"' + w.replace('"', "") + '"*' for w in words)


def _queue_where(filters, visible):
    where, params = [visible[0]], list(visible[1])
    if filters.get("match"):
        where.append("concern_search MATCH ?")
        params.append(filters["match"])
    for column in ("status", "category", "assignee_id"):
        if filters.get(column):
            where.append(f"s.{column} = ?")
            params.append(filters[column])
    if filters.get("open"):
        where.append("s.status != 'closed'")  # this exact term lets the partial indexes serve it
    if filters.get("unassigned"):
        where.append("s.assignee_id IS NULL")
    if filters.get("learner_id"):
        where.append("s.concern_id IN (SELECT concern_id FROM case_events "
                     "WHERE kind = 'learner_link' AND learner_id = ?)")
        params.append(filters["learner_id"])
    for key, test in (("created_from", ">="), ("created_before", "<")):
        if filters.get(key):
            where.append(f"s.created_at {test} ?")
            params.append(filters[key])
    return "WHERE " + " AND ".join(where), params


def queue(db, filters, limit, offset, visible):
    """Return one page of the queue and how many match (counted up to COUNT_CAP + 1).

    `visible` is the reader's (condition, params) from visibility.where: nothing else is listed.
    The queue is urgent first, then newest; search results are newest first, read in the
    full-text index's own order so that a common word never sorts the whole table.
    """
    where, params = _queue_where(filters, visible)
    if filters.get("match"):
        source = "concern_search CROSS JOIN concern_state s ON s.concern_id = concern_search.rowid"
        order = "concern_search.rowid DESC"
    elif filters.get("open") and filters.get("unassigned"):
        source, order = "concern_state s INDEXED BY concern_state_inbox", QUEUE_ORDER
    else:
        source, order = "concern_state s", QUEUE_ORDER
    total = db.execute(f"SELECT count(*) FROM (SELECT 1 FROM {source} {where} LIMIT ?)",
                       params + [COUNT_CAP + 1]).fetchone()[0]
    ids = [r[0] for r in db.execute(
        f"SELECT s.concern_id FROM {source} {where} ORDER BY {order} LIMIT ? OFFSET ?",
        params + [limit, offset])]
    return queue_rows(db, ids), total


def queue_rows(db, ids):
    """Return the queue rows of these concerns, in the order given."""
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    found = {r["id"]: r for r in db.query(
        "SELECT c.id, c.category, c.location, c.urgent, c.created_at, c.flagged_for_head, c.about_head, "
        "s.status, s.assignee_id, s.opened_at, r.name AS reporter_name, a.name AS assignee_name "
        "FROM concerns c JOIN concern_state s ON s.concern_id = c.id "
        "JOIN users r ON r.id = c.reporter_id LEFT JOIN users a ON a.id = s.assignee_id "
        f"WHERE c.id IN ({marks})", ids)}
    return [found[i] for i in ids]


def subject_links_of(db, user_id, since):
    """Return when each concern about this person named them, for those changed after `since`.

    `since` is a position in the change log (see change_log.py), None for every one.
    """
    changed, params = change_log.after("concern", "concern_id", since)
    return list(db.query(
        "SELECT concern_id, max(received_at) AS received_at FROM case_events "
        f"WHERE kind = 'subject_link' AND user_id = ? AND {changed} GROUP BY concern_id",
        [user_id] + params))


def destroyed_since(db, since):
    """Return the ids of cases destroyed after `since` (a change log position; never None)."""
    return change_log.gone(db, "concern", "concerns", "id", since)


def status_changes(db, reporter_id, since):
    """Return the status of one person's concerns changed after `since` (a change log position, or None)."""
    changed, params = change_log.after("concern", "c.id", since)
    return list(db.query(
        "SELECT c.id, c.category, s.status, c.created_at, s.status_at AS changed_at "
        "FROM concerns c JOIN concern_state s ON s.concern_id = c.id "
        f"WHERE c.reporter_id = ? AND {changed} "
        "ORDER BY s.status_at, c.id", [reporter_id] + params))


def queue_changes(db, since, visible):
    """Return the queue rows this reader may see (visibility.where) changed after `since` (as above)."""
    condition, params = visible
    changed, changed_params = change_log.after("concern", "s.concern_id", since)
    return list(db.query(
        "SELECT c.id, c.category, c.urgent, s.status, c.created_at, c.location, "
        "r.name AS reporter, a.name AS assignee, c.flagged_for_head, s.changed_at "
        "FROM concern_state s "
        "JOIN concerns c ON c.id = s.concern_id JOIN users r ON r.id = c.reporter_id "
        f"LEFT JOIN users a ON a.id = s.assignee_id WHERE {changed} "
        f"AND {condition} ORDER BY s.changed_at, c.id", changed_params + params))


# --- figures for the governing body's reports ------------------------------------------------------
# Aggregates only: counts or durations grouped by a category, a month, an outcome or an age band,
# never a row about one person. `lo` and `hi` bound the period (ISO UTC text, `hi` exclusive); `at`
# is the moment a snapshot is taken.

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
    """Count the period's concerns by category."""
    return _pairs(db, f"SELECT c.category, count(*) FROM concerns c WHERE {IN_PERIOD} GROUP BY c.category",
                  {"lo": lo, "hi": hi})


def concerns_by_month(db, lo, hi):
    """Count concerns by the school-time month they were logged in."""
    zone = school_zone()
    db.conn.create_function("school_month", 1, lambda text: parse_iso(text).astimezone(zone).strftime("%Y-%m"),
                            deterministic=True)
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
    """Return (cases, median hours, slowest hours) from logging to the first chronology entry."""
    return _durations(db, "SELECT max(0, julianday(min(e.created_at)) - julianday(c.created_at)) * 24 AS hours "
                          f"FROM concerns c JOIN case_events e ON e.concern_id = c.id WHERE {IN_PERIOD} "
                          "GROUP BY c.id", lo, hi)


def time_to_close(db, lo, hi):
    """Return (cases, median hours, slowest hours) from logging to closing."""
    return _durations(db, f"SELECT max(0, julianday({FIRST_CLOSE}) - julianday(c.created_at)) * 24 AS hours "
                          f"FROM concerns c WHERE {IN_PERIOD} AND {FIRST_CLOSE} IS NOT NULL", lo, hi)


def concerns_without_action(db, lo, hi):
    """Count the period's concerns with nothing in their chronology yet."""
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

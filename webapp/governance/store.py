"""All SQL about policy versions, acknowledgements, reminders and declarations.

The report figures at the end are aggregate queries only; each domain's own figures live in its store.
"""
from .. import change_log
from ..clock import iso, utcnow

STAFF_ROLES = ("staff", "dsl", "head")  # head and DSL imply staff (DESIGN.md section 1)
REVIEW_ROLES = ("head", "admin", "governor")


# --- policy versions -------------------------------------------------------------------------

def add_version(db, version, created_by):
    """Store a new policy version (a dict of its fields); return its id."""
    cursor = db.execute(
        "INSERT INTO policy_versions (title, body_markdown, pdf_file, written_on, effective_on, "
        "next_review_on, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [version["title"], version.get("body_markdown"), version.get("pdf_file"),
         version["written_on"], version["effective_on"], version["next_review_on"],
         created_by, iso(utcnow())])
    return cursor.lastrowid


def get_version(db, version_id):
    rows = list(db.query(
        "SELECT v.*, u.name AS ratified_by_name FROM policy_versions v "
        "LEFT JOIN users u ON u.id = v.ratified_by WHERE v.id = ?", [version_id]))
    return rows[0] if rows else None


def list_versions(db):
    return list(db.query("SELECT * FROM policy_versions ORDER BY effective_on DESC, id DESC"))


def version_in_force(db, day):
    """Return the version that took effect most recently on or before `day`, or None."""
    rows = list(db.query("SELECT id FROM policy_versions WHERE effective_on <= ? "
                         "ORDER BY effective_on DESC, id DESC LIMIT 1", [day.isoformat()]))
    return get_version(db, rows[0]["id"]) if rows else None


def newest_version(db):
    """Return the version added for the latest date, in force or waiting to take effect."""
    rows = list(db.query("SELECT id FROM policy_versions ORDER BY effective_on DESC, id DESC LIMIT 1"))
    return get_version(db, rows[0]["id"]) if rows else None


def record_ratification(db, version_id, ratified_on, governor_id):
    db.execute("UPDATE policy_versions SET ratified_on = ?, ratified_by = ?, ratified_recorded_at = ? "
               "WHERE id = ?", [ratified_on, governor_id, iso(utcnow()), version_id])


# --- acknowledgements ------------------------------------------------------------------------

def acknowledge(db, version_id, user_id):
    """Record that a person has read a version (once; a second time changes nothing)."""
    db.execute("INSERT OR IGNORE INTO policy_acknowledgements (policy_version_id, user_id, acknowledged_at) "
               "VALUES (?, ?, ?)", [version_id, user_id, iso(utcnow())])


def acknowledged_at(db, version_id, user_id):
    row = db.execute("SELECT acknowledged_at FROM policy_acknowledgements "
                     "WHERE policy_version_id = ? AND user_id = ?", [version_id, user_id]).fetchone()
    return row[0] if row else None


def staff_acknowledgements(db, version_id):
    """Return every active member of staff with when they acknowledged and were last reminded."""
    marks = ",".join("?" * len(STAFF_ROLES))
    return list(db.query(
        f"SELECT u.id, u.name, u.email, a.acknowledged_at, "
        f"  (SELECT max(sent_at) FROM acknowledgement_reminders r "
        f"   WHERE r.user_id = u.id AND r.policy_version_id = ?) AS reminded_at "
        f"FROM users u LEFT JOIN policy_acknowledgements a "
        f"  ON a.user_id = u.id AND a.policy_version_id = ? "
        f"WHERE u.active = 1 AND u.id IN (SELECT user_id FROM user_roles WHERE role IN ({marks})) "
        f"ORDER BY a.acknowledged_at IS NOT NULL, u.name",
        [version_id, version_id, *STAFF_ROLES]))


def record_acknowledgement_reminder(db, version_id, user_id, sent_by):
    db.execute("INSERT INTO acknowledgement_reminders (policy_version_id, user_id, sent_by, sent_at) "
               "VALUES (?, ?, ?, ?)", [version_id, user_id, sent_by, iso(utcnow())])


# --- review reminders ------------------------------------------------------------------------

def review_people(db):
    """Return active heads, admins and governors (who are told when a review falls due)."""
    marks = ",".join("?" * len(REVIEW_ROLES))
    return list(db.query(
        f"SELECT id, name, email FROM users WHERE active = 1 AND id IN "
        f"(SELECT user_id FROM user_roles WHERE role IN ({marks})) ORDER BY name", list(REVIEW_ROLES)))


def claim_review_reminder(db, version_id, user_id, due_state):
    """Claim the one reminder for this person, version and due state; False if already sent."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO policy_review_reminders (policy_version_id, user_id, due_state, sent_at) "
        "VALUES (?, ?, ?, ?)", [version_id, user_id, due_state, iso(utcnow())])
    return cursor.rowcount == 1


def review_reminders_pending(db, version_id, due_state):
    """Count review people who have not yet had this reminder."""
    marks = ",".join("?" * len(REVIEW_ROLES))
    return db.execute(
        f"SELECT count(*) FROM users WHERE active = 1 AND id IN "
        f"(SELECT user_id FROM user_roles WHERE role IN ({marks})) AND id NOT IN "
        f"(SELECT user_id FROM policy_review_reminders WHERE policy_version_id = ? AND due_state = ?)",
        [*REVIEW_ROLES, version_id, due_state]).fetchone()[0]


# --- declarations (5.2.3) ----------------------------------------------------------------------

DECLARATION_SELECT = """
    SELECT d.*, u.name AS declared_by_name,
      r.arrangement, r.reviewed_at, ru.name AS reviewed_by_name,
      (SELECT max(school_year) FROM declaration_confirmations c WHERE c.declaration_id = d.id)
        AS confirmed_year
    FROM declarations d JOIN users u ON u.id = d.declared_by
    LEFT JOIN declaration_reviews r ON r.id =
      (SELECT max(id) FROM declaration_reviews WHERE declaration_id = d.id)
    LEFT JOIN users ru ON ru.id = r.reviewed_by"""


def add_declaration(db, fields, declared_by, school_year, source="web", item_id=None, at=None):
    """Store a declaration, confirmed for the school year it was made in; return its id."""
    at = at or iso(utcnow())
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO declarations (declared_by, relationship, with_whom, details, created_at, "
            "updated_at, source, item_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [declared_by, fields["relationship"], fields["with_whom"].strip(),
             (fields.get("details") or "").strip(), at, iso(utcnow()), source, item_id])
        declaration_id = cursor.lastrowid
        db.execute("INSERT INTO declaration_confirmations (declaration_id, school_year, confirmed_by, "
                   "confirmed_at) VALUES (?, ?, ?, ?)", [declaration_id, school_year, declared_by, at])
    return declaration_id


def declaration_by_item(db, item_id):
    row = db.execute("SELECT id FROM declarations WHERE item_id = ?", [item_id]).fetchone()
    return row[0] if row else None


def get_declaration(db, declaration_id):
    rows = list(db.query(DECLARATION_SELECT + " WHERE d.id = ?", [declaration_id]))
    return rows[0] if rows else None


def declarations_of(db, user_id):
    return list(db.query(DECLARATION_SELECT + " WHERE d.declared_by = ? "
                         "ORDER BY d.ended_at IS NOT NULL, d.created_at DESC", [user_id]))


def current_declarations(db):
    """Return every declaration still in place, those never reviewed first."""
    return list(db.query(DECLARATION_SELECT + " WHERE d.ended_at IS NULL "
                         "ORDER BY r.id IS NOT NULL, u.name, d.created_at"))


def declaration_reviews(db, declaration_id):
    return list(db.query(
        "SELECT r.*, u.name AS reviewed_by_name FROM declaration_reviews r "
        "JOIN users u ON u.id = r.reviewed_by WHERE r.declaration_id = ? ORDER BY r.id",
        [declaration_id]))


def add_declaration_review(db, declaration_id, arrangement, reviewer_id):
    """Append the arrangement agreed by a DSL or the head."""
    now = iso(utcnow())
    with db.atomic():
        db.execute("INSERT INTO declaration_reviews (declaration_id, arrangement, reviewed_by, reviewed_at) "
                   "VALUES (?, ?, ?, ?)", [declaration_id, arrangement.strip(), reviewer_id, now])
        db.execute("UPDATE declarations SET updated_at = ? WHERE id = ?", [now, declaration_id])


def confirm_declaration(db, declaration_id, school_year, user_id):
    """Record that the declaration still stands this school year (once per year)."""
    now = iso(utcnow())
    with db.atomic():
        db.execute("INSERT OR IGNORE INTO declaration_confirmations (declaration_id, school_year, "
                   "confirmed_by, confirmed_at) VALUES (?, ?, ?, ?)",
                   [declaration_id, school_year, user_id, now])
        db.execute("UPDATE declarations SET updated_at = ? WHERE id = ?", [now, declaration_id])


def end_declaration(db, declaration_id):
    """Record that the relationship no longer needs an arrangement."""
    now = iso(utcnow())
    db.execute("UPDATE declarations SET ended_at = ?, updated_at = ? WHERE id = ? AND ended_at IS NULL",
               [now, now, declaration_id])


def declarations_changed_since(db, since, user_id=None):
    """Return declarations changed after `since` (all of them, or one person's), oldest first.

    `since` is a position in the change log (see change_log.py), None for every declaration.
    """
    changed, params = change_log.after("declaration", "d.id", since)
    where = [changed]
    if user_id is not None:
        where.append("d.declared_by = ?")
        params.append(user_id)
    return list(db.query(DECLARATION_SELECT + " WHERE " + " AND ".join(where) +
                         " ORDER BY d.updated_at, d.id", params))


# --- figures for the governing body's reports (aggregates only) -------------------------------------

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

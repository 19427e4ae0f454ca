"""All SQL about pupils: the imported list, search, siblings, record entries and who viewed them."""
import re

FIELDS = ("upn", "surname", "forename", "preferred_forename", "dob", "year_group", "reg_group",
          "family_id")
ENTRY_FIELDS = ("learner_id", "author_id", "kind", "flag", "on_date", "body", "recipient", "created_at")
SEARCH_LIMIT = 50


def _one(db, sql, params):
    rows = list(db.query(sql, params))
    return rows[0] if rows else None


def by_upn(db):
    """Return every pupil ever imported, keyed by UPN."""
    return {r["upn"]: r for r in db.query("SELECT * FROM learners")}


def compare(db, pupils):
    """Count what importing these pupils would do: (new, changed, left) lists of UPNs."""
    known = by_upn(db)
    listed = {p["upn"] for p in pupils}
    new = [p["upn"] for p in pupils if p["upn"] not in known]
    changed = [p["upn"] for p in pupils if p["upn"] in known and _differs(known[p["upn"]], p)]
    left = [upn for upn, row in known.items() if upn not in listed and row["left_on"] is None
            and row["destroyed_on"] is None]
    return new, changed, left


def _differs(row, pupil):
    return row["left_on"] is not None or any((row[f] or "") != pupil[f] for f in FIELDS)


def import_pupils(db, pupils, today, now, user_id, filename):
    """Write the list in one transaction: add, update by UPN, mark the absent as left; return counts."""
    new, changed, left = compare(db, pupils)
    new_set, changed_set = set(new), set(changed)
    with db.atomic():
        marks = ", ".join("?" * len(FIELDS))
        db.conn.executemany(
            f"INSERT INTO learners ({', '.join(FIELDS)}, created_at, updated_at) VALUES ({marks}, ?, ?)",
            [[p[f] for f in FIELDS] + [now, now] for p in pupils if p["upn"] in new_set])
        sets = ", ".join(f"{f} = ?" for f in FIELDS if f != "upn")
        db.conn.executemany(
            f"UPDATE learners SET {sets}, left_on = NULL, updated_at = ? WHERE upn = ?",
            [[p[f] for f in FIELDS if f != "upn"] + [now, p["upn"]] for p in pupils
             if p["upn"] in changed_set])
        db.conn.executemany("UPDATE learners SET left_on = ?, updated_at = ? WHERE upn = ?",
                            [[today, now, upn] for upn in left])
        db.execute("INSERT INTO learner_imports (imported_by, filename, added, changed, left_school, at) "
                   "VALUES (?, ?, ?, ?, ?, ?)", [user_id, filename, len(new), len(changed), len(left), now])
    return len(new), len(changed), len(left)


def get(db, learner_id):
    """Return a pupil whose record exists (not destroyed), or None."""
    return _one(db, "SELECT * FROM learners WHERE id = ? AND destroyed_on IS NULL", [learner_id])


def get_even_destroyed(db, learner_id):
    """Return a pupil's row even when the record was destroyed (only the day it went is left)."""
    return _one(db, "SELECT * FROM learners WHERE id = ?", [learner_id])


def get_many(db, ids):
    """Return the pupils with these ids, keyed by id."""
    ids = list(ids)
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    return {r["id"]: r for r in db.query(f"SELECT * FROM learners WHERE id IN ({marks})", ids)}


def search(db, text, limit=SEARCH_LIMIT):
    """Return pupils (left ones too) whose name or UPN starts with every word typed."""
    words = re.findall(r"[\w'-]+", text or "")[:5]
    if not words:
        return []
    where, params = [], []
    for word in words:
        like = word.replace("\\", "").replace("%", "").replace("_", "") + "%"
        where.append("(forename LIKE ? OR surname LIKE ? OR preferred_forename LIKE ? OR upn LIKE ?)")
        params += [like] * 4
    return list(db.query(f"SELECT * FROM learners WHERE destroyed_on IS NULL AND {' AND '.join(where)} "
                         "ORDER BY left_on IS NOT NULL, surname, forename, id LIMIT ?", params + [limit]))


def siblings(db, learner):
    """Return the other pupils sharing this pupil's family or contact id."""
    if not learner["family_id"]:
        return []
    return list(db.query("SELECT * FROM learners WHERE family_id = ? AND id != ? ORDER BY dob, id",
                         [learner["family_id"], learner["id"]]))


def review_due(db, on_or_before):
    """Return pupils whose review date (date of birth + 25 years) has come by the given day."""
    return list(db.query("SELECT * FROM learners WHERE destroyed_on IS NULL AND date(dob, '+25 years') <= ? "
                         "ORDER BY dob, id", [on_or_before]))


def add_entry(db, row):
    """Write one entry in a child's record; return its id."""
    marks = ", ".join("?" * len(ENTRY_FIELDS))
    return db.execute(f"INSERT INTO learner_entries ({', '.join(ENTRY_FIELDS)}) VALUES ({marks})",
                      [row.get(f, "") for f in ENTRY_FIELDS]).lastrowid


def entries_of(db, learner_id):
    """Return a child's record entries, in date order, with their authors' names."""
    return list(db.query(
        "SELECT e.*, u.name AS author_name FROM learner_entries e JOIN users u ON u.id = e.author_id "
        "WHERE e.learner_id = ? ORDER BY e.on_date, e.id", [learner_id]))

"""Destroying cases under the headteacher's recorded decision after a child's record is reviewed.

Nothing here runs on its own: the learners domain calls it once the head has decided, on a record
past its review date with no legal hold, that the record is to be destroyed. A case goes only when
it is about that child alone: a case linked to another child as well, or about a member of staff
(an allegation, kept to the allegations guidance's own periods), is kept whole.
"""
import json

from . import evidence

# Everything that belongs to a case, deleted children first (foreign keys are enforced).
_CASE_TABLES = [
    ("action_reminders", "action_id IN (SELECT id FROM case_events WHERE concern_id IN ({ids}))"),
    ("school_phone_answers", "concern_id IN ({ids})"),
    ("school_phone_concerns", "concern_id IN ({ids})"),
    ("school_phone_items", "ref IN (SELECT 'concerns:' || id FROM concerns WHERE id IN ({ids}))"),
    ("concern_access", "concern_id IN ({ids})"),
    ("case_events", "concern_id IN ({ids})"),
    ("concern_attachments", "concern_id IN ({ids})"),
    ("concern_state", "concern_id IN ({ids})"),
]


def split(db, learner_id, concern_ids):
    """Return (cases about this child alone, cases kept with why) among the child's linked cases."""
    alone, kept = [], []
    for concern_id in concern_ids:
        concern = db.execute("SELECT staff_involved, about_head FROM concerns WHERE id = ?", [concern_id]).fetchone()
        others = db.execute("SELECT count(DISTINCT learner_id) FROM case_events WHERE concern_id = ? "
                            "AND kind = 'learner_link' AND learner_id != ?", [concern_id, learner_id]).fetchone()[0]
        subject = db.execute("SELECT 1 FROM case_events WHERE concern_id = ? AND kind = 'subject_link'",
                             [concern_id]).fetchone()
        if others:
            kept.append((concern_id, "it is linked to another child too"))
        elif concern[0] or concern[1] or subject:
            kept.append((concern_id, "it is about a member of staff"))
        else:
            alone.append(concern_id)
    return alone, kept


def attachments_of(db, concern_ids):
    marks = ", ".join("?" * len(concern_ids))
    return list(db.query(f"SELECT * FROM concern_attachments WHERE concern_id IN ({marks})", concern_ids)) \
        if concern_ids else []


def destroy(db, concern_ids):
    """Delete these cases whole, inside the caller's transaction; return the files to remove after commit.

    Their search entries and the copies kept of the items that brought them go too.
    """
    if not concern_ids:
        return []
    files = [evidence.path_of(a) for a in attachments_of(db, concern_ids)]
    ids = ", ".join(str(int(i)) for i in concern_ids)
    db.execute("INSERT INTO erasing (concern_id) SELECT value FROM json_each(?)", [json.dumps([int(i) for i in concern_ids])])
    refs = [f"concerns:{i}" for i in concern_ids] + [
        f"case_events:{r[0]}" for r in db.execute(f"SELECT id FROM case_events WHERE concern_id IN ({ids})")]
    db.execute("DELETE FROM sync_items WHERE ref IN (SELECT value FROM json_each(?))", [json.dumps(refs)])
    for table, where in _CASE_TABLES:
        db.execute(f"DELETE FROM {table} WHERE {where.format(ids=ids)}")
    db.execute("INSERT INTO concern_search (concern_search, rowid, account, action_taken, location, learners, adults) "
               f"SELECT 'delete', id, account, action_taken, location, learners, adults FROM concerns WHERE id IN ({ids})")
    db.execute(f"DELETE FROM concerns WHERE id IN ({ids})")
    db.execute("DELETE FROM erasing")
    return files


def remove_files(paths):
    """Remove the pictures of destroyed cases (after the commit: a failed commit keeps them)."""
    for path in paths:
        evidence.remove_file(path)

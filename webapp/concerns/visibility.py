"""Who may see a concern as a case: the one rule every page, list, pull, export, audit line and email reads.

- A member of staff a concern is about (named by a `subject_link` entry) never sees it, whatever
  roles they hold.
- A concern about the headteacher (`about_head`) is seen by the chair of governors and by a DSL the
  chair assigns it to; never by anyone holding `head`, nor by any other DSL.
- Every other concern is seen by the DSLs and the head.
A person's own reports (My concerns) are theirs whatever this says: they hold no case notes.
"""
from ..auth.roles import has_role
from ..auth.store import users_with_role

SUBJECTS = "SELECT concern_id FROM case_events WHERE kind = 'subject_link' AND user_id = ?"


def _id(person):
    return person["id"] if isinstance(person, dict) else person.id


def where(person, alias="s"):
    """Return (SQL condition, params) keeping the rows of `alias` (concern_state) this person may see."""
    me = _id(person)
    scopes, params = [], []
    if has_role(person, "dsl", "head"):
        scopes.append(f"{alias}.about_head = 0")
    if not has_role(person, "head"):
        if has_role(person, "chair"):
            scopes.append(f"{alias}.about_head = 1")
        elif has_role(person, "dsl"):
            scopes.append(f"({alias}.about_head = 1 AND {alias}.assignee_id = ?)")
            params.append(me)
    if not scopes:
        return "0", []
    return (f"({' OR '.join(scopes)}) AND {alias}.concern_id NOT IN ({SUBJECTS})", params + [me])


def may_see(db, person, concern_id):
    """Say whether this person may open the case (False for a case that does not exist)."""
    condition, params = where(person)
    return db.execute(f"SELECT 1 FROM concern_state s WHERE s.concern_id = ? AND {condition}",
                      [concern_id] + params).fetchone() is not None


def is_subject(db, user_id, concern_id):
    """Say whether a concern is about this member of staff."""
    return db.execute(f"SELECT 1 FROM ({SUBJECTS}) WHERE concern_id = ?",
                      [user_id, concern_id]).fetchone() is not None


def subjects_of(db, concern_id):
    """Return the ids of the staff a concern is about."""
    return {r[0] for r in db.execute("SELECT user_id FROM case_events WHERE kind = 'subject_link' "
                                     "AND concern_id = ?", [concern_id])}


def about_head(db, concern_id):
    row = db.execute("SELECT about_head FROM concern_state WHERE concern_id = ?", [concern_id]).fetchone()
    return bool(row and row[0])


def may_see_trail(db, person, concern_id):
    """Say whether an audit reader may see the log's lines about a case.

    Nobody sees the lines about a case that is about them; lines about a case about the head are for
    those who may see that case; other lines are for whoever may read the log.
    """
    if is_subject(db, _id(person), concern_id):
        return False
    return not about_head(db, concern_id) or may_see(db, person, concern_id)


def who_may_see(db, concern_id, people):
    """Keep the people (rows with "id" and "roles") who may see this case: for emails and lists."""
    return [p for p in people if may_see(db, p, concern_id)]


def assignable(db, concern_id, people):
    """Keep the case workers a case may be given to: never its subjects, never the head for a head case."""
    if concern_id is None:
        return list(people)
    hidden = subjects_of(db, concern_id)
    if about_head(db, concern_id):
        hidden |= {p["id"] for p in users_with_role(db, "head")}
    return [p for p in people if p["id"] not in hidden]

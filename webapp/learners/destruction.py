"""Carrying out the headteacher's decision to destroy a child's record after its review date.

Never automatic: the head first records the decision (a `review_destroy` entry, on a record past its
review date with no legal hold), then sees exactly what will go and confirms. The child's cases about
them alone are deleted whole with their pictures (webapp/concerns/erasure.py); cases that also
involve another child or a member of staff are kept. The pupil row stays, wiped of every personal
detail, so the audit log and other children's cases still point at something that says what happened.
"""
from dataclasses import dataclass

from ..concerns import erasure, links
from . import record

WIPED = {"surname": "", "forename": "Destroyed record", "preferred_forename": "", "year_group": "",
         "reg_group": "", "family_id": ""}


@dataclass
class Plan:
    """What destroying one record would do, shown to the head before they confirm."""
    destroyed: list      # case ids deleted whole
    kept: list           # (case id, why it is kept)
    pictures: int        # pictures deleted with those cases
    entries: int         # the record's own entries deleted (flags, holds, transfers)

    def summary(self):
        kept = f"; {len(self.kept)} case(s) kept because they involve others" if self.kept else ""
        return (f"{len(self.destroyed)} case(s) about this child alone deleted with {self.pictures} "
                f"picture(s), and {self.entries} record entr{'y' if self.entries == 1 else 'ies'}{kept}.")


def refusal(learner, entries, today):
    """Return why this record cannot be destroyed now, or None when it can."""
    if learner["destroyed_on"]:
        return "This record has already been destroyed."
    if record.review_on(learner) > today:
        return f"This record is not due for review until {record.review_on(learner):%-d %B %Y}."
    if record.on_hold(entries):
        return "A legal hold is in force: the record cannot be destroyed until the hold is cleared."
    decisions = [e for e in entries if e["kind"] in ("review_keep", "review_destroy")]
    if not decisions or decisions[-1]["kind"] != "review_destroy":
        return "Record the decision to destroy this record first."
    return None


def plan(db, learner, entries):
    destroyed, kept = erasure.split(db, learner["id"], links.concerns_of_learner(db, learner["id"]))
    own = [e for e in entries if e["kind"] not in ("review_keep", "review_destroy")]
    return Plan(destroyed, kept, len(erasure.attachments_of(db, destroyed)), len(own))


def carry_out(db, learner, entries, today, now):
    """Destroy the record inside the caller's transaction; return (the plan, files to remove after commit)."""
    done = plan(db, learner, entries)
    files = erasure.destroy(db, done.destroyed)
    db.execute("INSERT INTO erasing_learner (learner_id) VALUES (?)", [learner["id"]])
    db.execute("DELETE FROM learner_entries WHERE learner_id = ? AND kind NOT IN ('review_keep', 'review_destroy')",
               [learner["id"]])
    db.execute("DELETE FROM erasing_learner")
    sets = ", ".join(f"{column} = ?" for column in WIPED)
    db.execute(f"UPDATE learners SET {sets}, upn = ?, dob = ?, left_on = coalesce(left_on, ?), "
               "destroyed_on = ?, updated_at = ? WHERE id = ?",
               [*WIPED.values(), f"destroyed-{learner['id']}", learner["dob"][:4] + "-01-01", today.isoformat(),
                today.isoformat(), now, learner["id"]])
    return done, files

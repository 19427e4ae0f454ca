"""What the home page says about allegations against staff: those waiting for the LADO, a missing chair."""
from ..auth.roles import has_role
from ..auth.store import users_with_role
from . import visibility

# An allegation: an against-staff category or staff involved, about the head, or with a named subject.
_WAITING = """
    SELECT c.id, c.category, c.created_at, c.about_head FROM concern_state s JOIN concerns c ON c.id = s.concern_id
    WHERE s.status != 'closed' AND {visible}
      AND (c.flagged_for_head OR c.about_head OR EXISTS (
           SELECT 1 FROM case_events e WHERE e.concern_id = c.id AND e.kind = 'subject_link'))
      AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.concern_id = c.id AND e.kind = 'lado_informed')
    ORDER BY c.created_at, c.id"""


def awaiting_lado(db, person):
    """Return the open allegations this person may see whose LADO contact is not recorded, oldest first."""
    condition, params = visibility.where(person)
    return list(db.query(_WAITING.format(visible=condition), params))


def home_context(db, person):
    """Return what the home page shows: allegations waiting for the LADO (head, chair), a missing chair (admin)."""
    return {"awaiting_lado": awaiting_lado(db, person) if has_role(person, "head", "chair") else [],
            "no_chair": has_role(person, "admin") and not users_with_role(db, "chair")}

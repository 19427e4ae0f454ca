"""All SQL of the actions pages and reminders (the actions themselves are case entries)."""
from ..concerns import links


def open_actions(db, owner_id=None):
    """Return open actions (one owner's, or everyone's), soonest due first: overdue come first."""
    return links.open_actions(db, owner_id)


def get_action(db, action_id):
    """Return one action with whether it has ended, or None."""
    rows = list(db.query(f"{links.ACTION_SELECT} AND a.id = ?", [action_id]))
    return rows[0] if rows else None


def claim_reminder(db, action_id, moment, now):
    """Mark a reminder as sent; return False if it was already (the primary key makes it once only)."""
    cursor = db.execute("INSERT OR IGNORE INTO action_reminders (action_id, moment, sent_at) "
                        "VALUES (?, ?, ?)", [action_id, moment, now])
    return cursor.rowcount == 1

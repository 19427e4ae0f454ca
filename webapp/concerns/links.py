"""All SQL about what case entries point at: pupils linked to a case, actions and their owners,
replies to the person who logged a concern."""


def learner_links(db, concern_id):
    """Return the pupils linked to one case, first link first (one row per pupil)."""
    return list(db.query(
        "SELECT e.learner_id, min(e.created_at) AS linked_at FROM case_events e "
        "WHERE e.concern_id = ? AND e.kind = 'learner_link' GROUP BY e.learner_id "
        "ORDER BY linked_at, e.learner_id", [concern_id]))


def is_linked(db, concern_id, learner_id):
    return db.execute("SELECT 1 FROM case_events WHERE concern_id = ? AND learner_id = ? "
                      "AND kind = 'learner_link'", [concern_id, learner_id]).fetchone() is not None


def concerns_of_learner(db, learner_id):
    """Return the ids of every case a pupil is linked to, oldest first."""
    return [r[0] for r in db.execute(
        "SELECT DISTINCT e.concern_id FROM case_events e WHERE e.learner_id = ? "
        "AND e.kind = 'learner_link' ORDER BY e.concern_id", [learner_id])]


def concerns_with_events(db, concern_ids):
    """Return (concerns by id, their entries oldest first) for a child's chronology."""
    if not concern_ids:
        return {}, []
    marks = ", ".join("?" * len(concern_ids))
    concerns = {r["id"]: r for r in db.query(
        "SELECT c.*, r.name AS reporter_name, s.status FROM concerns c "
        "JOIN concern_state s ON s.concern_id = c.id JOIN users r ON r.id = c.reporter_id "
        f"WHERE c.id IN ({marks})", concern_ids)}
    events = list(db.query(
        "SELECT e.*, u.name AS author_name, a.name AS assignee_name FROM case_events e "
        "JOIN users u ON u.id = e.author_id LEFT JOIN users a ON a.id = e.assignee_id "
        f"WHERE e.concern_id IN ({marks}) ORDER BY e.created_at, e.id", concern_ids))
    return concerns, events


def replies_for_reporter(db, reporter_id):
    """Return the DSLs' replies to one person about what they logged, by concern, oldest first."""
    replies = {}
    for row in db.query(
            "SELECT e.concern_id, e.body, e.created_at, u.name AS author_name FROM case_events e "
            "JOIN concerns c ON c.id = e.concern_id JOIN users u ON u.id = e.author_id "
            "WHERE c.reporter_id = ? AND e.kind = 'reply_to_reporter' ORDER BY e.created_at, e.id",
            [reporter_id]):
        replies.setdefault(row["concern_id"], []).append(row)
    return replies


ACTION_SELECT = (
    "SELECT a.*, o.name AS owner_name, u.name AS author_name, c.category, "
    "(SELECT d.kind FROM case_events d WHERE d.action_id = a.id "
    " AND d.kind IN ('action_done', 'action_cancelled') ORDER BY d.id LIMIT 1) AS ended_kind, "
    "(SELECT d.created_at FROM case_events d WHERE d.action_id = a.id "
    " AND d.kind IN ('action_done', 'action_cancelled') ORDER BY d.id LIMIT 1) AS ended_at "
    "FROM case_events a JOIN concerns c ON c.id = a.concern_id "
    "JOIN users u ON u.id = a.author_id LEFT JOIN users o ON o.id = a.assignee_id "
    "WHERE a.kind = 'action'")


def get_action(db, concern_id, action_id):
    """Return one action of a case with whether it has ended, or None."""
    rows = list(db.query(f"{ACTION_SELECT} AND a.concern_id = ? AND a.id = ?", [concern_id, action_id]))
    return rows[0] if rows else None


def actions_of_case(db, concern_id):
    """Return a case's actions, open ones first and soonest due first."""
    return list(db.query(f"{ACTION_SELECT} AND a.concern_id = ? ORDER BY ended_kind IS NOT NULL, "
                         "a.due_on, a.id", [concern_id]))


def open_actions(db, owner_id=None):
    """Return actions not yet done or cancelled (of one owner, or everyone's), soonest due first."""
    owner = "" if owner_id is None else " AND a.assignee_id = ?"
    params = [] if owner_id is None else [owner_id]
    return [r for r in db.query(f"{ACTION_SELECT}{owner} ORDER BY a.due_on, a.id", params)
            if r["ended_kind"] is None]

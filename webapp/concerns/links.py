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

"""Destroying a child's record: only after the head's recorded decision, on a record past review with
no legal hold, shown first and confirmed; cases about that child alone go whole, others are kept."""
import sqlite3

import pytest

from tests.concerns.conftest import png
from tests.conftest import csrf_from
from tests.learners.test_retention import make_old, post

AISHA, OLLIE = "A123456789015", "A123456789012"
UNIQUE_WORD = "zanzibarquill"


def decide(client, learner_id, decision="review_destroy"):
    return post(client, learner_id, "review", **{"review-decision": decision, "review-on_date": "2026-12-01",
                                                 "review-body": "Past the retention period, no hold"})


def confirm(client, learner_id, tick=True):
    token = csrf_from(client.get(f"/learners/{learner_id}/destroy").get_data(as_text=True))
    return client.post(f"/learners/{learner_id}/destroy", data={"csrf_token": token, **({"confirm": "y"} if tick else {})})


@pytest.fixture
def aishas_cases(pupils, concerns, auth, db, app):
    """Aisha (record past review) linked to: a case about her alone with a picture and an action, a case
    shared with Ollie, and a case about a member of staff. Leaves nobody signed in."""
    ids = pupils.load()
    make_old(db, AISHA, "2000-01-10")
    alone = concerns.log("staff", {"account": f"Aisha was sent a message {UNIQUE_WORD}."}, files=[("a.png", png())])
    shared = concerns.log("staff", {"account": "Aisha and Ollie were sent a message."})
    staff = concerns.log("staff", {"account": "A member of staff messaged Aisha.", "staff_involved": "y"})
    auth.login("dsl")
    for concern_id in (alone, shared, staff):
        assert pupils.link(concern_id, ids[AISHA]).status_code == 302
    assert pupils.link(shared, ids[OLLIE]).status_code == 302
    concerns.add(alone, "action", body="Call the parents", assignee_id=app.people["dsl"], due_on="2026-12-10")
    auth.logout()
    return ids, alone, shared, staff


def count(db, sql, *params):
    return db.execute(sql, params).fetchone()[0]


def test_the_head_sees_what_will_go_and_confirms_before_anything_is_deleted(aishas_cases, auth, client, db, app):
    ids, alone, shared, staff = aishas_cases
    aisha = ids[AISHA]
    auth.login("head")
    shown = client.get(decide(client, aisha).headers["Location"]).get_data(as_text=True)
    assert "Decision recorded: destroy the record" in shown and "Destroy the record of Aisha Khan" in shown
    assert f"concern {alone}" in shown and "1 picture" in shown
    assert f"Concern {shared}: it is linked to another child too" in shown
    assert f"Concern {staff}: it is about a member of staff" in shown
    # Not ticked: nothing goes, and the person is told why.
    unticked = confirm(client, aisha, tick=False)
    assert unticked.status_code == 200 and "Tick the box to confirm" in unticked.get_data(as_text=True)
    assert count(db, "SELECT count(*) FROM concerns WHERE id = ?", alone) == 1
    picture = db.execute("SELECT stored_name FROM concern_attachments WHERE concern_id = ?", [alone]).fetchone()[0]
    stored = app.config["UPLOAD_FOLDER"] + "/" + picture

    done = confirm(client, aisha)
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "This record was destroyed" in page and "Past the retention period" in page
    assert "Aisha" not in page and "Khan" not in page

    # The case about Aisha alone is gone whole: report, entries, action, picture, search, the item's copy.
    for table in ("concerns WHERE id", "case_events WHERE concern_id", "concern_attachments WHERE concern_id",
                  "concern_state WHERE concern_id", "concern_access WHERE concern_id"):
        assert count(db, f"SELECT count(*) FROM {table} = ?", alone) == 0, table
    assert count(db, "SELECT count(*) FROM concern_search WHERE concern_search MATCH ?", UNIQUE_WORD) == 0
    import os
    assert not os.path.exists(stored)
    # The other two are kept, still linked, and name no one.
    assert count(db, "SELECT count(*) FROM concerns WHERE id IN (?, ?)", shared, staff) == 2
    kept_case = client.get(f"/concerns/{shared}").get_data(as_text=True)
    assert "Destroyed record" in kept_case and "Khan" not in kept_case
    row = db.execute("SELECT * FROM learners WHERE id = ?", [aisha]).fetchone()
    assert "Aisha" not in str(row) and "Khan" not in str(row) and AISHA not in str(row)
    assert [r[0] for r in db.execute("SELECT kind FROM learner_entries WHERE learner_id = ?", [aisha])] == ["review_destroy"]
    assert count(db, "SELECT count(*) FROM erasing") == 0 and count(db, "SELECT count(*) FROM erasing_learner") == 0
    # Recorded in the audit log, whose chain still holds; the queue and search still work.
    assert count(db, "SELECT count(*) FROM audit_log WHERE action = 'learner.destroy' AND subject = ?",
                 f"learner:{aisha}") == 1
    assert "holds" in app.test_cli_runner().invoke(args=["verify-audit"]).output.lower()
    assert client.get("/concerns/queue").status_code == 200
    assert f'href="/learners/{aisha}"' not in client.get("/learners?q=Destroyed").get_data(as_text=True)
    assert f'href="/learners/{ids[OLLIE]}"' in client.get("/learners?q=Ollie").get_data(as_text=True)
    # Gone is gone: no second destruction, no more entries, no export.
    assert "This record was destroyed" in client.get(f"/learners/{aisha}/destroy").get_data(as_text=True)
    assert client.get(f"/learners/{aisha}/chronology.pdf").status_code == 404
    assert post(client, aisha, "hold", **{"hold-change": "hold_set", "hold-on_date": "2026-12-02",
                                          "hold-body": "Too late"}).status_code == 404


def test_destroying_needs_the_decision_no_hold_and_the_head(aishas_cases, auth, client, db):
    ids, alone, _, _ = aishas_cases
    aisha = ids[AISHA]
    auth.login("dsl")
    assert client.get(f"/learners/{aisha}/destroy").status_code == 403
    auth.logout()
    auth.login("head")
    no_decision = client.get(f"/learners/{aisha}/destroy")
    assert "Record the decision to destroy this record first" in client.get(no_decision.headers["Location"]).get_data(as_text=True)
    decide(client, aisha, "review_keep")
    assert "Record the decision" in client.get(client.get(f"/learners/{aisha}/destroy").headers["Location"]).get_data(as_text=True)
    decide(client, aisha)
    post(client, aisha, "hold", **{"hold-change": "hold_set", "hold-on_date": "2026-12-02", "hold-body": "Police"})
    held = client.get(f"/learners/{aisha}/destroy")
    assert "A legal hold is in force" in client.get(held.headers["Location"]).get_data(as_text=True)
    token = csrf_from(client.get(f"/learners/{aisha}").get_data(as_text=True))
    client.post(f"/learners/{aisha}/destroy", data={"csrf_token": token, "confirm": "y"})
    assert count(db, "SELECT count(*) FROM concerns WHERE id = ?", alone) == 1
    ollie = ids[OLLIE]  # not yet due for review
    assert "not due for review" in client.get(client.get(f"/learners/{ollie}/destroy").headers["Location"]).get_data(as_text=True)


def test_the_database_still_refuses_every_other_delete(aishas_cases, db, app):
    ids, alone, _, _ = aishas_cases
    db.execute("INSERT INTO learner_entries (learner_id, author_id, kind, on_date, created_at) "
               "VALUES (?, ?, 'flag_set', '2026-01-01', '2026-01-01T00:00:00Z')", [ids[AISHA], app.people["dsl"]])
    db.conn.commit()
    for sql in ("DELETE FROM concerns WHERE id = ?", "DELETE FROM case_events WHERE concern_id = ?",
                "DELETE FROM concern_attachments WHERE concern_id = ?"):
        with pytest.raises(sqlite3.IntegrityError, match="cannot be changed or deleted"):
            db.execute(sql, [alone])
    with pytest.raises(sqlite3.IntegrityError, match="cannot be changed or deleted"):
        db.execute("DELETE FROM learner_entries")


def test_a_destroyed_case_leaves_the_phones_of_dsls_and_the_head_at_their_next_pull(aishas_cases, auth, client):
    ids, alone, shared, staff = aishas_cases
    cursors = {}
    for who in ("dsl", "head"):
        auth.login(who)
        first = client.get("/api/sync/pull").get_json()
        assert alone in {c["id"] for c in first["changes"] if c["type"] == "concern"}
        cursors[who] = first["cursor"]
        auth.logout()
    auth.login("head")
    decide(client, ids[AISHA])
    confirm(client, ids[AISHA])
    auth.logout()
    for who in ("dsl", "head"):
        auth.login(who)
        later = client.get("/api/sync/pull", query_string={"since": cursors[who]}).get_json()
        about = [c for c in later["changes"] if c["type"] == "concern" and c["id"] == alone]
        assert about == [{"type": "concern", "id": alone, "changed_at": "", "removed": True}], who
        assert shared not in {c["id"] for c in later["changes"] if c.get("removed")}
        again = client.get("/api/sync/pull", query_string={"since": later["cursor"]}).get_json()
        assert alone not in {c["id"] for c in again["changes"]}  # said once
        auth.logout()

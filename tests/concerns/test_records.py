"""The database itself keeps reports, chronology, evidence and access log append-only."""
import sqlite3

import pytest

from .conftest import png


@pytest.fixture
def case(concerns, auth, client):
    concern_id = concerns.log("staff", files=[("a.png", png())])
    auth.login("dsl")
    client.get(f"/concerns/{concern_id}")
    concerns.add(concern_id, "note", body="First note")
    client.get(f"/concerns/{concern_id}/pictures/1")
    return concern_id


@pytest.mark.parametrize("table, change", [
    ("concerns", "UPDATE concerns SET account = 'rewritten'"),
    ("concerns", "DELETE FROM concerns"),
    ("case_events", "UPDATE case_events SET body = 'rewritten'"),
    ("case_events", "DELETE FROM case_events"),
    ("concern_attachments", "UPDATE concern_attachments SET filename = 'x.png'"),
    ("concern_attachments", "DELETE FROM concern_attachments"),
    ("audit_log", "UPDATE audit_log SET actor_id = 1"),
    ("audit_log", "DELETE FROM audit_log"),
])
def test_triggers_refuse_update_and_delete(db, case, table, change):
    before = list(db.query(f"SELECT * FROM {table}"))
    assert before
    with pytest.raises(sqlite3.IntegrityError, match="cannot be changed or deleted"):
        db.execute(change)
    assert list(db.query(f"SELECT * FROM {table}")) == before


def test_an_amendment_is_a_new_entry(client, auth, concerns, case, db):
    concerns.add(case, "note", body="Correction: it was Tuesday, not Monday.")
    bodies = [r["body"] for r in db.query("SELECT body FROM case_events ORDER BY id")]
    assert bodies == ["First note", "Correction: it was Tuesday, not Monday."]
    html = client.get(f"/concerns/{case}").get_data(as_text=True)
    assert html.index("First note") < html.index("Correction: it was Tuesday")


def test_the_case_page_shows_the_report_exactly_as_submitted(client, case, db):
    row = next(db.query("SELECT * FROM concerns"))
    html = client.get(f"/concerns/{case}").get_data(as_text=True)
    for value in ("Sally Staff", "Year 4 classroom", "Year 4 pupil (boy)", "Took a screenshot"):
        assert value in html
    assert row["account"] in html

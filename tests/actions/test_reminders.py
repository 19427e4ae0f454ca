"""`send-action-reminders` against a real local SMTP server: each owner once when an action falls
due, the DSLs once when it is overdue; no names and nothing of the case in any email."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


def day(offset):
    return (datetime.now(ZoneInfo("Europe/London")).date() + timedelta(days=offset)).isoformat()


def remind(app):
    result = app.test_cli_runner().invoke(args=["send-action-reminders"])
    assert result.exit_code == 0, result.output
    return result.output


def test_owners_once_when_due_and_the_dsls_once_when_overdue(mailbox, case, add_action, concerns, app, db):
    add_action(case, "staff", day(0), "Speak to Tom Brown's parents")        # due today
    add_action(case, "staff2", day(-3), "Check Ollie Smith's tablet")         # overdue
    add_action(case, "head", day(4), "Later job")                             # not yet
    add_action(case, "staff", day(-1), "Done already")
    done_id = db.execute("SELECT max(id) FROM case_events WHERE kind = 'action'").fetchone()[0]
    concerns.add(case, "action_done", action_id=done_id)
    before = len(mailbox.messages)  # the new-concern emails to the DSLs
    output = remind(app)
    assert "2 reminder(s) to owners and 1 overdue notice(s)" in output
    received = mailbox.messages[before:]
    owners = sorted(to for m in received if m["subject"] == "You have an action due" for to in m["to"])
    assert owners == ["staff2@test.school", "staff@test.school"]
    overdue = [m for m in received if m["subject"] == "An action on a concern is overdue"]
    assert sorted(to for m in overdue for to in m["to"]) == ["dsl2@test.school", "dsl@test.school"]
    assert all(f"/concerns/{case}" in m["body"] for m in overdue)
    for m in received:
        for secret in ("Tom", "Brown", "Ollie", "Smith", "tablet", "parents", "cruel", "Sally", "Sam", "Diane"):
            assert secret not in m["body"] and secret not in m["subject"], (secret, m["body"])
    # A second run the same day (or the next) sends nothing again.
    assert "0 reminder(s) to owners and 0 overdue notice(s)" in remind(app)
    assert len(mailbox.messages) == before + len(received)


def test_without_a_mail_server_nothing_is_marked_sent(case, add_action, app, db):
    add_action(case, "staff", day(0))
    assert "no SMTP_HOST is set" in remind(app)
    assert db.execute("SELECT count(*) FROM action_reminders").fetchone()[0] == 0

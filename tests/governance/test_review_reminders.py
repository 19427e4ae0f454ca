"""Review falling due: a banner for head, admin and governor, and one email each per due state."""
import time_machine

from .conftest import add_version

SOON = "The policy is due for review soon."
OVERDUE = "The policy's review is overdue."
REVIEWERS = ["admin@test.school", "governor@test.school", "head@test.school"]


def page_as(client, auth, who, path="/"):
    auth.login(who)
    html = client.get(path).get_data(as_text=True)
    auth.logout()
    return html


def recipients(mailbox, subject_word):
    return sorted(m["to"][0] for m in mailbox.messages if subject_word in m["subject"])


def test_banner_shows_within_30_days_and_when_overdue(app, client, auth, db, people):
    add_version(db, people, written="2026-07-01", effective="2026-09-01", review="2027-07-01")
    with time_machine.travel("2027-05-31T12:00:00Z", tick=False):
        assert SOON not in page_as(client, auth, "head")
    with time_machine.travel("2027-06-01T12:00:00Z", tick=False):
        for who in ("head", "admin", "governor"):
            assert SOON in page_as(client, auth, who)
        for who in ("staff", "dsl"):
            assert SOON not in page_as(client, auth, who)
    with time_machine.travel("2027-07-01T12:00:00Z", tick=False):
        html = page_as(client, auth, "governor")
        assert OVERDUE in html and "was due on 1 July 2027" in html


def test_one_email_per_person_per_due_state(app, client, auth, db, people, mailbox):
    add_version(db, people, written="2026-07-01", effective="2026-09-01", review="2027-07-01")
    with time_machine.travel("2027-05-20T12:00:00Z", tick=False):
        page_as(client, auth, "head")
        assert mailbox.messages == []
    with time_machine.travel("2027-06-05T12:00:00Z", tick=False):
        page_as(client, auth, "staff")
        assert mailbox.messages == []  # staff pages do not trigger it
        page_as(client, auth, "governor")
        page_as(client, auth, "head")
        page_as(client, auth, "admin")
        assert recipients(mailbox, "due for review soon") == REVIEWERS
    with time_machine.travel("2027-07-02T12:00:00Z", tick=False):
        page_as(client, auth, "admin")
        page_as(client, auth, "admin")
        assert recipients(mailbox, "overdue") == REVIEWERS
    assert len(mailbox.messages) == 6
    assert "http://127.0.0.1:5000/policy" in mailbox.messages[0]["body"]


def test_the_cron_command_sends_the_same_single_reminders(app, runner, client, auth, db, people, mailbox):
    add_version(db, people, written="2026-07-01", effective="2026-09-01", review="2027-07-01")
    with time_machine.travel("2027-07-10T12:00:00Z", tick=False):
        result = runner.invoke(args=["send-policy-reminders"])
        assert result.exit_code == 0 and "3 policy review reminder(s) queued" in result.output
        assert runner.invoke(args=["send-policy-reminders"]).output.startswith("0 ")
        page_as(client, auth, "head")
        assert recipients(mailbox, "overdue") == REVIEWERS and len(mailbox.messages) == 3


def test_a_reminder_that_could_not_be_sent_is_tried_again(app, runner, db, people, mailbox):
    add_version(db, people, written="2026-07-01", effective="2026-09-01", review="2027-07-01")
    with time_machine.travel("2027-07-10T12:00:00Z", tick=False):
        port = app.config["SMTP_PORT"]
        app.config["SMTP_PORT"] = 9  # nothing listens there
        assert "3 policy review" in runner.invoke(args=["send-policy-reminders"]).output
        assert mailbox.deliver() == (0, 3)
        app.config["SMTP_PORT"] = port
        assert "0 policy review" in runner.invoke(args=["send-policy-reminders"]).output  # never twice
    with time_machine.travel("2027-07-10T12:05:00Z", tick=False):  # after the first retry delay
        assert recipients(mailbox, "overdue") == REVIEWERS and len(mailbox.messages) == 3


def test_a_new_reviewed_version_ends_the_banner(app, client, auth, db, people):
    add_version(db, people, written="2026-07-01", effective="2026-09-01", review="2027-07-01")
    with time_machine.travel("2027-07-10T12:00:00Z", tick=False):
        assert OVERDUE in page_as(client, auth, "head")
        add_version(db, people, written="2027-07-08", effective="2027-09-01", review="2028-07-01")
        assert OVERDUE not in page_as(client, auth, "head")


def test_a_database_fault_in_the_banner_or_reminder_never_stops_the_page(app, client, auth, db, people, monkeypatch):
    import sqlite3

    from webapp.governance import store

    def broken(*args):
        raise sqlite3.OperationalError("disk I/O error")

    add_version(db, people, written="2026-07-01", effective="2026-09-01", review="2027-07-01")
    with time_machine.travel("2027-07-10T12:00:00Z", tick=False):
        auth.login("head")
        monkeypatch.setattr(store, "newest_version", broken)
        monkeypatch.setattr(store, "version_in_force", broken)
        response = client.get("/")
    assert response.status_code == 200 and "Hello, Helen Head" in response.get_data(as_text=True)

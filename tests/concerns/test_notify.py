"""A new concern emails each DSL (the head alone for allegations about staff): category and link only."""
from tests.conftest import PEOPLE

from .conftest import b64, png

DSLS = {PEOPLE["dsl"][0], PEOPLE["dsl2"][0]}
SECRET = {"account": "Narrative that must stay in the app", "learners": "Pupil Quentin Q",
          "adults": "Mr Named Adult", "location": "Behind the bike shed"}


def recipients(mailbox):
    return {to for m in mailbox.messages for to in m["to"]}


def test_each_dsl_gets_an_email_with_the_category_and_a_link(app, concerns, mailbox):
    app.config["BASE_URL"] = "https://school.example"
    concern_id = concerns.log("staff", {**SECRET, "category": "abusive_message", "urgent": "y"})
    assert recipients(mailbox) == DSLS and len(mailbox.messages) == 2
    for message in mailbox.messages:
        assert message["subject"] == "URGENT: New concern: Abusive or unkind message"
        assert f"https://school.example/concerns/{concern_id}" in message["body"]
        raw = message["raw"].decode(errors="replace")
        for secret in list(SECRET.values()) + ["Sally Staff"]:
            assert secret not in raw


def test_the_head_alone_is_told_of_allegations_against_staff(concerns, mailbox):
    # a DSL may be the one it is about: who it is about is recorded later, at triage
    concerns.log("staff", {"category": "staff_images_of_learners"})
    assert recipients(mailbox) == {PEOPLE["head"][0]}
    assert all("flagged for the headteacher" in m["body"] for m in mailbox.messages)


def test_allegations_go_to_the_dsls_when_nobody_holds_head(app, concerns, mailbox, db):
    db.execute("DELETE FROM user_roles WHERE role = 'head'")
    db.conn.commit()
    concerns.log("staff", {"category": "staff_images_of_learners"})
    assert recipients(mailbox) == DSLS


def test_illegal_content_involving_staff_is_flagged_for_the_head(concerns, mailbox, db):
    concerns.log("staff", {"category": "illegal_content", "staff_involved": "y"})
    assert PEOPLE["head"][0] in recipients(mailbox)
    assert db.execute("SELECT flagged_for_head FROM concerns").fetchone()[0] == 1


def test_other_concerns_are_not_sent_to_the_head(concerns, mailbox, db):
    concerns.log("staff", {"category": "illegal_content"})
    assert recipients(mailbox) == DSLS
    assert db.execute("SELECT flagged_for_head FROM concerns").fetchone()[0] == 0


def test_a_concern_from_a_phone_sends_the_same_email(app, mailbox, db):
    from webapp.auth.store import get_user
    from webapp.concerns.sync import KINDS
    with app.test_request_context():
        with db.atomic():
            result = KINDS["concern"](db, {"category": "school_device", "occurred_at": "2026-11-25T09:00:00Z",
                                           "location": "Hall", "account": "Tablet left unlocked",
                                           "attachments": [{"filename": "a.png", "content_type": "image/png",
                                                            "data": b64(png())}]},
                                      get_user(db, app.people["staff"]), {"item_id": "item-1"})
            assert mailbox.queued() == 0  # queued in the concern's transaction: unseen until it commits
        assert result["after_commit"] is None
    assert recipients(mailbox) == DSLS
    assert "New concern: School device lost or unprotected" == mailbox.messages[0]["subject"]


def test_emails_of_a_concern_that_is_rolled_back_are_never_sent(app, mailbox, db):
    from webapp.auth.store import get_user
    from webapp.concerns.sync import KINDS
    with app.test_request_context():
        try:
            with db.atomic():
                KINDS["concern"](db, {"category": "school_device", "occurred_at": "2026-11-25T09:00:00Z",
                                      "location": "Hall", "account": "Tablet left unlocked"},
                                 get_user(db, app.people["staff"]), {"item_id": "item-1"})
                assert db.execute("SELECT count(*) FROM mail_outbox").fetchone()[0] == 2
                raise RuntimeError("the push failed after the concern was written")
        except RuntimeError:
            pass
    assert db.execute("SELECT count(*) FROM concerns").fetchone()[0] == 0
    assert mailbox.messages == []


def test_without_smtp_the_concern_is_saved_and_dsls_see_a_count(client, auth, concerns, app):
    assert not app.config["SMTP_HOST"]
    concerns.log("staff")
    concerns.log("staff2")
    auth.login("dsl")
    assert "2 new concerns" in client.get("/concerns/queue").get_data(as_text=True)

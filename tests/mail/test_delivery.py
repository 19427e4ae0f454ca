"""Every email reaches a real SMTP server exactly once: through a killed sender, a mail server
that is down for a while, and one that hangs."""
import threading
from collections import Counter
from datetime import timedelta

from tests.concerns.conftest import REPORT, school_time
from tests.conftest import csrf_from, free_port
from tests.sync.conftest import signed_in_phone
from tests.sync.phone import concern
from webapp.clock import parse_iso, utcnow
from webapp.db import connect
from webapp.mail.worker import send_pass

from .conftest import outbox, point_at, queue

ADDRESSES = [f"{name}@test.school" for name in ("ann", "bob", "cat", "dan", "eve")]


def one_pass(app, now=None):
    """Run one pass of the mail sender in this process; return (sent, failed)."""
    with app.app_context():
        db = connect(app.config["DATABASE"])
        try:
            return send_pass(db, app.config, now)
        finally:
            db.conn.close()


def test_a_sender_killed_mid_send_then_restarted_sends_each_email_exactly_once(app, db, smtp_servers, senders):
    server = smtp_servers(hold_rcpt="cat@test.school")  # the third email's conversation stops half-way
    point_at(app, server.port)
    queue(app, ADDRESSES)
    first = senders(app)
    assert server.holding.wait(60) and server.wait_for(2)
    assert [m["to"] for m in server.received] == [["ann@test.school"], ["bob@test.school"]]
    assert [r["state"] for r in outbox(db)] == ["sent", "sent", "sending", "waiting", "waiting"]

    first.kill()  # kill -9 while the mail server has half of the third email
    server.release()
    second = senders(app)
    assert server.wait_for(5)
    code, said = second.stop()

    assert code == 0 and "1 email(s) a stopped sender had started will be sent again." in said
    arrived = Counter(m["to"][0] for m in server.received)
    assert arrived == Counter(ADDRESSES)  # each exactly once
    rows = outbox(db)
    assert [r["state"] for r in rows] == ["sent"] * 5 and [r["attempts"] for r in rows] == [1, 1, 2, 1, 1]
    assert sorted(m["message_id"] for m in server.received) == sorted(r["message_id"] for r in rows)


def test_a_second_sender_leaves_the_sending_to_the_one_running(app, smtp_servers, senders):
    server = smtp_servers(hold_data=True)
    point_at(app, server.port)
    queue(app, ADDRESSES[:1])
    running = senders(app)
    assert server.holding.wait(60)
    code, said = senders(app, "--once").stop(signal_it=False)
    assert code == 0 and "Another mail sender is running" in said
    server.release()
    assert server.wait_for(1)
    running.stop()
    assert len(server.received) == 1


def test_mail_server_down_then_up_delivers_everything_after(app, client, auth, db, smtp_servers):
    point_at(app, free_port())  # the school's mail server is down: nothing listens there
    auth.login("staff")
    token = csrf_from(client.get("/concerns/new").get_data(as_text=True))
    response = client.post("/concerns/new", data={**REPORT, "occurred_at": school_time(), "csrf_token": token})
    assert response.status_code == 302  # saved at once, mail server or not

    assert one_pass(app) == (0, 2)
    rows = outbox(db)
    assert [r["state"] for r in rows] == ["waiting"] * 2 and all(r["last_error"] for r in rows)
    server = smtp_servers()
    point_at(app, server.port)  # it is back
    assert one_pass(app) == (0, 0)  # each waits for its retry time: no hammering
    later = parse_iso(db.execute("SELECT max(next_attempt_at) FROM mail_outbox").fetchone()[0])
    assert later - utcnow() >= timedelta(seconds=50)
    assert one_pass(app, later) == (2, 0)
    assert sorted(m["to"][0] for m in server.received) == ["dsl2@test.school", "dsl@test.school"]
    assert one_pass(app, later + timedelta(days=1)) == (0, 0)  # and never again


def test_a_hanging_mail_server_holds_up_no_push(app, client, auth, db, smtp_servers):
    server = smtp_servers(hold_data=True)  # takes the email, then never answers
    point_at(app, server.port)
    queue(app, ["head@test.school"], "Sent before the push")
    sender = threading.Thread(target=one_pass, args=(app,))
    sender.start()
    assert server.holding.wait(60)  # the sender is stuck in the middle of its conversation

    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("concern", {**concern("Seen on the field"), "urgent": True})
    assert phone.statuses([item]) == {item["id"]: "stored"}  # answered while the mail server hangs
    assert server.holding.is_set() and sender.is_alive() and server.received == []
    assert db.execute("SELECT count(*) FROM mail_outbox WHERE state = 'waiting'").fetchone()[0] == 2

    server.release()
    sender.join()
    assert one_pass(app) == (2, 0)
    assert Counter(m["to"][0] for m in server.received) == Counter(
        ["head@test.school", "dsl@test.school", "dsl2@test.school"])

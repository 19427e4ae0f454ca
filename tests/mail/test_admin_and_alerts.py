"""Admins see email that keeps failing; a phone holding items too long is named to the DSLs once."""
from datetime import timedelta

from tests.conftest import csrf_from, free_port
from tests.sync.conftest import signed_in_phone
from tests.sync.phone import concern
from webapp.clock import iso, parse_iso, utcnow

from .conftest import outbox, point_at, queue
from .test_delivery import one_pass


def fail_three_times(app, db):
    now = utcnow()
    for _ in range(3):
        assert one_pass(app, now) == (0, 1)
        now = parse_iso(db.execute("SELECT next_attempt_at FROM mail_outbox").fetchone()[0])
    return now


def test_admins_see_email_that_keeps_failing_and_can_try_again_or_stop(app, client, auth, db, smtp_servers):
    point_at(app, free_port())
    queue(app, ["gone@test.school"], "Urgent device-use request waiting")
    fail_three_times(app, db)
    auth.login("admin")
    page = client.get("/admin/email").get_data(as_text=True)
    assert 'data-mail-count="failing">1<' in page and "gone@test.school" in page
    assert outbox(db)[0]["last_error"] in page and "Try again now" in page

    server = smtp_servers()
    point_at(app, server.port)
    client.post("/admin/email/1/try-now", data={"csrf_token": csrf_from(page)})
    assert one_pass(app) == (1, 0) and [m["to"] for m in server.received] == [["gone@test.school"]]
    page = client.get("/admin/email").get_data(as_text=True)
    assert 'data-mail-count="failing">0<' in page and 'data-mail-count="sent">1<' in page


def test_an_admin_can_stop_an_email_that_can_never_arrive(app, client, auth, db):
    point_at(app, free_port())
    queue(app, ["gone@test.school"])
    fail_three_times(app, db)
    auth.login("admin")
    token = csrf_from(client.get("/admin/email").get_data(as_text=True))
    client.post("/admin/email/1/stop", data={"csrf_token": token})
    assert outbox(db)[0]["state"] == "stopped"
    assert one_pass(app, utcnow() + timedelta(days=2)) == (0, 0)
    page = client.get("/admin/email").get_data(as_text=True)
    assert 'data-mail-count="stopped">1<' in page and "no longer waiting" not in page


def test_the_page_says_when_the_sender_is_not_running(app, client, auth):
    point_at(app, free_port())
    auth.login("admin")
    assert "The mail sender has not run yet" in client.get("/admin/email").get_data(as_text=True)
    one_pass(app)
    assert "The mail sender is running." in client.get("/admin/email").get_data(as_text=True)


def test_a_phone_holding_items_too_long_is_named_to_the_dsls_once(app, client, auth, db, smtp_servers):
    server = smtp_servers()
    point_at(app, server.port)
    phone = signed_in_phone(client, auth, "staff", device_id="phone-kept-in-a-drawer")
    kept = {"count": 4, "oldest": iso(utcnow() - timedelta(hours=30))}
    item = phone.item("concern", concern("SECRET-7 what the phone still holds"))
    assert phone.push([item], waiting=kept).status_code == 200
    assert one_pass(app) == (4, 0)  # the concern's two emails and the two alerts
    alerts = [m for m in server.received if m["subject"] == "A phone has items waiting to send"]
    assert sorted(m["to"][0] for m in alerts) == ["dsl2@test.school", "dsl@test.school"]
    message = alerts[0]
    assert "phone-ke" in message["body"] and "4 item(s)" in message["body"] and "Sally Staff" in message["body"]
    assert b"SECRET-7" not in message["raw"]

    assert phone.push([], waiting=kept).status_code == 200
    assert one_pass(app) == (0, 0)  # the same spell of waiting: told once
    fresh = {"count": 1, "oldest": iso(utcnow() - timedelta(hours=2))}
    assert phone.push([], waiting=fresh).status_code == 200
    assert one_pass(app) == (0, 0)  # under the limit: nothing to tell

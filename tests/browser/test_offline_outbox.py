"""Offline capture on a phone: sealed on submit, nothing readable kept, delivered exactly once."""
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.phone import (DUMP_PHONE, SENT, fill_concern, log_concern, outbox_count, ready_offline, rows,
                                 wait_for_rows, wait_until)

def count_pushes(app):
    """Return a list that grows by one for every push the server receives."""
    from flask import request
    seen = []
    app.before_request_funcs.setdefault(None, []).append(
        lambda: seen.append(1) if request.path == "/api/sync/push" else None)
    return seen


CONCERNS_LIKE = "SELECT id, reporter_id, source FROM concerns WHERE account LIKE ?"


def test_offline_concern_is_sealed_then_delivered_exactly_once(page, context, live_server):
    app = live_server.app
    sign_in(page, live_server, "staff")
    ready_offline(page)
    context.set_offline(True)
    log_concern(page, live_server.url, "MARKER-7731 message sent to a Year 5 pupil")
    expect(page.get_by_label("What happened?")).to_have_value("")        # the form was cleared
    expect(page.locator("[data-outbox-status]")).to_contain_text("1 item waiting to send")
    assert "MARKER-7731" not in page.evaluate(DUMP_PHONE)                 # nothing readable on the phone
    assert rows(app, CONCERNS_LIKE, ["%MARKER-7731%"]) == []              # and nothing reached the server
    context.set_offline(False)                                            # fires `online`: the page sends
    delivered = wait_for_rows(app, CONCERNS_LIKE, ["%MARKER-7731%"], 1)
    expect(page.locator("[data-outbox-status]")).to_contain_text(
        f"Sent — concern number {delivered[0]['id']} has reached the DSLs.")
    assert len(rows(app, CONCERNS_LIKE, ["%MARKER-7731%"])) == 1
    assert delivered[0]["reporter_id"] == app.people["staff"] and delivered[0]["source"] == "phone"
    assert outbox_count(page) == 0


def test_failing_server_then_recovery_delivers_once(page, context, live_server):
    app = live_server.app
    sign_in(page, live_server, "staff")
    ready_offline(page)
    context.set_offline(True)
    log_concern(page, live_server.url, "MARKER-5120 photo taken in the hall")
    faults = app.extensions["sync_faults"]
    pushes = count_pushes(app)
    faults.fail_next_pushes(3)
    context.set_offline(False)
    while faults.failing:  # each attempt fails and the item stays; Sync now tries again at once
        left = faults.failing
        page.get_by_role("button", name="Sync now").click()
        wait_until(lambda: faults.failing < left)
    wait_for_rows(app, CONCERNS_LIKE, ["%MARKER-5120%"], 1)
    expect(page.locator("[data-outbox-status]")).to_have_text(SENT)
    assert len(pushes) >= 4
    assert len(rows(app, CONCERNS_LIKE, ["%MARKER-5120%"])) == 1 and outbox_count(page) == 0


def test_lost_acknowledgement_gives_one_row(page, context, live_server):
    app = live_server.app
    sign_in(page, live_server, "staff")
    ready_offline(page)
    context.set_offline(True)
    log_concern(page, live_server.url, "MARKER-4410 ack lost on the way back")
    pushes = count_pushes(app)
    app.extensions["sync_faults"].drop_next_acks(1)
    context.set_offline(False)
    wait_for_rows(app, CONCERNS_LIKE, ["%MARKER-4410%"], 1)   # stored, but the phone never heard
    page.get_by_role("button", name="Sync now").click()        # the replay is a duplicate
    expect(page.locator("[data-outbox-status]")).to_have_text(SENT)
    assert app.extensions["sync_faults"].dropping == 0 and len(pushes) >= 2
    assert len(rows(app, CONCERNS_LIKE, ["%MARKER-4410%"])) == 1
    statuses = rows(app, "SELECT status FROM sync_items")
    assert statuses == [{"status": "stored"}]


def test_expired_session_keeps_items_until_sign_in(page, context, live_server):
    from webapp.auth import store
    from webapp.db import connect
    app = live_server.app
    sign_in(page, live_server, "staff")
    ready_offline(page)
    context.set_offline(True)
    log_concern(page, live_server.url, "MARKER-9001 first")
    log_concern(page, live_server.url, "MARKER-9002 second")
    db = connect(app.config["DATABASE"])
    store.end_sessions_of(db, app.people["staff"], "idle")
    db.conn.close()
    context.set_offline(False)
    expect(page.locator("[data-outbox-status]")).to_have_text("Sign in to send 2 items")
    assert outbox_count(page) == 2 and rows(app, CONCERNS_LIKE, ["%MARKER-900%"]) == []
    sign_in(page, live_server, "staff")
    wait_for_rows(app, CONCERNS_LIKE, ["%MARKER-900%"], 2)
    expect(page.locator("[data-outbox-status]")).to_have_text(SENT)
    assert len(rows(app, CONCERNS_LIKE, ["%MARKER-900%"])) == 2


def test_a_failed_local_save_keeps_the_typing(page, context, live_server):
    sign_in(page, live_server, "staff")
    ready_offline(page)
    context.set_offline(True)
    page.goto(f"{live_server.url}/concerns/new")
    # Make the phone's storage refuse the write, as it does when it is full.
    page.evaluate("""() => { IDBObjectStore.prototype.add = function () {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); }; }""")
    page.locator("#category-offensive_content").check()
    page.get_by_label("Where did it happen?").fill("Library")
    page.get_by_label("What happened?").fill("MARKER-3300 still on screen")
    page.get_by_role("button", name="Send to the DSLs").click()
    expect(page.get_by_role("alert")).to_contain_text("out of storage space")
    expect(page.get_by_label("What happened?")).to_have_value("MARKER-3300 still on screen")
    assert outbox_count(page) == 0


def test_missing_fields_are_caught_on_the_phone(page, context, live_server):
    sign_in(page, live_server, "staff")
    ready_offline(page)
    context.set_offline(True)
    page.goto(f"{live_server.url}/concerns/new")
    page.get_by_label("Where did it happen?").fill("Field")
    page.get_by_role("button", name="Send to the DSLs").click()
    alert = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(alert).to_contain_text("Say what happened.")                  # the server's own words
    expect(alert).to_contain_text("Choose what kind of concern this is.")
    expect(page.get_by_label("Where did it happen?")).to_have_value("Field")
    assert outbox_count(page) == 0


def test_online_before_the_phone_is_set_up_the_form_posts_normally(page, live_server):
    app = live_server.app
    page.route("**/api/session", lambda route: route.abort())   # the phone never learns its keys
    sign_in(page, live_server, "staff")
    fill_concern(page, live_server.url, "MARKER-6060 tablet left unlocked", category="school_device", location="Office")
    page.get_by_role("button", name="Send to the DSLs").click()
    page.wait_for_url(lambda u: not u.endswith("/concerns/new"))
    found = rows(app, "SELECT source, reporter_id FROM concerns WHERE account LIKE 'MARKER-6060%'")
    assert found == [{"source": "web", "reporter_id": app.people["staff"]}]

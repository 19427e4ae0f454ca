"""A shared phone with no signal: two people queue items; each is credited to its author."""
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.phone import (DUMP_PHONE, SENT, log_concern, outbox_count, ready_offline, rows, school_time,
                                 wait_for_rows)


def concern_id(app, account):
    return rows(app, "SELECT id FROM concerns WHERE account = ?", [account])[0]["id"]


def ask_for_device(page, url, detail):
    page.goto(f"{url}/requests/new")
    page.locator("input[name=for_whom][value=visitor]").check()
    page.get_by_label("Visitor's full name").fill("Pat Plumber")
    page.get_by_label("Their organisation or company").fill("Drip Fixers Ltd")
    page.locator("select[name=device]").select_option("phone")
    page.locator("input[name=purpose][value=work_task]").check()
    page.get_by_label("A few words about it").fill(detail)
    page.locator("select[name=location]").select_option("hall")
    page.locator("input[name=starts_at]").fill(school_time(timedelta(hours=1)))
    page.locator("input[name=ends_at]").fill(school_time(timedelta(hours=3)))
    page.get_by_role("button", name="Send to the headteacher").click()
    expect(page.get_by_role("status").filter(has_text="Saved on this phone")).to_be_visible()


def test_two_people_one_phone_no_signal(page, context, live_server):
    app, url = live_server.app, live_server.url
    sign_in(page, live_server, "staff")
    ready_offline(page)
    context.set_offline(True)
    log_concern(page, url, "SHARED-A1 abusive message on the minibus")
    log_concern(page, url, "SHARED-A2 visitor filming by the pool", category="restricted_area")
    ask_for_device(page, url, "SHARED-A3 photographing the boiler")
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("[data-outbox-status]")).to_contain_text("3 items still waiting")
    assert outbox_count(page) == 3

    context.set_offline(False)
    page.goto(f"{url}/")                 # the offline sign-out is finished on the server first
    page.wait_for_url(f"{url}/login")
    sign_in(page, live_server, "staff2")
    ready_offline(page)
    context.set_offline(True)
    log_concern(page, url, "SHARED-B1 staff photo of learners on own phone", category="staff_images_of_learners")
    assert "SHARED-" not in page.evaluate(DUMP_PHONE)
    context.set_offline(False)

    wait_for_rows(app, "SELECT id FROM concerns WHERE account LIKE 'SHARED-%'", [], 3)
    wait_for_rows(app, "SELECT id FROM device_requests WHERE detail LIKE 'SHARED-%'", [], 1)
    expect(page.locator("[data-outbox-status]")).to_have_text(SENT)
    concerns = rows(app, "SELECT account, reporter_id FROM concerns WHERE account LIKE 'SHARED-%' ORDER BY account")
    requests = rows(app, "SELECT detail, requester_id FROM device_requests WHERE detail LIKE 'SHARED-%'")
    a, b = app.people["staff"], app.people["staff2"]
    assert [(c["account"][:9], c["reporter_id"]) for c in concerns] == [
        ("SHARED-A1", a), ("SHARED-A2", a), ("SHARED-B1", b)]
    assert [(r["detail"][:9], r["requester_id"]) for r in requests] == [("SHARED-A3", a)]
    items = rows(app, "SELECT author_id, uploader_id FROM sync_items WHERE status = 'stored'")
    assert sorted(i["author_id"] for i in items) == [a, a, a, b]
    assert all(i["uploader_id"] == b for i in items if i["author_id"] == b)
    # The items reach the right queues: the DSL sees the three concerns, the head the request.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{url}/login")
    sign_in(page, live_server, "head")
    page.goto(f"{url}/concerns/queue")
    for concern in concerns:
        expect(page.locator(f"main a[href='/concerns/{concern_id(app, concern['account'])}']")).to_have_count(1)
    page.goto(f"{url}/requests/decisions")
    expect(page.locator("main")).to_contain_text("Pat Plumber")

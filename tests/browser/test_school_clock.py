"""A phone whose clock runs fast, or that is set to another country's time, logs what the person meant."""
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.phone import ready_offline, rows, sent, wait_for_rows

PHONES = {
    "three hours fast": {"timezone_id": "Europe/London", "ahead": timedelta(hours=3)},
    "on a trip to Paris": {"timezone_id": "Europe/Paris", "ahead": timedelta(0)},
}


def school_clock_now(app):
    from zoneinfo import ZoneInfo
    return datetime.now(ZoneInfo(app.config["SCHOOL_TIMEZONE"]))


@pytest.mark.parametrize("phone_kind", PHONES)
def test_a_concern_logged_offline_keeps_the_school_time_meant(browser, browser_context_args, live_server,
                                                              phone_kind):
    app, setup = live_server.app, PHONES[phone_kind]
    context = browser.new_context(**{**browser_context_args, "timezone_id": setup["timezone_id"]})
    try:
        page = context.new_page()
        if setup["ahead"]:
            context.clock.install(time=datetime.now(timezone.utc) + setup["ahead"])
        sign_in(page, live_server, "staff")
        ready_offline(page)
        context.set_offline(True)
        page.goto(f"{live_server.url}/concerns/new")
        meant = school_clock_now(app)
        when = page.get_by_label("When did it happen?")
        expect(when).not_to_have_value("")
        filled = datetime.fromisoformat(when.input_value())
        assert abs(filled - meant.replace(tzinfo=None)) < timedelta(minutes=2), (filled, meant)
        page.locator("#category-school_device").check()
        page.get_by_label("Where did it happen?").fill("School trip coach")
        page.get_by_label("What happened?").fill(f"CLOCK-{phone_kind} tablet left on the coach seat")
        page.get_by_role("button", name="Send to the DSLs").click()
        expect(page.get_by_role("status").filter(has_text="Saved on this phone")).to_be_visible()
        context.set_offline(False)
        [row] = wait_for_rows(app, "SELECT occurred_at, created_at FROM concerns WHERE account LIKE ?",
                              [f"CLOCK-{phone_kind}%"], 1)
        sent(page)
        now = datetime.now(timezone.utc)
        for stamp in (row["occurred_at"], row["created_at"]):
            moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
            assert abs(moment - now) < timedelta(minutes=3), (stamp, now)
        assert rows(app, "SELECT status FROM sync_items") == [{"status": "stored"}]
    finally:
        context.close()

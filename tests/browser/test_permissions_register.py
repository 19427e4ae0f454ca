"""On a phone: the office keeps the school-device register; a holder confirms the passcode and reports a loss."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_permissions_request_flow import rows, sign_out


def one(live_server, sql):
    return rows(live_server, sql)[0]


def test_register_passcode_and_loss(page, live_server):
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/devices")
    assert_accessible(page)
    page.get_by_role("link", name="Add a device").click()
    page.get_by_label("Asset tag").fill("NAG-PH-09")
    page.get_by_label("Kind").select_option("phone")
    page.get_by_label("Issued to").select_option(label="Sally Staff")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name=re.compile("Check needed"))).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/requests/areas")
    assert_accessible(page)
    sign_out(page)

    sign_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/devices/mine")
    assert_accessible(page)
    page.get_by_label("It locks with a passcode").check()
    page.get_by_role("button", name="Confirm the passcode of NAG-PH-09").click()
    expect(page.get_by_text("is confirmed as locked with a passcode")).to_be_visible()
    page.get_by_label("Lost").check()
    page.get_by_label("Where you last had it").fill("The field")
    page.get_by_label("What happened").fill("Put it down during sports practice.")
    page.get_by_role("button", name="Report NAG-PH-09 missing").click()
    expect(page.get_by_text("the DSLs have been told")).to_be_visible()
    assert_accessible(page)
    assert one(live_server, "SELECT status FROM school_devices")["status"] == "lost"
    assert one(live_server, "SELECT category FROM concerns")["category"] == "school_device"

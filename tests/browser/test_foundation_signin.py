"""Each role signs in on a phone-sized screen and lands on an accessible home page."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PEOPLE


def test_sign_in_page_is_accessible_and_fits_320px(page, live_server):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}/login")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_wrong_password_shows_one_generic_message(page, live_server):
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Email address").fill(PEOPLE["staff"][0])
    page.get_by_label("Password").fill("definitely not it")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match an active account")
    assert_accessible(page)


@pytest.mark.parametrize("who, link", [
    ("staff", "Change my password"), ("dsl", "Change my password"), ("head", "Change my password"),
    ("governor", "Change my password"), ("admin", "People"),
])
def test_each_role_lands_on_its_home(page, live_server, who, link):
    sign_in(page, live_server, who)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {PEOPLE[who][1]}")
    expect(page.get_by_role("link", name=link, exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status").filter(has_text="You have signed out")).to_be_visible()

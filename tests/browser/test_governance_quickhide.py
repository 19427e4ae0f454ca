"""Quick hide: one tap, or Escape twice, swaps the screen for a neutral page, offline too, and the
browser's back button does not bring the app back."""
import re
from urllib.parse import urlparse

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in

NEUTRAL = "Times tables"


def neutral(page):
    expect(page.get_by_role("heading", name=NEUTRAL)).to_be_visible()
    html = page.content()
    assert "Diane Lead" not in html and "Primary School" not in html and "Sign out" not in html
    assert page.title() == NEUTRAL
    assert urlparse(page.url).path == "/"


def test_one_tap_hides_and_back_does_not_bring_the_app_back(page, live_server):
    sign_in(page, live_server, "dsl")
    page.goto(f"{live_server.url}/declarations")
    expect(page.get_by_text("Diane Lead")).to_be_visible()
    button = page.get_by_role("button", name="Hide screen")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    button.click()
    neutral(page)
    assert_accessible(page)
    for _ in range(3):  # back within this page, then back to earlier pages of the app
        page.go_back()
        page.wait_for_load_state()
        neutral(page)
    page.get_by_role("button", name="Return to the app").click()
    expect(page.get_by_text("Diane Lead")).to_be_visible()


def test_escape_twice_hides_offline_and_keeps_what_was_typed_for_the_app(page, live_server):
    sign_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/declarations/new")
    page.get_by_label("Who is it with?").fill("The parent of a learner in Year 4")
    page.context.set_offline(True)
    asked = []
    page.on("request", lambda request: asked.append(request.url) if request.is_navigation_request() else None)
    page.keyboard.press("Escape")
    expect(page.get_by_role("heading", name="Declare a relationship with a learner or a parent")).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(page.get_by_role("heading", name=NEUTRAL)).to_be_visible()
    assert "The parent of a learner" not in page.content() and page.title() == NEUTRAL
    assert asked == []  # no page is loaded: the neutral page is made on the phone, with no network
    page.get_by_role("button", name="Return to the app").click()
    expect(page.get_by_label("Who is it with?")).to_have_value("The parent of a learner in Year 4")
    assert re.search(r"/declarations/new$", page.url)


def test_the_button_is_on_every_page_even_before_signing_in(page, live_server):
    page.goto(f"{live_server.url}/login")
    page.get_by_role("button", name="Hide screen").click()
    expect(page.get_by_role("heading", name=NEUTRAL)).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name=NEUTRAL)).to_be_visible()

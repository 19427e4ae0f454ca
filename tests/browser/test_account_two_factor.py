"""A DSL sets up an authenticator app on a phone-sized screen and signs in with a code."""
import time

import pyotp
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD, PEOPLE


# The kid of a person's signing key kept on this phone, or null.
KEY_KID = """async (userId) => {
  const { withStore } = await import("outbox");
  const key = await withStore("keys", "readonly", (s) => s.get(userId));
  return (key && key.kid) || null;
}"""


def password_step(page, live_server, who):
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Email address").fill(PEOPLE[who][0])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_dsl_sets_up_an_authenticator_and_signs_in_with_a_code(page, live_server, app):
    app.config["TWO_FACTOR_REQUIRED"] = True
    password_step(page, live_server, "dsl")
    page.wait_for_url(f"{live_server.url}/account/two-factor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    expect(page.locator(".qr-code svg")).to_be_visible()
    assert_accessible(page)
    secret = page.locator("[data-totp-secret]").get_attribute("data-totp-secret")
    totp = pyotp.TOTP(secret)

    page.get_by_label("Code from your authenticator app").fill("000000" if totp.now() != "000000" else "111111")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("alert").first).to_contain_text("does not match")
    assert_accessible(page)

    page.get_by_label("Code from your authenticator app").fill(totp.now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.locator("[data-recovery-codes] li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="I have kept them").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {PEOPLE['dsl'][1]}")
    dsl = app.people["dsl"]
    page.wait_for_function(KEY_KID, arg=dsl)  # the phone registered its signing key in time

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status").filter(has_text="You have signed out")).to_be_visible()
    assert page.evaluate(KEY_KID, dsl) is None  # signing out forgets the key on this phone
    password_step(page, live_server, "dsl")
    page.wait_for_url(f"{live_server.url}/login/code")
    assert_accessible(page)
    # The code of the next 30-second step: the setting-up code's step is spent, and one step ahead is allowed.
    page.get_by_label("Code").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {PEOPLE['dsl'][1]}")
    page.goto(f"{live_server.url}/account/phones")
    assert_accessible(page)

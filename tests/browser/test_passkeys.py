"""A DSL adds a passkey on a phone-sized screen and signs in with password and passkey (Chromium's
virtual authenticator, driven through the DevTools protocol)."""
import re

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.phone import rows, sign_out
from tests.conftest import PASSWORD, PEOPLE
from webapp.db import connect


@pytest.fixture
def authenticator(page):
    """A platform authenticator on this phone that verifies its user (a fingerprint, say) every time."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True}})
    return cdp, added["authenticatorId"]


def password_step(page, url, who):
    page.goto(f"{url}/login")
    page.get_by_label("Email address").fill(PEOPLE[who][0])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def set_up_app(page, url):
    """Turn on two-factor sign-in with an authenticator app, as the DSL's role needs first."""
    page.wait_for_url(f"{url}/account/two-factor")
    totp = pyotp.TOTP(page.locator("[data-totp-secret]").get_attribute("data-totp-secret"))
    page.get_by_label("Code from your authenticator app").fill(totp.now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.get_by_role("link", name="I have kept them").click()
    page.wait_for_url(f"{url}/")


def test_a_dsl_adds_a_passkey_and_signs_in_with_it(page, live_server, app, authenticator, tmp_path):
    cdp, authenticator_id = authenticator
    url = live_server.localhost_url
    app.config["TWO_FACTOR_REQUIRED"] = True
    password_step(page, url, "dsl")
    set_up_app(page, url)

    page.get_by_role("link", name="Passkeys").click()
    page.wait_for_url(f"{url}/account/passkeys")
    expect(page.get_by_text("You have no passkeys yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Add a passkey").click()  # no name yet: the server says so
    expect(page.get_by_role("alert").first).to_contain_text("Give the passkey a name")
    page.get_by_label("Name for this passkey").fill("My phone")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("status").filter(has_text="Passkey “My phone” added")).to_be_visible()
    row = page.locator("[data-passkeys] tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(0)).to_have_text("My phone")
    expect(row.locator("td").nth(2)).to_have_text("Not yet")
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "passkeys-page.png"), full_page=True)
    (credential,) = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]
    assert credential["rpId"] == "localhost"
    dsl = app.people["dsl"]
    assert rows(app, "SELECT name FROM passkeys WHERE user_id = ?", [dsl]) == [{"name": "My phone"}]

    sign_out(page)
    password_step(page, url, "dsl")
    page.wait_for_url(f"{url}/login/code")
    expect(page.get_by_role("heading", name="Or use a passkey")).to_be_visible()
    expect(page.get_by_label("Code")).to_be_visible()  # the app's code still works
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "passkey-step.png"), full_page=True)
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.wait_for_url(f"{url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {PEOPLE['dsl'][1]}")

    (used,) = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]
    assert used["signCount"] > credential["signCount"]
    (kept,) = rows(app, "SELECT sign_count, last_used_at FROM passkeys WHERE user_id = ?", [dsl])
    assert kept["sign_count"] == used["signCount"] and kept["last_used_at"]
    page.goto(f"{url}/account/passkeys")
    expect(page.locator("[data-passkeys] tbody tr td").nth(2)).not_to_have_text("Not yet")


def test_a_passkey_answer_that_cannot_be_used_is_refused_on_the_page(page, live_server, app, authenticator,
                                                                     tmp_path):
    """A passkey answer the server cannot take for this person: plain words on the page, nobody signed in."""
    url = live_server.localhost_url
    password_step(page, url, "staff")
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/account/passkeys")
    page.get_by_label("Name for this passkey").fill("Work phone")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.locator("[data-passkeys] tbody tr")).to_have_count(1)
    sign_out(page)
    password_step(page, url, "staff")
    page.wait_for_url(f"{url}/login/code")
    expect(page.get_by_role("heading", level=1)).to_have_text("Use your passkey")
    expect(page.get_by_label("Code")).to_have_count(0)
    page.screenshot(path=str(tmp_path / "passkey-only-step.png"), full_page=True)
    # Between the phone's answer and the server reading it, this passkey becomes someone else's (she keeps
    # another one, so the passkey step still stands).
    def hand_over(route):
        db = connect(app.config["DATABASE"])
        db.execute("INSERT INTO passkeys (user_id, credential_id, public_key, name, created_at) "
                   "SELECT user_id, 'ZWxzZXdoZXJl', public_key, 'Other', created_at FROM passkeys")
        db.execute("UPDATE passkeys SET user_id = ? WHERE name = 'Work phone'", [app.people["staff2"]])
        db.conn.close()
        route.continue_()

    page.route(f"{url}/login/passkey", hand_over)
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.get_by_role("alert").first).to_contain_text("not registered to your account")
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "passkey-refused.png"), full_page=True)
    page.goto(f"{url}/")  # the refused answer signed nobody in
    page.wait_for_url(re.compile(r"/login\?next="))


def test_an_expired_passkey_form_says_to_reload_in_plain_words(page, live_server, app, authenticator, tmp_path):
    url = live_server.localhost_url
    password_step(page, url, "staff")
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/account/passkeys")
    page.locator("[data-passkey-register] input[name=csrf_token]").evaluate(
        "input => { input.value = 'expired' }")  # as if the page had been open since yesterday
    page.get_by_label("Name for this passkey").fill("My phone")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("alert").first).to_contain_text("reload and try again")
    page.screenshot(path=str(tmp_path / "expired.png"), full_page=True)
    assert rows(app, "SELECT * FROM passkeys") == []

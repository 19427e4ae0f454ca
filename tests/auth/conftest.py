"""Helpers for sign-in tests that turn two-factor sign-in on."""
import re

import pyotp
import pytest

from tests.conftest import csrf_from


@pytest.fixture
def enforced(app):
    """The app with two-factor sign-in required of the roles that need it."""
    app.config["TWO_FACTOR_REQUIRED"] = True
    return app


def secret_on(html):
    match = re.search(r'data-totp-secret="([A-Z2-7]+)"', html)
    assert match, "no data-totp-secret on the page"
    return match.group(1)


def set_up_authenticator(client, now):
    """Set up an authenticator app for whoever is signed in; return (secret, recovery codes)."""
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = secret_on(page)
    done = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).at(now),
                                                    "csrf_token": csrf_from(page)})
    assert done.status_code == 200, done.get_data(as_text=True)
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def enter_code(client, code):
    page = client.get("/login/code").get_data(as_text=True)
    return client.post("/login/code", data={"code": code, "csrf_token": csrf_from(page)})


def sign_out(client):
    """Sign out from a page every signed-in person reaches, even mid-way through setting up."""
    page = client.get("/account/two-factor").get_data(as_text=True)
    return client.post("/logout", data={"csrf_token": csrf_from(page)})

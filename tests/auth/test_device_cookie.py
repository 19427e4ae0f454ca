"""Throttling a stranger cannot turn against the owner: a device cookie lifts the limits for its account."""
import pytest

from tests.conftest import PASSWORD, Auth

WRONG = "not the password at all"
LIMITED = "Too many attempts to sign in"


def stranger_hammers(app, who="head", times=25):
    """A stranger at the school's one public address fails again and again; return their client."""
    stranger = app.test_client()
    for _ in range(times):
        Auth(stranger).login(who, WRONG)
    return stranger


def test_the_owner_with_a_device_cookie_still_signs_in_after_25_failures(app, client, auth):
    assert auth.login("head").headers["Location"] == "/"
    assert client.get_cookie("device", path="/login") is not None
    auth.logout()
    stranger = stranger_hammers(app)
    blocked = Auth(stranger).login("head", PASSWORD)
    assert blocked.status_code == 200 and LIMITED in blocked.get_data(as_text=True)  # the limit holds
    other_browser = Auth(app.test_client()).login("head", PASSWORD)
    assert LIMITED in other_browser.get_data(as_text=True)
    response = auth.login("head")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_device_cookie_lifts_the_limits_only_for_its_own_account(app, client, auth):
    auth.login("head")
    auth.logout()
    stranger_hammers(app, "dsl")
    assert LIMITED in auth.login("dsl").get_data(as_text=True)


@pytest.mark.parametrize("value", ["forged", "W1s1LCJ4Il1d.forged.sig", ""])
def test_a_forged_device_cookie_lifts_nothing(app, client, auth, value):
    stranger = stranger_hammers(app)
    stranger.set_cookie("device", value, path="/login")
    assert LIMITED in Auth(stranger).login("head").get_data(as_text=True)


def test_a_device_cookie_from_another_account_does_not_help(app, client, auth):
    auth.login("staff")
    auth.logout()
    stranger_hammers(app, "head")
    assert LIMITED in auth.login("head").get_data(as_text=True)

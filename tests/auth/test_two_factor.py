"""Two-factor sign-in: required of the roles that need it, codes accepted once, recovery codes once."""
import json
from datetime import datetime, timedelta, timezone

import pyotp
import pytest
import time_machine

from tests.auth.conftest import enter_code, secret_on, set_up_authenticator, sign_out
from tests.conftest import PEOPLE, Auth, csrf_from
from webapp.db import connect

NOW = datetime(2026, 3, 2, 9, 0, 0, tzinfo=timezone.utc)


def last_sign_in(app, user_id):
    """Return the detail of the newest sign-in the audit log holds for this person."""
    db = connect(app.config["DATABASE"])
    try:
        row = db.execute("SELECT detail FROM audit_log WHERE action = 'sign_in' AND actor_id = ? "
                         "ORDER BY id DESC LIMIT 1", [user_id]).fetchone()
    finally:
        db.conn.close()
    return json.loads(row[0]) if row and row[0] else None


NEEDING = [who for who, (_, _, roles) in PEOPLE.items()
           if set(roles) & {"dsl", "head", "governor", "admin", "chair"}]


@pytest.mark.parametrize("who", NEEDING)
def test_each_role_that_needs_it_reaches_nothing_before_setting_it_up(enforced, client, auth, who):
    auth.login(who)
    for path in ("/", "/policy", "/concerns/mine", "/account/password", "/account/phones", "/learners"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/account/two-factor", path
    api = client.get("/api/session")
    assert api.status_code == 403 and "two-factor" in api.get_json()["error"]
    assert client.get("/account/two-factor").status_code == 200
    assert client.get("/service-worker.js").status_code == 200
    assert sign_out(client).status_code == 302
    assert client.get("/").headers["Location"].startswith("/login")


def test_staff_without_a_role_that_needs_it_sign_in_with_a_password(enforced, client, auth):
    auth.login("staff")
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("who", NEEDING)
def test_once_set_up_each_role_signs_in_only_with_a_code(enforced, client, auth, who):
    with time_machine.travel(NOW, tick=False):
        auth.login(who)
        secret, _ = set_up_authenticator(client, NOW)
        assert client.get("/").status_code == 200
        sign_out(client)
        response = auth.login(who)
        assert response.headers["Location"] == "/login/code"
        assert client.get("/").status_code == 302  # the password alone signs nobody in
        assert client.get("/api/session").status_code == 401
        wrong = enter_code(client, "000000" if pyotp.TOTP(secret).at(NOW + timedelta(seconds=60)) != "000000"
                           else "111111")
        assert "That code is not right" in wrong.get_data(as_text=True)
    with time_machine.travel(NOW + timedelta(seconds=60), tick=False):
        assert enter_code(client, pyotp.TOTP(secret).now()).status_code == 302
        assert client.get("/").status_code == 200
    assert last_sign_in(client.application, client.application.people[who]) == {"second_step": "a code from the authenticator app"}


def test_a_code_is_never_accepted_twice(enforced, client, auth):
    with time_machine.travel(NOW, tick=False):
        auth.login("dsl")
        secret, _ = set_up_authenticator(client, NOW)
        sign_out(client)
    later = NOW + timedelta(seconds=90)
    code = pyotp.TOTP(secret).at(later)
    with time_machine.travel(later, tick=False):
        auth.login("dsl")
        assert enter_code(client, code).status_code == 302
        sign_out(client)
        auth.login("dsl")
        refused = enter_code(client, code)
        assert refused.status_code == 200 and "used already" in refused.get_data(as_text=True)
        assert client.get("/").status_code == 302
    # Nor an older code still inside the one-step window, once a newer one was used.
    with time_machine.travel(later + timedelta(seconds=30), tick=False):
        auth.login("dsl")
        assert enter_code(client, pyotp.TOTP(secret).at(later - timedelta(seconds=1))).status_code == 200
        assert client.get("/").status_code == 302


def test_the_setting_up_code_cannot_be_used_again_to_sign_in(enforced, client, auth):
    with time_machine.travel(NOW, tick=False):
        auth.login("head")
        secret, _ = set_up_authenticator(client, NOW)
        sign_out(client)
        auth.login("head")
        assert enter_code(client, pyotp.TOTP(secret).at(NOW)).status_code == 200
        assert client.get("/").status_code == 302


def test_a_recovery_code_signs_in_once_only(enforced, client, auth, db):
    with time_machine.travel(NOW, tick=False):
        auth.login("governor")
        _, codes = set_up_authenticator(client, NOW)
        sign_out(client)
        auth.login("governor")
        used = enter_code(client, codes[3].upper().replace("-", " "))
        assert used.status_code == 302
        assert "9 left" in client.get("/").get_data(as_text=True)
        sign_out(client)
        auth.login("governor")
        again = enter_code(client, codes[3])
        assert again.status_code == 200 and "That code is not right" in again.get_data(as_text=True)
        assert client.get("/").status_code == 302
        assert enter_code(client, codes[4]).status_code == 302
    assert last_sign_in(client.application, client.application.people["governor"]) == {"second_step": "a recovery code"}
    stored = [r[0] for r in db.execute("SELECT code_hash FROM recovery_codes").fetchall()]
    assert len(stored) == 10 and all(h.startswith("$argon2") for h in stored)
    assert not any(code.replace("-", "") in h for h in stored for code in codes)


def test_wrong_codes_are_rate_limited_except_on_the_owners_own_browser(enforced, app, client, auth):
    with time_machine.travel(NOW, tick=False):
        auth.login("admin")
        secret, _ = set_up_authenticator(client, NOW)
        sign_out(client)
    stranger = app.test_client()  # someone who learnt the password, on another browser
    later = NOW + timedelta(seconds=30)
    right = pyotp.TOTP(secret).at(later)
    wrong = "123456" if right != "123456" else "654321"
    with time_machine.travel(later, tick=False):
        Auth(stranger).login("admin")
        for _ in range(5):
            enter_code(stranger, wrong)
        blocked = enter_code(stranger, right)
        assert blocked.status_code == 200 and "Too many wrong codes" in blocked.get_data(as_text=True)
        assert stranger.get("/").status_code == 302
        auth.login("admin")  # the owner's browser holds the device cookie of an earlier full sign-in
        assert enter_code(client, right).status_code == 302
    with time_machine.travel(NOW + timedelta(minutes=20), tick=False):
        Auth(stranger).login("admin")
        assert enter_code(stranger, pyotp.TOTP(secret).at(NOW + timedelta(minutes=20))).status_code == 302


def test_the_code_page_needs_a_right_password_first(enforced, client):
    response = client.get("/login/code")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.post("/login/code", data={"code": "123456"}).status_code in (302, 400)


def test_a_wrong_first_code_does_not_turn_it_on(enforced, client, auth, db):
    auth.login("dsl")
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "<svg" in page and secret_on(page)
    response = client.post("/account/two-factor", data={"code": "12345x", "csrf_token": csrf_from(page)})
    assert response.status_code == 200 and "does not match" in response.get_data(as_text=True)
    assert db.execute("SELECT totp_secret FROM users WHERE email = ?", [PEOPLE["dsl"][0]]).fetchone()[0] is None
    assert client.get("/").status_code == 302


def test_a_demo_does_not_require_it_and_says_so_a_real_school_does(app, client, auth):
    db = connect(app.config["DATABASE"])
    db.execute("INSERT INTO installation (id, kind, started_at) VALUES (1, 'demo', '2026-01-01T00:00:00Z')")
    db.conn.close()
    auth.login("dsl")
    home = client.get("/")
    assert home.status_code == 200 and "Two-factor sign-in is not required here" in home.get_data(as_text=True)
    app.config["TWO_FACTOR_REQUIRED"] = True
    assert client.get("/").headers["Location"] == "/account/two-factor"


def test_a_real_school_requires_it_by_default(app, client, auth):
    db = connect(app.config["DATABASE"])
    db.execute("INSERT INTO installation (id, kind, started_at) VALUES (1, 'school', '2026-01-01T00:00:00Z')")
    db.conn.close()
    assert app.config["TWO_FACTOR_REQUIRED"] == "auto"
    auth.login("head")
    assert client.get("/").headers["Location"] == "/account/two-factor"


@pytest.mark.parametrize("setting, value, named", [
    ("TWO_FACTOR_REQUIRED", "ture", "TWO_FACTOR_REQUIRED"),
    ("TWO_FACTOR_REQUIRED", "required", "TWO_FACTOR_REQUIRED"),
    ("TWO_FACTOR_ROLES", "dsl, dls, head", "dls"),
])
def test_a_two_factor_setting_that_cannot_be_read_stops_the_start(tmp_path, setting, value, named):
    """A typo must never leave the DSLs signing in with a password alone."""
    from webapp import create_app
    from webapp.auth.second_factor import BadTwoFactorSetting
    with pytest.raises(BadTwoFactorSetting, match=named):
        create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(tmp_path / "t.db"),
                    "UPLOAD_FOLDER": str(tmp_path / "u"), "SEALING_KEY_FOLDER": str(tmp_path / "k"),
                    setting: value})


@pytest.mark.parametrize("value", [True, "true", "on", "1", " TRUE "])
def test_each_way_of_saying_yes_requires_it(app, value):
    from webapp.auth import second_factor
    app.config["TWO_FACTOR_REQUIRED"] = value
    with app.app_context():
        assert second_factor.enforced() is True

"""Signing in and out, server-side sessions, expiry, rate limits and passwords."""
from datetime import timedelta

import pytest
import time_machine

from tests.conftest import PASSWORD, PEOPLE
from webapp.auth import store

GENERIC = "That email address and password do not match an active account."


def attempts(db):
    return [dict(r) for r in db.query("SELECT email, outcome FROM login_attempts ORDER BY id")]


def test_sign_in_lands_on_home_and_records_the_attempt(client, auth, db):
    response = auth.login("staff")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Hello, Sally Staff" in client.get("/").get_data(as_text=True)
    assert attempts(db)[-1] == {"email": "staff@test.school", "outcome": "success"}


@pytest.mark.parametrize("email, password", [
    ("staff@test.school", "wrong password entirely"),
    ("nobody@test.school", PASSWORD),
])
def test_failure_message_is_generic(client, auth, db, email, password):
    response = auth.login(email, password)
    assert response.status_code == 200
    assert GENERIC in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still signed out
    assert attempts(db)[-1]["outcome"] == "failure"


def test_inactive_account_gets_the_same_message(client, auth, app, db):
    store.set_active(db, app.people["staff"], False)
    response = auth.login("staff")
    assert GENERIC in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_missing_csrf_token_is_refused_and_nobody_signs_in(client, db):
    response = client.post("/login", data={"email": PEOPLE["staff"][0], "password": PASSWORD})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert attempts(db) == []


def test_stale_csrf_token_is_refused(client, auth):
    token = auth.csrf("/login")
    other = client.application.test_client()
    response = other.post("/login", data={"email": PEOPLE["staff"][0], "password": PASSWORD,
                                          "csrf_token": token})
    assert response.status_code == 400


def test_over_long_field_is_refused_clearly(client, auth, db):
    response = client.post("/login", data={"email": "a" * 300 + "@x.org", "password": PASSWORD,
                                           "csrf_token": auth.csrf("/login")})
    assert response.status_code == 200 and "too long" in response.get_data(as_text=True)
    assert attempts(db) == []


@pytest.mark.parametrize("target, expected", [
    ("/account/password", "/account/password"),
    ("https://evil.example/steal", "/"),
    ("//evil.example/x", "/"),
    ("/\\evil.example", "/"),
])
def test_next_only_redirects_within_this_site(client, auth, target, expected):
    token = auth.csrf("/login")
    response = client.post(f"/login?next={target}", data={
        "email": PEOPLE["staff"][0], "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == expected


def test_sign_out_ends_the_session_on_the_server(app, client, auth):
    auth.login("staff")
    cookie = client.get_cookie("session").value
    auth.logout()
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    response = replay.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_session_id_changes_at_sign_in(client, auth, db):
    client.get("/login")
    before = client.get_cookie("session").value
    auth.login("staff")
    after = client.get_cookie("session").value
    assert before != after
    auth.logout()
    auth.login("staff")
    live = db.execute("SELECT count(*) FROM sessions WHERE ended_at IS NULL").fetchone()[0]
    ended = db.execute("SELECT count(*) FROM sessions WHERE ended_why = 'signed out'").fetchone()[0]
    assert (live, ended) == (1, 1)


def test_the_sign_in_answer_fixes_the_new_sessions_csrf_secret(client, auth):
    """Pages fetched at once after sign-in (the home page, the worker's forms) must share one secret.

    Were the secret left for the next request to make, each of those requests would make its own
    and overwrite the others' cookie, and a form already on screen would fail its CSRF check.
    """
    client.get("/login")
    with client.session_transaction() as before:
        old_secret = before["csrf_token"]
    auth.login("staff")
    with client.session_transaction() as after:
        secret = after.get("csrf_token")
    assert secret and secret != old_secret
    for path in ("/", "/concerns/new", "/requests/new", "/declarations/new", "/policy"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")], path


def test_idle_session_expires_after_thirty_minutes(client, auth):
    with time_machine.travel("2026-11-25 09:00Z", tick=False) as traveller:
        auth.login("staff")
        traveller.shift(timedelta(minutes=29))
        assert client.get("/").status_code == 200      # activity renews the idle clock
        traveller.shift(timedelta(minutes=29))
        assert client.get("/").status_code == 200
        traveller.shift(timedelta(minutes=31))
        assert client.get("/").status_code == 302


def test_session_ends_twelve_hours_after_sign_in_however_active(client, auth):
    with time_machine.travel("2026-11-25 07:00Z", tick=False) as traveller:
        auth.login("staff")
        for _ in range(24):
            traveller.shift(timedelta(minutes=29))
            assert client.get("/").status_code == 200
        traveller.shift(timedelta(minutes=29))
        assert client.get("/").status_code == 302


def test_no_remember_me_cookie_and_cookie_flags(client, auth):
    response = auth.login("staff")
    cookies = response.headers.getlist("Set-Cookie")
    assert not any(c.startswith("remember_token") for c in cookies)
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    assert "Secure" not in session_cookie  # plain http in tests


def test_cookie_is_secure_over_https(client):
    response = client.get("/login", base_url="https://school.example")
    assert "Secure" in response.headers["Set-Cookie"]


def test_rate_limit_per_account_and_address(client, auth, db):
    for _ in range(5):
        auth.login("staff", "not the password at all")
    response = auth.login("staff")  # the right password, but too many failures just now
    assert "Too many attempts" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert attempts(db)[-1]["outcome"] == "limited"


def test_stranger_cannot_lock_the_owner_out_from_elsewhere(app, auth):
    stranger = app.test_client()
    for _ in range(6):
        token = __import__("tests.conftest", fromlist=["csrf_from"]).csrf_from(
            stranger.get("/login").get_data(as_text=True))
        stranger.post("/login", data={"email": PEOPLE["staff"][0], "password": "guessing wrongly",
                                      "csrf_token": token}, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    response = auth.login("staff")  # the owner, from the school's own address
    assert response.status_code == 302


def test_lockout_lifts_once_the_window_passes(client, auth):
    with time_machine.travel("2026-11-25 09:00Z", tick=False) as traveller:
        for _ in range(5):
            auth.login("staff", "not the password at all")
        assert "Too many attempts" in auth.login("staff").get_data(as_text=True)
        traveller.shift(timedelta(minutes=16))
        assert auth.login("staff").status_code == 302


def test_change_own_password(client, auth, db, app):
    auth.login("staff")
    token = auth.csrf("/account/password")
    weak = client.post("/account/password", data={"current_password": PASSWORD, "new_password": "qwertyuiop",
                                                   "csrf_token": token})
    assert "too common" in weak.get_data(as_text=True)
    wrong = client.post("/account/password", data={"current_password": "not it at all",
                                                    "new_password": "plum tree in autumn", "csrf_token": token})
    assert "not your current password" in wrong.get_data(as_text=True)
    ok = client.post("/account/password", data={"current_password": PASSWORD,
                                                 "new_password": "plum tree in autumn", "csrf_token": token})
    assert ok.status_code == 302
    auth.logout()
    assert auth.login("staff", "plum tree in autumn").status_code == 302


def test_sixty_four_character_passwords_are_allowed(client, auth):
    auth.login("staff")
    long_password = "x1y2" * 16
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": long_password,
        "csrf_token": auth.csrf("/account/password")})
    assert response.status_code == 302


def test_production_hashing_is_argon2id_with_real_costs():
    from argon2 import Type, extract_parameters
    from webapp.auth import passwords
    params = extract_parameters(passwords.PRODUCTION_HASHER.hash("a long enough passphrase"))
    assert params.type is Type.ID and params.memory_cost >= 19 * 1024 and params.time_cost >= 2

"""Keys live only as long as the sign-in that made them; a password change ends everything else."""
from datetime import datetime, timedelta, timezone

import pyotp
import time_machine
from joserfc.jwk import ECKey

from tests.auth.conftest import enter_code, set_up_authenticator, sign_out
from tests.conftest import PASSWORD, Auth, csrf_from
from tests.sync.phone import Phone

NOW = datetime(2026, 3, 2, 9, 0, 0, tzinfo=timezone.utc)
NEW_PASSWORD = "lantern harbour quietly 42"


def key_body(phone):
    return {"device_id": phone.device_id,
            "public_key": ECKey.generate_key("P-256", private=True).as_dict(private=False)}


def test_a_key_from_a_twenty_minute_old_session_is_refused(client, auth, db):
    with time_machine.travel(NOW, tick=False):
        auth.login("dsl")
    with time_machine.travel(NOW + timedelta(minutes=20), tick=False):
        phone = Phone(client)
        response = phone.post("/api/devices/keys", key_body(phone))
        assert response.status_code == 403
        assert "first 10 minutes after signing in" in response.get_json()["error"]
        assert db.execute("SELECT count(*) FROM device_keys").fetchone()[0] == 0
        auth.logout()
        auth.login("dsl")  # a fresh sign-in may
        phone.refresh()
        assert phone.post("/api/devices/keys", key_body(phone)).status_code == 200


def test_a_key_registered_in_time_can_be_confirmed_again_later(client, auth):
    with time_machine.travel(NOW, tick=False):
        auth.login("staff")
        phone = Phone(client)
        body = key_body(phone)
        assert phone.post("/api/devices/keys", body).status_code == 200
    with time_machine.travel(NOW + timedelta(minutes=25), tick=False):
        assert phone.post("/api/devices/keys", body).status_code == 200


def test_the_window_starts_when_the_second_factor_is_given(enforced, client, auth, db):
    with time_machine.travel(NOW, tick=False):
        auth.login("head")
        phone = Phone(client)
        # Before the second factor is set up, the phone gets nothing at all.
        assert client.post("/api/devices/keys", json=key_body(phone)).status_code == 403
    with time_machine.travel(NOW + timedelta(minutes=15), tick=False):
        secret, _ = set_up_authenticator(client, NOW + timedelta(minutes=15))
        phone.refresh()
        assert phone.post("/api/devices/keys", key_body(phone)).status_code == 200
        sign_out(client)
    with time_machine.travel(NOW + timedelta(minutes=30), tick=False):
        auth.login("head")
        enter_code(client, pyotp.TOTP(secret).now())
        phone.refresh()
        assert phone.post("/api/devices/keys", key_body(phone)).status_code == 200


def test_changing_the_password_ends_other_sessions_and_revokes_every_key(app, client, auth, db):
    auth.login("dsl")
    phone = Phone(client, "phone-a")
    phone.register()
    other = app.test_client()
    Auth(other).login("dsl")
    other_phone = Phone(other, "phone-b")
    other_phone.register()
    assert other.get("/").status_code == 200

    page = client.get("/account/password").get_data(as_text=True)
    done = client.post("/account/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                                  "csrf_token": csrf_from(page)}, follow_redirects=True)
    assert "signed out everywhere else, and 2 phone keys stopped working" in done.get_data(as_text=True)
    assert other.get("/").status_code == 302  # the other session is over
    assert other.get("/api/session").status_code == 401
    live = db.execute("SELECT count(*) FROM device_keys WHERE revoked_at IS NULL").fetchone()[0]
    assert live == 0
    assert client.get("/").status_code == 200  # this one goes on, and may make a new key
    assert phone.post("/api/devices/keys", key_body(phone)).status_code == 200


def test_phones_page_lists_keys_and_revokes_ones_own_only(app, client, auth, db):
    auth.login("staff")
    phone = Phone(client, "phone-mine")
    kid = phone.register()
    other = app.test_client()
    Auth(other).login("staff2")
    theirs = Phone(other, "phone-theirs").register()
    page = client.get("/account/phones").get_data(as_text=True)
    assert "phone-mine" in page and "phone-theirs" not in page
    token = csrf_from(page)
    assert client.post(f"/account/phones/{theirs}/revoke", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/account/phones/{kid}/revoke", data={}).status_code in (302, 400)
    assert db.execute("SELECT revoked_at FROM device_keys WHERE kid = ?", [kid]).fetchone()[0] is None
    client.post(f"/account/phones/{kid}/revoke", data={"csrf_token": token})
    assert db.execute("SELECT revoked_at FROM device_keys WHERE kid = ?", [kid]).fetchone()[0]
    assert db.execute("SELECT revoked_at FROM device_keys WHERE kid = ?", [theirs]).fetchone()[0] is None
    assert "Stopped" in client.get("/account/phones").get_data(as_text=True)
    entry = db.execute("SELECT action, subject FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert tuple(entry) == ("key.revoke", f"user:{app.people['staff']}")


def test_an_admin_revokes_anyones_key_from_the_people_page(app, client, auth, db):
    staff_client = app.test_client()
    Auth(staff_client).login("staff")
    kid = Phone(staff_client, "phone-x").register()
    auth.login("admin")
    page = client.get(f"/admin/users/{app.people['staff']}").get_data(as_text=True)
    assert "phone-x" in page
    client.post(f"/admin/users/{app.people['staff']}/keys/{kid}/revoke", data={"csrf_token": csrf_from(page)})
    assert db.execute("SELECT revoked_by FROM device_keys WHERE kid = ?", [kid]).fetchone()[0] == app.people["admin"]

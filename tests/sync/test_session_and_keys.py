"""/api/session and /api/devices/keys: who is signed in, the sealing key, and signing keys."""
from joserfc.jwk import ECKey

from webapp.clock import parse_iso

from .conftest import count, signed_in_phone
from .phone import Phone


def test_session_tells_the_phone_who_and_what_to_seal_with(client, auth, app):
    auth.login("dsl")
    response = client.get("/api/session")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert set(body) == {"user", "csrf_token", "sealing_key", "server_time"}
    assert body["user"] == {"id": app.people["dsl"], "name": "Diane Lead", "roles": ["staff", "dsl"]}
    key = body["sealing_key"]
    assert key["kty"] == "EC" and key["crv"] == "P-256" and key["kid"] and "d" not in key
    assert parse_iso(body["server_time"])
    assert client.get("/api/session").get_json()["sealing_key"] == key  # stable until rotated


def test_session_needs_sign_in_and_answers_json(client):
    response = client.get("/api/session")
    assert response.status_code == 401 and response.get_json() == {"error": "Please sign in.", "status": 401}


def test_the_csrf_token_from_session_lets_a_push_through(client, auth, notes):
    phone = signed_in_phone(client, auth, "staff")
    assert phone.push([]).get_json() == {"results": []}


def test_register_answers_the_keys_thumbprint_and_is_idempotent(client, auth, db, app):
    auth.login("staff")
    phone = Phone(client)
    key = ECKey.generate_key("P-256", private=True)
    kid = phone.register(key)
    assert kid == key.thumbprint()  # a phone can work out its kid before it is online
    assert phone.register(key) == kid
    row = next(db.query("SELECT * FROM device_keys"))
    assert (row["user_id"], row["device_id"], row["revoked_at"]) == (app.people["staff"], "phone-1", None)
    assert '"d"' not in row["public_jwk"]
    assert count(db, "device_keys") == 1


def test_someone_elses_key_cannot_be_registered(client, auth, db):
    auth.login("staff")
    key = ECKey.generate_key("P-256", private=True)
    Phone(client).register(key)
    auth.logout()
    auth.login("staff2")
    phone = Phone(client)
    response = phone.post("/api/devices/keys", {"device_id": "phone-1", "public_key": key.as_dict(private=False)})
    assert response.status_code == 409 and "another account" in response.get_json()["error"]
    assert count(db, "device_keys") == 1


def test_a_revoked_key_stays_revoked(client, auth, db):
    auth.login("staff")
    key = ECKey.generate_key("P-256", private=True)
    phone = Phone(client)
    kid = phone.register(key)
    db.execute("UPDATE device_keys SET revoked_at = '2026-01-01T00:00:00Z' WHERE kid = ?", [kid])
    response = phone.post("/api/devices/keys", {"device_id": "phone-1", "public_key": key.as_dict(private=False)})
    assert response.status_code == 409 and "revoked" in response.get_json()["error"]
    assert phone.register() != kid  # a new key is fine


def test_a_person_may_have_keys_on_several_phones(client, auth, db):
    auth.login("staff")
    Phone(client, "phone-a").register()
    Phone(client, "phone-b").register()
    assert sorted(r["device_id"] for r in db.query("SELECT device_id FROM device_keys")) == ["phone-a", "phone-b"]

"""Passkeys as a second factor: added, listed and removed from the account page, used instead of a code."""
import json
from datetime import datetime, timedelta, timezone

import pyotp
import pytest
import time_machine
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.auth.conftest import enter_code, set_up_authenticator, sign_out
from tests.auth.soft_authenticator import SoftAuthenticator, b64url, unb64url
from tests.conftest import csrf_from
from webapp.auth import passkey_store, passkeys

NOW = datetime(2026, 3, 2, 9, 0, 0, tzinfo=timezone.utc)


def registration_options(client):
    token = csrf_from(client.get("/account/passkeys").get_data(as_text=True))
    response = client.post("/account/passkeys/options", headers={"X-CSRFToken": token}, json={})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_json()


def add_passkey(client, authenticator, name="My phone", answer=None):
    """Add a passkey for whoever is signed in, through the real routes; return the response."""
    options = registration_options(client)
    answer = answer or authenticator.create(options)
    token = csrf_from(client.get("/account/passkeys").get_data(as_text=True))
    return client.post("/account/passkeys", data={"name": name, "credential": answer, "csrf_token": token})


def sign_in_options(client):
    token = csrf_from(client.get("/login/code").get_data(as_text=True))
    response = client.post("/login/passkey/options", headers={"X-CSRFToken": token}, json={})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def send_answer(client, answer):
    token = csrf_from(client.get("/login/code").get_data(as_text=True))
    return client.post("/login/passkey", data={"credential": answer, "csrf_token": token})


def passkey_sign_in(client, auth, authenticator, who="staff", **kwargs):
    """Sign in with the password, then answer the passkey step; return the last response."""
    assert auth.login(who).headers["Location"] == "/login/code"
    return send_answer(client, authenticator.get(sign_in_options(client), **kwargs))


@pytest.fixture
def staff_with_passkey(client, auth):
    authenticator = SoftAuthenticator()
    auth.login("staff")
    assert add_passkey(client, authenticator).status_code == 302
    sign_out(client)
    return authenticator


def audit_actions(db, action):
    return [{**row, "detail": json.loads(row["detail"])}
            for row in db.query("SELECT actor_id, subject, detail FROM audit_log WHERE action = ?", [action])]


def test_a_passkey_is_added_named_listed_and_recorded(app, client, auth, db):
    auth.login("staff")
    options = registration_options(client)
    assert options["rp"]["id"] == "localhost"
    assert options["authenticatorSelection"]["userVerification"] == "preferred"
    assert options["attestation"] == "none"
    answer = SoftAuthenticator().create(options)
    token = csrf_from(client.get("/account/passkeys").get_data(as_text=True))
    response = client.post("/account/passkeys", data={"name": "Work phone", "credential": answer,
                                                      "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/account/passkeys"
    page = client.get("/account/passkeys").get_data(as_text=True)
    assert "Work phone" in page and "Not yet" in page and "added" in page
    staff_id = app.people["staff"]
    assert audit_actions(db, "passkey.add") == [
        {"actor_id": staff_id, "subject": f"user:{staff_id}", "detail": {"passkey": "Work phone"}}]


def test_a_person_can_hold_several_passkeys_and_the_browser_is_told_which_exist(client, auth):
    auth.login("staff")
    first = SoftAuthenticator()
    assert add_passkey(client, first, "Phone").status_code == 302
    assert add_passkey(client, SoftAuthenticator(), "Security key").status_code == 302
    options = registration_options(client)
    assert len(options["excludeCredentials"]) == 2 and first.id in {c["id"] for c in options["excludeCredentials"]}
    page = client.get("/account/passkeys").get_data(as_text=True)
    assert "Phone" in page and "Security key" in page


def test_after_the_password_a_passkey_signs_in_and_its_last_use_is_shown(client, auth, staff_with_passkey):
    assert auth.login("staff").headers["Location"] == "/login/code"
    assert client.get("/").status_code == 302  # the password alone signs nobody in
    page = client.get("/login/code").get_data(as_text=True)
    assert "Use your passkey" in page and 'name="code"' not in page  # no app, so no code box
    options = sign_in_options(client)
    assert [c["id"] for c in options["allowCredentials"]] == [staff_with_passkey.id]
    assert options["userVerification"] == "preferred" and options["rpId"] == "localhost"
    response = send_answer(client, staff_with_passkey.get(options))
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert "Not yet" not in client.get("/account/passkeys").get_data(as_text=True)


def test_the_audit_log_names_the_passkey_a_person_signed_in_with(app, client, auth, db, staff_with_passkey):
    assert passkey_sign_in(client, auth, staff_with_passkey).status_code == 302
    staff_id = app.people["staff"]
    signed_in = [row for row in audit_actions(db, "sign_in") if row["actor_id"] == staff_id]
    assert signed_in[-1]["detail"] == {"second_step": "the passkey “My phone”"}


def test_asking_for_challenges_over_and_over_keeps_only_the_newest_few(app, client, auth, db,
                                                                       staff_with_passkey):
    auth.login("staff")
    answers = [staff_with_passkey.get(sign_in_options(client)) for _ in range(passkey_store.OPEN_CHALLENGES + 3)]
    kept = db.execute("SELECT count(*) FROM passkey_challenges WHERE user_id = ? AND purpose = 'sign_in'",
                      [app.people["staff"]]).fetchone()[0]
    assert kept == passkey_store.OPEN_CHALLENGES
    oldest = send_answer(client, answers[0])  # its challenge was let go: refused in plain words
    assert oldest.status_code == 400 and "expired or was used already" in oldest.get_data(as_text=True)
    assert send_answer(client, answers[-1]).status_code == 302  # the newest still signs in


def test_a_replayed_answer_is_refused_in_plain_words(client, auth, staff_with_passkey):
    assert auth.login("staff").headers["Location"] == "/login/code"
    answer = staff_with_passkey.get(sign_in_options(client))
    assert send_answer(client, answer).status_code == 302
    sign_out(client)
    auth.login("staff")
    again = send_answer(client, answer)
    assert again.status_code == 400
    assert "expired or was used already" in again.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_a_challenge_is_refused_after_five_minutes(client, auth, staff_with_passkey):
    with time_machine.travel(NOW, tick=False):
        auth.login("staff")
        answer = staff_with_passkey.get(sign_in_options(client))
    with time_machine.travel(NOW + timedelta(minutes=5, seconds=1), tick=False):
        auth.login("staff")
        refused = send_answer(client, answer)
    assert refused.status_code == 400 and "expired or was used already" in refused.get_data(as_text=True)


def test_a_counter_that_does_not_go_up_is_refused_as_a_copy(client, auth, staff_with_passkey):
    assert passkey_sign_in(client, auth, staff_with_passkey, counter=7).status_code == 302
    sign_out(client)
    refused = passkey_sign_in(client, auth, staff_with_passkey, counter=7)
    assert refused.status_code == 400 and "copied" in refused.get_data(as_text=True)
    assert passkey_sign_in(client, auth, staff_with_passkey, counter=8).status_code == 302


def test_an_unknown_passkey_is_refused(client, auth, staff_with_passkey):
    refused = passkey_sign_in(client, auth, SoftAuthenticator())
    assert refused.status_code == 400 and passkeys.NOT_YOURS in refused.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_another_persons_passkey_does_not_sign_in_as_you(client, auth, staff_with_passkey):
    theirs = SoftAuthenticator()
    auth.login("dsl")
    assert add_passkey(client, theirs).status_code == 302
    sign_out(client)
    refused = passkey_sign_in(client, auth, theirs, who="staff")
    assert refused.status_code == 400 and passkeys.NOT_YOURS in refused.get_data(as_text=True)


def test_an_answer_for_another_site_is_refused(client, auth, staff_with_passkey):
    wrong_origin = passkey_sign_in(client, auth, staff_with_passkey, origin="https://evil.example")
    assert wrong_origin.status_code == 400 and passkeys.NOT_VERIFIED in wrong_origin.get_data(as_text=True)
    wrong_rp = passkey_sign_in(client, auth, staff_with_passkey, rp_id="evil.example")
    assert wrong_rp.status_code == 400 and passkeys.NOT_VERIFIED in wrong_rp.get_data(as_text=True)


def test_a_forged_signature_is_refused(client, auth, staff_with_passkey):
    assert auth.login("staff").headers["Location"] == "/login/code"
    answer = json.loads(staff_with_passkey.get(sign_in_options(client)))
    signature = bytearray(unb64url(answer["response"]["signature"]))
    signature[-1] ^= 1
    answer["response"]["signature"] = b64url(bytes(signature))
    refused = send_answer(client, json.dumps(answer))
    assert refused.status_code == 400 and passkeys.NOT_VERIFIED in refused.get_data(as_text=True)
    assert client.get("/").status_code == 302


GARBLED = ["", "{", "[]", "null", '"text"', "{}", json.dumps({"id": "x", "rawId": "x", "response": {}}),
           json.dumps({"id": "!!", "rawId": "!!", "type": "public-key",
                       "response": {"clientDataJSON": "!!", "authenticatorData": "", "signature": ""}}),
           "[" * 5000 + "]" * 5000, "x" * 30000]


@pytest.mark.parametrize("garbled", GARBLED, ids=range(len(GARBLED)))
def test_a_garbled_answer_gets_a_plain_message_never_a_500(client, auth, staff_with_passkey, garbled):
    auth.login("staff")
    response = send_answer(client, garbled)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(["clientDataJSON", "authenticatorData", "signature", "userHandle", "id"]),
       junk=st.one_of(st.text(max_size=40), st.binary(max_size=60).map(b64url), st.integers(), st.none()))
def test_any_damaged_part_of_an_answer_is_refused_cleanly(client, auth, staff_with_passkey, field, junk):
    auth.login("staff")
    answer = json.loads(staff_with_passkey.get(sign_in_options(client)))
    (answer if field == "id" else answer["response"])[field] = junk
    response = send_answer(client, json.dumps(answer))
    assert response.status_code in (302, 400)
    if response.status_code == 302:  # only a harmless part was changed: the user handle
        assert field == "userHandle"
        sign_out(client)


def test_a_garbled_new_passkey_is_refused_and_nothing_is_kept(client, auth, db):
    auth.login("staff")
    for garbled in ("{", "[]", json.dumps({"id": "a", "rawId": "a", "type": "public-key",
                                           "response": {"clientDataJSON": "", "attestationObject": ""}})):
        response = add_passkey(client, None, answer=garbled)
        assert response.status_code == 400 and 'class="error-summary"' in response.get_data(as_text=True)
    empty = add_passkey(client, SoftAuthenticator(), name=" ")
    assert empty.status_code == 400 and "Give the passkey a name" in empty.get_data(as_text=True)
    assert list(db.query("SELECT id FROM passkeys")) == []


def test_a_new_passkey_from_another_site_or_a_spent_challenge_is_refused(client, auth, db):
    auth.login("staff")
    authenticator = SoftAuthenticator()
    options = registration_options(client)
    elsewhere = add_passkey(client, None, answer=authenticator.create(options, origin="https://evil.example"))
    assert elsewhere.status_code == 400 and passkeys.NOT_VERIFIED in elsewhere.get_data(as_text=True)
    replayed = add_passkey(client, None, answer=authenticator.create(options))
    assert replayed.status_code == 400 and passkeys.EXPIRED in replayed.get_data(as_text=True)
    assert list(db.query("SELECT id FROM passkeys")) == []


def test_the_same_passkey_cannot_be_added_twice(client, auth):
    auth.login("staff")
    authenticator = SoftAuthenticator()
    assert add_passkey(client, authenticator).status_code == 302
    again = add_passkey(client, authenticator, "Again")
    assert again.status_code == 400 and passkeys.ALREADY in again.get_data(as_text=True)


def test_a_challenge_made_for_one_person_does_not_register_for_another(client, auth, app):
    auth.login("staff")
    options = registration_options(client)
    sign_out(client)
    auth.login("head")
    refused = add_passkey(client, None, answer=SoftAuthenticator().create(options))
    assert refused.status_code == 400 and passkeys.EXPIRED in refused.get_data(as_text=True)


def test_a_removed_passkey_no_longer_signs_in_and_the_removal_is_recorded(app, client, auth, db,
                                                                          staff_with_passkey):
    assert passkey_sign_in(client, auth, staff_with_passkey).status_code == 302
    page = client.get("/account/passkeys").get_data(as_text=True)
    (passkey_id,) = [row["id"] for row in db.query("SELECT id FROM passkeys")]
    removed = client.post(f"/account/passkeys/{passkey_id}/remove", data={"csrf_token": csrf_from(page)})
    assert removed.status_code == 302
    assert "You have no passkeys yet" in client.get("/account/passkeys").get_data(as_text=True)
    staff_id = app.people["staff"]
    assert audit_actions(db, "passkey.remove") == [
        {"actor_id": staff_id, "subject": f"user:{staff_id}", "detail": {"passkey": "My phone"}}]
    sign_out(client)
    assert auth.login("staff").headers["Location"] == "/"  # no second step left for staff


def test_nobody_removes_another_persons_passkey(client, auth, db, staff_with_passkey):
    auth.login("dsl")
    (passkey_id,) = [row["id"] for row in db.query("SELECT id FROM passkeys")]
    page = client.get("/account/passkeys").get_data(as_text=True)
    assert client.post(f"/account/passkeys/{passkey_id}/remove",
                       data={"csrf_token": csrf_from(page)}).status_code == 404
    assert len(list(db.query("SELECT id FROM passkeys"))) == 1


def test_a_person_with_an_app_and_a_passkey_may_use_either(enforced, client, auth):
    authenticator = SoftAuthenticator()
    with time_machine.travel(NOW, tick=False):
        auth.login("dsl")
        secret, codes = set_up_authenticator(client, NOW)
        assert add_passkey(client, authenticator).status_code == 302
        sign_out(client)
        assert auth.login("dsl").headers["Location"] == "/login/code"
        page = client.get("/login/code").get_data(as_text=True)
        assert "Enter your code" in page and 'name="code"' in page and "Sign in with a passkey" in page
        assert send_answer(client, authenticator.get(sign_in_options(client))).status_code == 302
        sign_out(client)
    with time_machine.travel(NOW + timedelta(seconds=60), tick=False):
        auth.login("dsl")
        assert enter_code(client, pyotp.TOTP(secret).now()).status_code == 302
        sign_out(client)
        auth.login("dsl")
        assert enter_code(client, codes[0]).status_code == 302


def test_a_passkey_does_not_replace_the_app_a_role_needs(enforced, client, auth):
    """A role in TWO_FACTOR_ROLES still sets up an authenticator app first: the page stays out of reach."""
    auth.login("dsl")
    assert client.get("/account/passkeys").headers["Location"] == "/account/two-factor"
    token = csrf_from(client.get("/account/two-factor").get_data(as_text=True))
    refused = client.post("/account/passkeys/options", headers={"X-CSRFToken": token}, json={})
    assert refused.status_code == 302 and refused.headers["Location"] == "/account/two-factor"


def test_resetting_someones_second_factor_removes_their_passkeys(client, auth, db, staff_with_passkey):
    auth.login("admin")
    page = client.get("/").get_data(as_text=True)
    staff_id = list(db.query("SELECT user_id FROM passkeys"))[0]["user_id"]
    reset = client.post(f"/admin/users/{staff_id}/two-factor/reset", data={"csrf_token": csrf_from(page)})
    assert reset.status_code == 302
    assert list(db.query("SELECT id FROM passkeys")) == []


def test_the_passkey_step_needs_the_password_first(client):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    options = client.post("/login/passkey/options", headers={"X-CSRFToken": token}, json={})
    assert options.status_code == 401 and "email address and password first" in options.get_json()["error"]
    answer = client.post("/login/passkey", data={"credential": "{}", "csrf_token": token})
    assert answer.status_code == 302 and answer.headers["Location"] == "/login"


def test_the_json_posts_need_the_csrf_token(client, auth, staff_with_passkey):
    auth.login("head")
    refused = client.post("/account/passkeys/options", json={})
    # the page's script shows the answer's own words, so a refusal comes back as JSON, not as a page
    assert refused.status_code == 400 and refused.is_json
    assert "has expired or was not sent from this app" in refused.get_json()["error"]
    sign_out(client)
    auth.login("staff")
    refused = client.post("/login/passkey/options", json={})
    assert refused.status_code == 400 and "reload and try again" in refused.get_json()["error"]


def test_the_relying_party_id_comes_from_config_when_set(app, client, auth):
    app.config["PASSKEY_RP_ID"] = "school.example"
    auth.login("staff")
    assert registration_options(client)["rp"]["id"] == "school.example"


def test_with_only_a_passkey_a_typed_code_is_refused_in_plain_words(client, auth, staff_with_passkey):
    auth.login("staff")
    for typed in ("123456", "abcde-fghjk"):
        refused = enter_code(client, typed)
        assert refused.status_code == 200 and "no code works" in refused.get_data(as_text=True)
    assert client.get("/").status_code == 302

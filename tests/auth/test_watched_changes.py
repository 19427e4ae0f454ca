"""Role changes are watched: nobody changes their own roles; every change is recorded and emailed to the head."""
from tests.auth.conftest import sign_out
from tests.conftest import PASSWORD, PEOPLE, Auth, csrf_from
from webapp.auth import store

NEW_PASSWORD = "lantern harbour quietly 42"


def audit_actions(db):
    return [tuple(r) for r in db.execute("SELECT action, subject, actor_id FROM audit_log ORDER BY id")]


def test_nobody_can_give_themselves_a_role(app, client, auth, db):
    db.execute("INSERT INTO user_roles (user_id, role) VALUES (?, 'staff')", [app.people["admin"]])
    auth.login("admin")
    me = app.people["admin"]
    page = client.get(f"/admin/users/{me}").get_data(as_text=True)
    response = client.post(f"/admin/users/{me}", data={"name": "Ada Admin", "roles": ["staff", "admin", "dsl"],
                                                       "csrf_token": csrf_from(page)})
    assert response.status_code == 200 and "cannot change your own roles" in response.get_data(as_text=True)
    assert store.get_user(db, me)["roles"] == ["staff", "admin"]
    assert not [a for a in audit_actions(db) if a[0].startswith("role.")]


def test_a_grant_and_a_removal_are_recorded_and_emailed_to_the_head(app, client, auth, db, mailbox):
    auth.login("admin")
    staff = app.people["staff"]
    page = client.get(f"/admin/users/{staff}").get_data(as_text=True)
    client.post(f"/admin/users/{staff}", data={"name": "Sally Staff", "roles": ["dsl"], "csrf_token": csrf_from(page)})
    assert ("role.grant", f"user:{staff}", app.people["admin"]) in audit_actions(db)
    assert ("role.remove", f"user:{staff}", app.people["admin"]) in audit_actions(db)
    mails = mailbox.messages
    assert {tuple(m["to"]) for m in mails} == {(PEOPLE["head"][0],)}
    grant = next(m for m in mails if "Gave a role" in m["subject"])
    assert "Sally Staff" in grant["body"] and "Designated Safeguarding Lead" in grant["body"]
    assert "Ada Admin" in grant["body"]


def test_account_creation_and_deactivation_are_watched(app, client, auth, db, mailbox):
    auth.login("admin")
    client.post("/admin/users/new", data={"name": "Tara Teacher", "email": "tara@test.school", "roles": ["staff"],
                                          "new_password": "blue kettle on the hob",
                                          "csrf_token": auth.csrf("/admin/users/new")})
    tara = store.get_user_by_email(db, "tara@test.school")["id"]
    page = client.get(f"/admin/users/{tara}").get_data(as_text=True)
    client.post(f"/admin/users/{tara}/deactivate", data={"confirm": "y", "csrf_token": csrf_from(page)})
    actions = [a[0] for a in audit_actions(db) if a[1] == f"user:{tara}"]
    assert actions == ["account.create", "account.deactivate"]
    subjects = [m["subject"] for m in mailbox.messages]
    assert any("Created an account" in s for s in subjects) and any("Ended an account" in s for s in subjects)


def test_the_head_resets_a_second_factor_and_it_is_recorded(app, client, auth, db, mailbox):
    dsl = app.people["dsl"]
    db.execute("UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXP' WHERE id = ?", [dsl])
    dsl_client = app.test_client()
    Auth(dsl_client).login("dsl")
    auth.login("head")
    page = client.get("/admin/two-factor").get_data(as_text=True)
    assert "Diane Lead" in page
    client.post(f"/admin/users/{dsl}/two-factor/reset", data={"csrf_token": csrf_from(page)})
    assert store.get_user(db, dsl)["totp_secret"] is None
    assert dsl_client.get("/").status_code == 302  # signed out
    assert ("two_factor.reset", f"user:{dsl}", app.people["head"]) in audit_actions(db)
    assert any("two-factor" in m["subject"] for m in mailbox.messages)


def test_staff_cannot_reset_anyones_second_factor(app, client, auth):
    auth.login("dsl")
    assert client.get("/admin/two-factor").status_code == 403
    assert client.post(f"/admin/users/{app.people['head']}/two-factor/reset",
                       data={"csrf_token": auth.csrf()}).status_code == 403


def test_a_temporary_password_works_once_and_must_be_changed_first(app, client, auth, db):
    auth.login("admin")
    staff = app.people["staff"]
    page = client.get(f"/admin/users/{staff}").get_data(as_text=True)
    client.post(f"/admin/users/{staff}/temporary-password",
                data={"new_password": "temporary kettle 99", "csrf_token": csrf_from(page)})
    assert ("password.reset", f"user:{staff}", app.people["admin"]) in audit_actions(db)
    sign_out(client)
    assert auth.login("staff", PASSWORD).status_code == 200  # the old one no longer works: back on the form
    auth.login("staff", "temporary kettle 99")
    assert client.get("/").headers["Location"] == "/account/password"
    assert client.get("/api/session").status_code == 403
    page = client.get("/account/password").get_data(as_text=True)
    client.post("/account/password", data={"current_password": "temporary kettle 99",
                                           "new_password": NEW_PASSWORD, "csrf_token": csrf_from(page)})
    assert client.get("/").status_code == 200
    sign_out(client)
    assert auth.login("staff", "temporary kettle 99").status_code == 200  # refused: back on the form
    assert auth.login("staff", NEW_PASSWORD).headers["Location"] == "/"


def test_a_change_that_concerns_the_head_is_emailed_to_the_chair_too(app, client, auth, db, mailbox):
    store.create_user(db, "chair@test.school", "Cara Chair", PASSWORD, ["chair"])
    auth.login("admin")
    head = app.people["head"]
    page = client.get(f"/admin/users/{head}").get_data(as_text=True)
    client.post(f"/admin/users/{head}", data={"name": "Helen Head", "roles": ["staff", "head", "governor"],
                                              "csrf_token": csrf_from(page)})
    mails = [m for m in mailbox.messages if "Gave a role" in m["subject"]]
    assert sorted(m["to"][0] for m in mails) == ["chair@test.school", PEOPLE["head"][0]]
    assert all("Safeguarding governor" in m["body"] for m in mails)

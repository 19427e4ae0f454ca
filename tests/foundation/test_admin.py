"""Admin pages: add people, change roles, deactivate (ending sessions at once)."""
from webapp.auth import store


def test_admin_adds_a_person_who_can_then_sign_in(app, client, auth, db):
    auth.login("admin")
    response = client.post("/admin/users/new", data={
        "name": "Tara Teacher", "email": "tara@test.school", "roles": ["staff", "dsl"],
        "new_password": "blue kettle on the hob", "csrf_token": auth.csrf("/admin/users/new")})
    assert response.status_code == 302
    assert store.get_user_by_email(db, "tara@test.school")["roles"] == ["staff", "dsl"]
    auth.logout()
    assert auth.login("tara@test.school", "blue kettle on the hob").status_code == 302


def test_adding_with_bad_input_keeps_what_was_typed_and_stores_nothing(client, auth, db):
    auth.login("admin")
    before = db.execute("SELECT count(*) FROM users").fetchone()[0]
    response = client.post("/admin/users/new", data={
        "name": "Typed Name", "email": "staff@test.school", "roles": ["staff"],
        "new_password": "blue kettle on the hob", "csrf_token": auth.csrf("/admin/users/new")})
    html = response.get_data(as_text=True)
    assert "already has an account" in html and 'value="Typed Name"' in html
    response = client.post("/admin/users/new", data={
        "name": "", "email": "not-an-email", "roles": [], "new_password": "short",
        "csrf_token": auth.csrf("/admin/users/new")})
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and "Choose at least one role." in html
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == before


def test_admin_changes_roles(app, client, auth, db):
    auth.login("admin")
    staff_id = app.people["staff"]
    response = client.post(f"/admin/users/{staff_id}", data={
        "name": "Sally Staff", "roles": ["staff", "governor"], "csrf_token": auth.csrf(f"/admin/users/{staff_id}")})
    assert response.status_code == 302
    assert store.get_user(db, staff_id)["roles"] == ["staff", "governor"]


def test_unknown_role_is_refused(app, client, auth, db):
    auth.login("admin")
    staff_id = app.people["staff"]
    response = client.post(f"/admin/users/{staff_id}", data={
        "name": "Sally Staff", "roles": ["wizard"], "csrf_token": auth.csrf(f"/admin/users/{staff_id}")})
    assert response.status_code == 200 and "Choose roles from the list shown." in response.get_data(as_text=True)
    assert store.get_user(db, staff_id)["roles"] == ["staff"]


def test_deactivating_ends_their_sessions_at_once(app, client, auth):
    victim = app.test_client()
    from tests.conftest import Auth
    Auth(victim).login("staff")
    assert victim.get("/").status_code == 200
    auth.login("admin")
    staff_id = app.people["staff"]
    response = client.post(f"/admin/users/{staff_id}/deactivate", data={
        "confirm": "y", "csrf_token": auth.csrf(f"/admin/users/{staff_id}")})
    assert response.status_code == 302
    assert victim.get("/").status_code == 302
    assert Auth(app.test_client()).login("staff").status_code == 200  # cannot sign in again


def test_deactivation_needs_confirmation_and_not_yourself(app, client, auth, db):
    auth.login("admin")
    staff_id = app.people["staff"]
    client.post(f"/admin/users/{staff_id}/deactivate", data={"csrf_token": auth.csrf("/admin/users")})
    assert store.get_user(db, staff_id)["active"] == 1
    own = app.people["admin"]
    client.post(f"/admin/users/{own}/deactivate", data={"confirm": "y", "csrf_token": auth.csrf("/admin/users")})
    assert store.get_user(db, own)["active"] == 1


def test_reactivation(app, client, auth, db):
    store.set_active(db, app.people["staff"], False)
    auth.login("admin")
    client.post(f"/admin/users/{app.people['staff']}/reactivate", data={
        "confirm": "y", "csrf_token": auth.csrf("/admin/users")})
    assert store.get_user(db, app.people["staff"])["active"] == 1

"""The whistleblowing and Key details pages: open to everyone, linked from every footer, kept by an admin."""
import pytest

from tests.conftest import PEOPLE


@pytest.mark.parametrize("path", ["/login", "/whistleblowing", "/key-details", "/phone"])
def test_every_page_footer_links_to_both_pages_signed_out(client, path):
    html = client.get(path).get_data(as_text=True)
    footer = html.split('<footer')[1]
    assert 'href="/whistleblowing"' in footer and 'href="/key-details"' in footer


@pytest.mark.parametrize("who", list(PEOPLE))
def test_the_footer_is_there_signed_in_too(client, auth, who):
    auth.login(who)
    footer = client.get("/").get_data(as_text=True).split('<footer')[1]
    assert 'href="/whistleblowing"' in footer


def test_the_whistleblowing_page_says_how_and_gives_the_nspcc_line(client):
    response = client.get("/whistleblowing")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "0800 028 0285" in html and 'href="tel:08000280285"' in html
    assert "Only the chair of governors sees it" in html and "no DSL, and not the headteacher" in html
    assert "has not added its whistleblowing procedure" in html
    assert "Nobody holds the chair of governors" in html


def test_an_admin_keeps_the_procedures_and_everyone_reads_them(client, auth):
    auth.login("admin")
    token = auth.csrf("/whistleblowing/edit")
    response = client.post("/whistleblowing/edit", data={
        "csrf_token": token, "whistleblowing": "Tell the head, or the chair <b>Mrs Chair</b>.",
        "complaints": "Write to the clerk to the governors."})
    assert response.status_code == 302
    auth.logout()
    html = client.get("/whistleblowing").get_data(as_text=True)
    assert "Tell the head, or the chair &lt;b&gt;Mrs Chair&lt;/b&gt;." in html
    assert "Write to the clerk to the governors." in html


@pytest.mark.parametrize("who", ["staff", "dsl", "head", "governor"])
def test_only_an_admin_edits_them(client, auth, who):
    auth.login(who)
    assert client.get("/whistleblowing/edit").status_code == 403
    assert client.get("/key-details/edit").status_code == 403


def test_key_details_lists_every_dsl_and_the_governor_by_default(client):
    html = client.get("/key-details").get_data(as_text=True)
    assert "Diane Lead" in html and "Derek Deputy" in html and "Gary Governor" in html
    assert "Sally Staff" not in html
    assert html.count(", Designated Safeguarding Lead") == 2


def test_an_admin_adds_a_title_and_extension(client, auth, app):
    auth.login("admin")
    token = auth.csrf("/key-details/edit")
    response = client.post("/key-details/edit", data={"csrf_token": token, "user_id": app.people["dsl2"],
                                                      "title": "Deputy DSL", "extension": "214"})
    assert response.status_code == 302
    html = client.get("/key-details").get_data(as_text=True)
    assert "Deputy DSL" in html and "extension 214" in html


@pytest.mark.parametrize("data, message", [
    ({"extension": "call me"}, "Use digits only"),
    ({"title": "x" * 101}, "Use at most 100 characters."),
    ({"user_id": ""}, "Say whose details these are."),
])
def test_bad_key_details_are_refused_plainly(client, auth, app, db, data, message):
    auth.login("admin")
    token = auth.csrf("/key-details/edit")
    response = client.post("/key-details/edit", data={"csrf_token": token, "user_id": app.people["dsl"],
                                                      "title": "DSL", **data})
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM key_contacts").fetchone()[0] == 0


def test_details_for_someone_unknown_are_not_found(client, auth, db):
    auth.login("admin")
    token = auth.csrf("/key-details/edit")
    response = client.post("/key-details/edit", data={"csrf_token": token, "user_id": 9999, "title": "DSL"})
    assert response.status_code == 404
    assert db.execute("SELECT count(*) FROM key_contacts").fetchone()[0] == 0


def test_both_pages_are_kept_on_the_phone_and_name_nobody(client, auth):
    sw = client.get("/service-worker.js").get_data(as_text=True)
    assert '"/whistleblowing"' in sw and '"/key-details"' in sw
    auth.login("staff")
    for path in ("/whistleblowing", "/key-details"):
        html = client.get(path).get_data(as_text=True)
        assert "Sally Staff" not in html and "data-kept-on-phone" in html


def test_the_admin_home_page_warns_until_someone_is_chair(client, auth, db, app):
    auth.login("admin")
    assert "Nobody holds the chair of governors" in client.get("/").get_data(as_text=True)
    from webapp.auth.store import set_roles
    set_roles(db, app.people["governor"], ["governor", "chair"])
    assert "Nobody holds the chair of governors" not in client.get("/").get_data(as_text=True)


def test_staff_home_page_links_to_key_details(client, auth):
    auth.login("staff")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/key-details"' in html.split("<footer")[0]
    assert "Nobody holds the chair" not in html

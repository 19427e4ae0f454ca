"""Protections every page relies on: CSRF on every form, Secure cookies and HSTS behind a proxy."""
import pytest

from tests.conftest import Auth
from tests.foundation.test_access import KEY_SIGNED, guarded_rules, url_for_rule
from webapp import create_app

# A POST authenticated by a school phone's signature rests on no cookie, so a forged cross-site form
# has nothing to ride on: it is checked below for refusing what its key did not sign instead.
POSTS = sorted({(url_for_rule(r), roles[0] if roles else "staff")
                for r, m, roles in guarded_rules() if m == "POST" and r.rule not in KEY_SIGNED})


def test_there_are_forms_to_check():
    assert len(POSTS) > 20 and ("/login", "staff") in POSTS


@pytest.mark.parametrize("path, who", POSTS)
def test_every_post_without_its_token_is_refused(app, path, who):
    client = app.test_client()
    Auth(client).login(who)  # signs in through the real form, with its token
    app.config["TESTING"] = False
    response = client.post(path, data={"body": "x", "confirm": "y"},
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 400, (path, response.status_code)


@pytest.mark.parametrize("path", sorted(KEY_SIGNED))
def test_a_post_signed_by_a_school_phone_refuses_what_no_key_signed(app, path):
    client = app.test_client()
    Auth(client).login("staff")  # a session cookie lends it nothing
    app.config["TESTING"] = False
    forged = {"proof": "x.y.z", "device_id": "d" * 36, "waiting": {"count": 0, "oldest": None},
              "items": [{"id": "2b5d1c3e-9a4f-4e8b-8c1d-3f6a7b8c9d0e", "kind": "concern",
                         "created_at": "2026-12-01T10:00:00Z", "sealed": "a.b.c.d.e", "signed": "a.b.c"}]}
    response = client.post(path, json=forged)
    assert response.status_code in (400, 403) and response.is_json, (path, response.status_code)


@pytest.fixture
def proxied(tmp_path, school_template):
    """The app as deployed behind one reverse proxy that ends HTTPS."""
    import shutil
    template, _ = school_template
    shutil.copyfile(template, tmp_path / "test.db")
    return create_app({"SECRET_KEY": "test-secret", "DATABASE": str(tmp_path / "test.db"), "PROXY_COUNT": 1,
                       "UPLOAD_FOLDER": str(tmp_path / "uploads"), "SMTP_HOST": None,
                       "SEALING_KEY_FOLDER": str(tmp_path / "sealing-keys")})


def test_behind_a_proxy_ending_https_cookies_are_secure_and_hsts_is_sent(proxied):
    client = proxied.test_client()
    page = client.get("/login", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    cookies = page.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in c and "HttpOnly" in c for c in cookies if c.startswith("session="))
    assert any(c.startswith("session=") for c in cookies)


def test_without_https_there_is_no_hsts(proxied):
    page = proxied.test_client().get("/login", headers={"X-Forwarded-Proto": "http"})
    assert "Strict-Transport-Security" not in page.headers
    assert not any("Secure" in c for c in page.headers.getlist("Set-Cookie"))


def test_a_forged_proto_header_is_ignored_without_a_proxy(app):
    page = app.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in page.headers

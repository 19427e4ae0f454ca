"""Protections every page relies on: CSRF on every form, Secure cookies and HSTS behind a proxy."""
import pytest

from tests.conftest import Auth
from tests.foundation.test_access import guarded_rules, url_for_rule
from webapp import create_app

POSTS = sorted({(url_for_rule(r), roles[0] if roles else "staff")
                for r, m, roles in guarded_rules() if m == "POST"})


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

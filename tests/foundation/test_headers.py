"""Security headers on every response, friendly error pages, JSON errors under /api/."""
import gzip
import re

import brotli
import pytest

from tests.conftest import Auth
from tests.foundation.test_access import guarded_rules, url_for_rule

GET_PATHS = sorted({url_for_rule(r) for r, m, _ in guarded_rules() if m == "GET"})


def check_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert response.headers["Permissions-Policy"]


@pytest.mark.parametrize("path", GET_PATHS + ["/does-not-exist", "/api/does-not-exist"])
@pytest.mark.parametrize("who", [None, "head", "admin", "governor"])
def test_headers_on_every_route(app, path, who):
    client = app.test_client()
    if who:
        Auth(client).login(who)
    response = client.get(path)
    check_security_headers(response)
    if path not in ("/service-worker.js", "/manifest.webmanifest"):
        assert "no-store" in response.headers["Cache-Control"], path


def test_built_assets_are_cacheable_and_hashed(app, client, auth):
    auth.login("staff")
    html = client.get("/").get_data(as_text=True)
    import re
    css = re.search(r'href="(/static/gen/app\.[0-9a-f]{8}\.css)"', html).group(1)
    response = client.get(css)
    assert response.status_code == 200 and "immutable" in response.headers["Cache-Control"]
    body = response.get_data(as_text=True)
    assert "\n\n" not in body and "/*" not in body  # minified
    check_security_headers(response)


def test_friendly_404_and_json_404_under_api(client):
    page = client.get("/nowhere")
    assert page.status_code == 404 and "There is no page at this address." in page.get_data(as_text=True)
    api = client.get("/api/nowhere")
    assert api.status_code == 404 and api.is_json and api.get_json()["error"]


def test_friendly_500_page(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/boom")
    def boom():
        raise RuntimeError("kaboom")

    response = app.test_client().get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and "Something went wrong" in html and "kaboom" not in html


def test_403_page_is_friendly(client, auth):
    auth.login("staff")
    response = client.get("/admin/users")
    assert response.status_code == 403 and "You do not have access" in response.get_data(as_text=True)


def test_home_links_only_to_what_the_role_allows(client, auth):
    auth.login("governor")
    html = client.get("/").get_data(as_text=True)
    assert "/admin/users" not in html and "Log a concern" not in html
    auth.logout()
    auth.login("admin")
    assert "/admin/users" in client.get("/").get_data(as_text=True)


def test_pages_and_assets_are_compressed_when_the_browser_accepts_it(app, client, auth):
    auth.login("staff")
    plain = client.get("/concerns/new")
    packed = client.get("/concerns/new", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    page = gzip.decompress(packed.get_data()).decode()
    assert "Content-Encoding" not in plain.headers and 'name="account"' in page
    assert len(packed.get_data()) < len(plain.get_data()) / 2
    script = re.search(r'"(/static/gen/forms\.[0-9a-f]{8}\.js)"', page).group(1)
    asset = client.get(script, headers={"Accept-Encoding": "br"})
    assert asset.headers["Content-Encoding"] == "br" and "immutable" in asset.headers["Cache-Control"]
    assert brotli.decompress(asset.get_data()) == client.get(script).get_data()


def test_every_module_app_js_imports_is_preloaded(app, client):
    """On a slow network each import level costs a round trip: the page names them all at once."""
    import re
    from pathlib import Path

    from webapp.assets import EVERY_PAGE
    js = Path(app.static_folder) / "js"
    needed, todo = set(), ["app"]
    while todo:
        name = todo.pop()
        if name not in needed:
            needed.add(name)
            todo += re.findall(r'^import (?:.+ from )?"([a-z]+)";', (js / f"{name}.js").read_text(), re.M)
    assert needed == set(EVERY_PAGE)
    html = client.get("/login").get_data(as_text=True)
    preloaded = re.findall(r'<link rel="modulepreload" href="/static/gen/([a-z]+)\.[0-9a-f]+\.js">', html)
    assert set(preloaded) == needed

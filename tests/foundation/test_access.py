"""Every route, every role: the guards let in exactly who they should."""
import pytest

from tests.conftest import PEOPLE, Auth
from webapp import create_app

ROLE_PEOPLE = ["staff", "dsl", "head", "governor", "admin"]
SAMPLE_ARGS = {"int": "1", "string": "x", "default": "x", "path": "x", "uuid": "00000000-0000-4000-8000-000000000000"}


def guarded_rules():
    """Yield (rule, method, required roles or None for login-only) for every app route."""
    app = create_app({"SECRET_KEY": "x", "DATABASE": ":memory:"})
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield rule, method, getattr(view, "required_roles", None)


def url_for_rule(rule):
    path = rule.rule
    for arg in rule.arguments:
        converter = rule._converters[arg].__class__.__name__.replace("Converter", "").lower()
        path = path.replace(f"<{rule._converters[arg].__class__.__name__}:{arg}>", "")
        for prefix in ("int:", "string:", "path:", "uuid:", ""):
            path = path.replace(f"<{prefix}{arg}>", SAMPLE_ARGS.get(converter, "1"))
    return path


ROLE_GUARDED = [(r.rule, m, roles) for r, m, roles in guarded_rules() if roles]


def test_there_are_guarded_routes():
    assert any(path.startswith("/admin") for path, _, _ in ROLE_GUARDED)


@pytest.mark.parametrize("who", ROLE_PEOPLE)
@pytest.mark.parametrize("path, method, roles", ROLE_GUARDED)
def test_role_guard(app, who, path, method, roles):
    client = app.test_client()
    auth = Auth(client)
    auth.login(who)
    rule = next(r for r in app.url_map.iter_rules() if r.rule == path)
    url = url_for_rule(rule)
    headers = {"X-CSRFToken": auth.csrf("/")} if method != "GET" else {}
    data = {"csrf_token": headers.get("X-CSRFToken")} if method != "GET" else None
    response = client.open(url, method=method, headers=headers, data=data)
    from webapp.auth.roles import User
    allowed = User({"id": 0, "email": "", "name": "", "roles": PEOPLE[who][2]}, "").has_role(*roles)
    if allowed:
        assert response.status_code not in (401, 403), f"{who} refused at {method} {url}"
    else:
        assert response.status_code == 403, f"{who} let into {method} {url} ({response.status_code})"


# Routes anyone may open without signing in; every other route needs a session.
# /setup/<token> is the first administrator's one-time page (tests/installation check its token).
# /login/code, /login/passkey (and its options), /login/forgot and /login/reset/<token> are steps of
# signing in (tests/auth check them).
# /api/openapi.json describes the API and holds nothing of the school's (tests/api check it).
# An enrolled school phone's concern form, its staff list and its push work with nobody signed in:
# the two POSTs are authenticated by the phone's own signature, never by a cookie (tests/school_phones).
KEY_SIGNED = {"/api/school-phones/staff", "/api/sync/push-from-school-phone"}
PUBLIC = {"/login", "/logout", "/service-worker.js", "/manifest.webmanifest", "/phone", "/setup/<token>",
          "/whistleblowing", "/key-details", "/login/code", "/login/passkey", "/login/passkey/options",
          "/login/forgot", "/login/reset/<token>", "/school-phones/concern", "/api/openapi.json", *KEY_SIGNED}


@pytest.mark.parametrize("path, method", sorted({(r.rule, m) for r, m, _ in guarded_rules()
                                                 if r.rule not in PUBLIC}))
def test_anonymous_is_sent_to_sign_in(app, path, method):
    client = app.test_client()
    rule = next(r for r in app.url_map.iter_rules() if r.rule == path)
    response = client.open(url_for_rule(rule), method=method)
    if path.startswith("/api/"):
        assert response.status_code in (400, 401), response.status_code
        assert response.is_json
    elif method == "GET":
        assert response.status_code == 302, f"{method} {path} gave {response.status_code}"
        assert "/login" in response.headers["Location"]
    else:
        assert response.status_code in (302, 400)  # CSRF refuses anonymous posts first
        assert response.status_code == 400 or "/login" in response.headers["Location"]

"""The OpenAPI description at /api/openapi.json: whole, served as built, and never stale."""
import pytest
import schemathesis

from webapp.openapi import document

PATH_PARTS = ("<", ">")
NOT_YET_DESCRIBED = set()  # every /api route is described
# Routes that take no session: the description itself, and what an enrolled school phone signs with its own key.
SESSIONLESS = {"/api/openapi.json", "/api/school-phones/staff", "/api/sync/push-from-school-phone"}


def api_routes(app):
    """Return {path: {methods}} of every /api route the app has (HEAD and OPTIONS are Flask's own)."""
    routes = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and rule.rule not in NOT_YET_DESCRIBED:
            routes.setdefault(rule.rule, set()).update(m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
    return routes


def test_every_api_route_and_method_is_described(app):
    described = document.build(app.config)["paths"]
    assert not any(part in path for path in api_routes(app) for part in PATH_PARTS)  # no parameters in paths yet
    assert {path: set(item) for path, item in described.items()} == api_routes(app)


def test_the_served_description_is_the_built_one_and_loads(client, app):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.is_json
    assert response.get_json() == document.build(app.config)
    operations = list(schemathesis.openapi.from_dict(response.get_json()).get_all_operations())
    assert len(operations) == sum(len(methods) for methods in api_routes(app).values())


def test_each_signed_in_route_says_it_needs_the_session_and_answers_401(app):
    for path, item in document.build(app.config)["paths"].items():
        for method, operation in item.items():
            if path in SESSIONLESS:
                assert operation["security"] == [], (method, path)
                assert "401" not in operation["responses"], (method, path)
                continue
            assert operation["security"] == [{"session": []}], (method, path)
            assert {"401", "403"} <= set(operation["responses"]), (method, path)


def test_the_sessionless_routes_are_the_ones_that_need_no_session(client):
    for path in SESSIONLESS - {"/api/openapi.json"}:
        assert client.post(path, json={}).status_code != 401, path  # refused for its body, never for a session


def test_what_a_school_phone_calls_says_it_may_be_told_to_wait(app):
    paths = document.build(app.config)["paths"]
    for path in SESSIONLESS - {"/api/openapi.json"}:
        answer = paths[path]["post"]["responses"]["429"]
        assert answer["headers"]["Retry-After"]["required"] is True, path


@pytest.mark.parametrize("setting, where", [("SYNC_MAX_ITEMS_PER_PUSH", "/api/sync/push"),
                                            ("SYNC_MAX_ITEMS_PER_PUSH", "/api/sync/push-from-school-phone")])
def test_limits_come_from_the_settings(app, setting, where):
    app.config[setting] = 7
    body = document.build(app.config)["paths"][where]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["properties"]["items"]["maxItems"] == 7

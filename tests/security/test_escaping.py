"""Free text typed by anyone is shown as text on every page, never run as markup."""
import html

import pytest

from tests.concerns.conftest import Concerns
from tests.conftest import Auth
from tests.permissions.conftest import REQUEST, morning  # noqa: F401 (a fixture)


def marker(field):
    return f"<script>alert({field})</script><img src=x onerror=alert(1)>"


CONCERN_FIELDS = ["location", "learners", "adults", "account", "action_taken"]
REQUEST_FIELDS = ["visitor_name", "visitor_organisation", "detail"]
DECLARATION_FIELDS = ["with_whom", "details"]


@pytest.fixture
def typed(app, client, auth, morning):
    concerns = Concerns(client, auth)
    concern_id = concerns.log("staff", {f: marker(f) for f in CONCERN_FIELDS})
    auth.login("dsl")
    assert concerns.add(concern_id, "note", body=marker("body")).status_code in (200, 302)
    auth.logout()
    auth.login("staff")
    asked = client.post("/requests/new", data={**REQUEST, "for_whom": "visitor", "csrf_token": auth.csrf("/requests/new"),
                                                **{f: marker(f) for f in REQUEST_FIELDS}})
    assert asked.status_code == 302, asked.get_data(as_text=True)
    declared = client.post("/declarations/new", data={"relationship": "neighbour", "csrf_token": auth.csrf("/declarations/new"),
                                                       **{f: marker(f) for f in DECLARATION_FIELDS}})
    assert declared.status_code == 302
    auth.logout()
    return concern_id


def pages(app, concern_id):
    """Every page without a path variable, and every page of the concern."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.rule.startswith("/api/"):
            continue
        if not rule.arguments:
            yield rule.rule
        elif rule.arguments == {"concern_id"}:
            yield rule.rule.replace("<int:concern_id>", str(concern_id))


SHOWN_ON = {
    "staff": {"/requests/mine": REQUEST_FIELDS, "/declarations/mine": DECLARATION_FIELDS},
    "dsl": {"/concerns/{id}": CONCERN_FIELDS + ["body"], "/concerns/queue": ["location"],
            "/declarations": ["with_whom"]},
    "head": {"/requests/decisions": REQUEST_FIELDS, "/concerns/{id}": CONCERN_FIELDS + ["body"]},
}


@pytest.mark.parametrize("who", ["staff", "dsl", "head", "governor", "admin"])
def test_markup_typed_into_any_field_is_escaped_on_every_page(app, client, typed, who):
    Auth(client).login(who)
    for path in pages(app, typed):
        response = client.get(path)
        if response.mimetype != "text/html":
            continue
        body = response.get_data(as_text=True)
        assert "<script>alert(" not in body and "<img src=x" not in body, path
    for path, fields in SHOWN_ON.get(who, {}).items():
        body = client.get(path.replace("{id}", str(typed))).get_data(as_text=True)
        for field in fields:
            assert html.escape(marker(field)) in body, (path, field)

"""What fuzzing the API found, each kept fixed: a clear 4xx in the API's error shape, never a 500."""
import pytest


def token(client, auth, who="dsl"):
    auth.login(who)
    return client.get("/api/session").get_json()["csrf_token"]


def views(client, csrf, body):
    return client.post("/api/audit/offline-views", json=body, headers={"X-CSRFToken": csrf})


@pytest.mark.parametrize("body", [{"views": [{"kind": {}, "id": 1, "at": "2026-11-25T10:42:00Z"}]},
                                  {"views": [{"kind": ["concern"], "id": 1, "at": "2026-11-25T10:42:00Z"}]},
                                  {"device_id": {}, "views": []}, {"device_id": "no spaces", "views": []},
                                  {"views": "x"}])
def test_offline_views_refuse_odd_values_in_the_api_error_shape(client, auth, body):
    response = views(client, token(client, auth), body)
    assert response.status_code == 400
    answer = response.get_json()
    assert answer["status"] == 400 and answer["error"]
    assert all(isinstance(m, list) and all(isinstance(t, str) for t in m) for m in answer["errors"].values())


def test_offline_views_name_the_view_at_fault(client, auth):
    body = {"views": [{"kind": "concern", "id": 1, "at": "2026-11-25T10:42:00Z"}, {"kind": "pupil", "id": 1, "at": ""}]}
    assert list(views(client, token(client, auth), body).get_json()["errors"]) == ["views[1]"]


def test_a_whole_number_written_with_a_point_is_a_whole_number(client, auth, db):
    csrf = token(client, auth)
    body = {"device_id": None, "views": [{"kind": "concern", "id": 3.0, "at": "2026-11-25T10:42:00Z"}]}
    assert views(client, csrf, body).get_json() == {"recorded": 1}
    assert db.execute("SELECT count(*) FROM audit_log WHERE subject = 'concern:3'").fetchone()[0] == 1
    push = {"device_id": "phone-1", "waiting": {"count": 2.0, "oldest": None}, "items": []}
    assert client.post("/api/sync/push", json=push, headers={"X-CSRFToken": csrf}).status_code == 200


@pytest.mark.parametrize("query", ["waiting=null", "waiting=-1", "oldest=soon&waiting=1"])
def test_a_pull_checks_what_waits_even_without_a_device_id(client, auth, query):
    auth.login("staff")
    response = client.get(f"/api/sync/pull?{query}")
    assert response.status_code == 400 and response.get_json()["errors"]


@pytest.mark.parametrize("method, path", [("delete", "/api/session"), ("put", "/api/sync/push"),
                                          ("get", "/api/devices/keys")])
def test_an_undeclared_method_answers_405_json_with_allow(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 405 and response.is_json
    assert response.headers["Allow"]
    assert method.upper() not in response.headers["Allow"]


def test_an_undeclared_method_on_a_page_keeps_allow_too(client):
    response = client.delete("/login")
    assert response.status_code == 405 and "POST" in response.headers["Allow"]

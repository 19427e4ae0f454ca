"""What a DSL or the head read on a phone without signal reaches the audit log at the next sync."""
import pytest

from webapp.audit import store

URL = "/api/audit/offline-views"


def send(client, auth, body, who="dsl"):
    auth.login(who)
    token = client.get("/api/session").get_json()["csrf_token"]
    return client.post(URL, json=body, headers={"X-CSRFToken": token})


def test_views_read_offline_are_recorded_for_the_reader(client, auth, db, app):
    views = [{"kind": "concern", "id": 3, "at": "2026-11-25T10:42:00Z"},
             {"kind": "request", "id": 4, "at": "2026-11-25T10:43:00Z"}]
    response = send(client, auth, {"device_id": "phone-1", "views": views})
    assert response.status_code == 200 and response.get_json() == {"recorded": 2}
    case = store.about(db, "concern:3")
    assert [(e["actor_id"], e["action"]) for e in case] == [(app.people["dsl"], "case.view.offline")]
    assert "2026-11-25T10:42:00Z" in case[0]["detail"] and "phone-1" in case[0]["detail"]
    assert [e["action"] for e in store.about(db, "request:4")] == ["request.view.offline"]


@pytest.mark.parametrize("views", [None, "x", [{"kind": "pupil", "id": 1, "at": "2026-11-25T10:42:00Z"}],
                                   [{"kind": "concern", "id": "1", "at": "2026-11-25T10:42:00Z"}],
                                   [{"kind": "concern", "id": 1, "at": "yesterday"}], [7],
                                   [{"kind": "concern", "id": True, "at": "2026-11-25T10:42:00Z"}]])
def test_bad_views_get_a_plain_message_and_nothing_is_recorded(client, auth, db, views):
    good = {"kind": "concern", "id": 2, "at": "2026-11-25T10:42:00Z"}
    body = {"views": [good] + views if isinstance(views, list) else views}
    response = send(client, auth, body)
    assert response.status_code == 400 and response.get_json()["error"]
    assert store.about(db, "concern:2") == []


def test_no_session_is_401_json_and_no_token_is_refused(client, auth):
    response = client.post(URL, json={"views": []})
    assert response.status_code == 401 and response.is_json
    auth.login("dsl")
    assert client.post(URL, json={"views": []}).status_code == 400

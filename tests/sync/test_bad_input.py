"""Bad input to every API route: a clear 4xx JSON answer, never a 500, nothing written."""
import json
import uuid

import pytest
from joserfc.jwk import ECKey

from .conftest import count, signed_in_phone


def no_rows(db):
    return {t: count(db, t) for t in ("sync_items", "phones", "notes")} == {"sync_items": 0, "phones": 0, "notes": 0}


def push_body(item, **changes):
    body = {"device_id": "phone-1", "waiting": {"count": 1, "oldest": None}, "items": [item]}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


PUSH_CASES = {
    "not json": lambda item: dict(data="{not json", content_type="application/json"),
    "text/plain": lambda item: dict(data=json.dumps(push_body(item)), content_type="text/plain"),
    "form encoded": lambda item: dict(data={"items": "x"}),
    "no body": lambda item: dict(content_type="application/json"),
    "json array": lambda item: dict(json=[push_body(item)]),
    "json string": lambda item: dict(json="items"),
    "json null": lambda item: dict(data="null", content_type="application/json"),
    "deep nesting": lambda item: dict(data="[" * 100_000 + "]" * 100_000, content_type="application/json"),
    "bad utf-8": lambda item: dict(data=b'{"items": "\xff\xfe"}', content_type="application/json"),
    "no items": lambda item: dict(json=push_body(item, items=...)),
    "items not a list": lambda item: dict(json=push_body(item, items={"0": item})),
    "items null": lambda item: dict(json=push_body(item, items=None)),
    "too many items": lambda item: dict(json=push_body(item, items=[{**item, "id": str(uuid.uuid4())}
                                                                  for _ in range(501)])),
    "item not an object": lambda item: dict(json=push_body(item, items=[item, "x"])),
    "item without id": lambda item: dict(json=push_body(item, items=[{k: v for k, v in item.items() if k != "id"}])),
    "id not a string": lambda item: dict(json=push_body(item, items=[{**item, "id": 12}])),
    "id not uuid": lambda item: dict(json=push_body(item, items=[{**item, "id": "item-1"}])),
    "id uuid1": lambda item: dict(json=push_body(item, items=[{**item, "id": str(uuid.uuid1())}])),
    "id upper case": lambda item: dict(json=push_body(item, items=[{**item, "id": item["id"].upper()}])),
    "id with braces": lambda item: dict(json=push_body(item, items=[{**item, "id": "{" + item["id"] + "}"}])),
    "no device_id": lambda item: dict(json=push_body(item, device_id=...)),
    "device_id number": lambda item: dict(json=push_body(item, device_id=5)),
    "device_id too long": lambda item: dict(json=push_body(item, device_id="p" * 101)),
    "device_id with spaces": lambda item: dict(json=push_body(item, device_id="my phone")),
    "no waiting": lambda item: dict(json=push_body(item, waiting=...)),
    "waiting a number": lambda item: dict(json=push_body(item, waiting=3)),
    "waiting count negative": lambda item: dict(json=push_body(item, waiting={"count": -1, "oldest": None})),
    "waiting count true": lambda item: dict(json=push_body(item, waiting={"count": True, "oldest": None})),
    "waiting count text": lambda item: dict(json=push_body(item, waiting={"count": "3", "oldest": None})),
    "waiting oldest junk": lambda item: dict(json=push_body(item, waiting={"count": 1, "oldest": "last week"})),
    "waiting oldest negative": lambda item: dict(json=push_body(item, waiting={"count": 1, "oldest": -5})),
    "waiting oldest a list": lambda item: dict(json=push_body(item, waiting={"count": 1, "oldest": []})),
}


@pytest.mark.parametrize("case", PUSH_CASES)
def test_bad_push_is_refused_whole(client, auth, notes, db, case):
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("note", {"body": "must not be stored by a bad request"})
    response = client.post("/api/sync/push", headers={"X-CSRFToken": phone.session["csrf_token"]},
                           **PUSH_CASES[case](item))
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)
    assert response.is_json and response.get_json()["error"] and response.get_json()["status"] == response.status_code
    assert no_rows(db)
    assert phone.statuses([item]) == {item["id"]: "stored"}  # the same item, well sent, still goes in


def test_oversized_push_is_413_json(client, auth, notes, db, app):
    phone = signed_in_phone(client, auth, "staff")
    app.config["SYNC_MAX_PUSH_BYTES"] = 50_000
    item = phone.item("note", {"body": "x", "padding": "y" * 60_000})
    response = phone.push([item])
    assert response.status_code == 413 and response.get_json()["status"] == 413
    assert no_rows(db)


def test_a_push_may_be_bigger_than_an_ordinary_request(client, auth, notes, db, app):
    phone = signed_in_phone(client, auth, "staff")
    app.config["MAX_CONTENT_LENGTH"] = 50_000  # a concern with pictures is far bigger than a web form
    item = phone.item("note", {"body": "x", "padding": "y" * 60_000})
    assert phone.statuses([item]) == {item["id"]: "stored"}
    too_big = phone.post("/api/devices/keys", {"device_id": "p", "public_key": {"pad": "z" * 60_000}})
    assert too_big.status_code == 413  # other API routes keep the ordinary limit


def test_a_push_of_exactly_the_cap_is_fine(client, auth, notes, db, app):
    app.config["SYNC_MAX_ITEMS_PER_PUSH"] = 3
    phone = signed_in_phone(client, auth, "staff")
    items = [phone.item("note", {"body": str(i)}) for i in range(4)]
    assert phone.push(items).status_code == 400
    assert set(phone.statuses(items[:3]).values()) == {"stored"}


def good_key():
    return ECKey.generate_key("P-256", private=True)


KEY_CASES = {
    "not json": dict(data="{", content_type="application/json"),
    "text/plain": dict(data="{}", content_type="text/plain"),
    "json array": dict(json=[]),
    "no device_id": dict(json={"public_key": good_key().as_dict(private=False)}),
    "bad device_id": dict(json={"device_id": "", "public_key": good_key().as_dict(private=False)}),
    "no public_key": dict(json={"device_id": "phone-1"}),
    "public_key a string": dict(json={"device_id": "phone-1", "public_key": "abc"}),
    "private key sent": dict(json={"device_id": "phone-1", "public_key": good_key().as_dict(private=True)}),
    "RSA": dict(json={"device_id": "phone-1", "public_key": {"kty": "RSA", "n": "AQAB", "e": "AQAB"}}),
    "P-384": dict(json={"device_id": "phone-1", "public_key": {
        **ECKey.generate_key("P-384", private=False).as_dict()}}),
    "x a number": dict(json={"device_id": "phone-1", "public_key": {**good_key().as_dict(private=False), "x": 1}}),
    "not on the curve": dict(json={"device_id": "phone-1", "public_key": {
        **good_key().as_dict(private=False), "y": good_key().as_dict(private=False)["y"]}}),
    "bad base64": dict(json={"device_id": "phone-1", "public_key": {**good_key().as_dict(private=False), "x": "!!"}}),
    "empty x": dict(json={"device_id": "phone-1", "public_key": {**good_key().as_dict(private=False), "x": ""}}),
}


@pytest.mark.parametrize("case", KEY_CASES)
def test_bad_key_registration_is_refused(client, auth, db, case):
    auth.login("staff")
    token = client.get("/api/session").get_json()["csrf_token"]
    response = client.post("/api/devices/keys", headers={"X-CSRFToken": token}, **KEY_CASES[case])
    assert 400 <= response.status_code < 500 and response.is_json, response.get_data(as_text=True)
    assert response.get_json()["error"]
    assert count(db, "device_keys") == 0


PULL_CASES = {
    "since junk": {"since": "yesterday"},
    "since too long": {"since": "2026-01-01T00:00:00" + "0" * 100 + "Z"},
    "since a number": {"since": "12345"},
    "bad device_id": {"device_id": "a b", "waiting": "0"},
    "waiting missing": {"device_id": "phone-1"},
    "waiting negative": {"device_id": "phone-1", "waiting": "-1"},
    "waiting words": {"device_id": "phone-1", "waiting": "three"},
    "waiting exponent": {"device_id": "phone-1", "waiting": "1e3"},
    "waiting unicode digits": {"device_id": "phone-1", "waiting": "\u0663"},
    "oldest junk": {"device_id": "phone-1", "waiting": "2", "oldest": "last tuesday"},
}


@pytest.mark.parametrize("case", PULL_CASES)
def test_bad_pull_is_refused(client, auth, db, case):
    auth.login("staff")
    response = client.get("/api/sync/pull", query_string=PULL_CASES[case])
    assert response.status_code == 400 and response.is_json, response.get_data(as_text=True)
    assert response.get_json()["error"]
    assert count(db, "phones") == 0


@pytest.mark.parametrize("method, path", [("POST", "/api/session"), ("GET", "/api/devices/keys"),
                                          ("GET", "/api/sync/push"), ("POST", "/api/sync/pull"),
                                          ("DELETE", "/api/sync/push")])
def test_wrong_method_is_json(client, auth, method, path):
    auth.login("staff")
    token = client.get("/api/session").get_json()["csrf_token"]
    response = client.open(path, method=method, headers={"X-CSRFToken": token})
    assert response.status_code == 405 and response.is_json


@pytest.mark.parametrize("method, path", [("GET", "/api/session"), ("POST", "/api/devices/keys"),
                                          ("POST", "/api/sync/push"), ("GET", "/api/sync/pull")])
def test_every_route_answers_401_json_without_a_session(client, db, method, path):
    response = client.open(path, method=method, json={})
    assert response.status_code == 401 and response.get_json() == {"error": "Please sign in.", "status": 401}

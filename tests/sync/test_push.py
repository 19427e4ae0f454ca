"""Push: every status, idempotency, and who an item is credited to."""
import json
from dataclasses import replace

import pytest
from joserfc.jwk import ECKey

from webapp.sync.handoff import Written

from .conftest import count, signed_in_phone, switch
from .phone import Phone, seal_and_sign


def test_new_item_is_stored_with_author_uploader_device_and_time(client, auth, notes, db, app):
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("note", {"body": "Phone seen in the changing room"})
    response = phone.push([item])
    assert response.status_code == 200
    assert response.get_json() == {"results": [{"id": item["id"], "status": "stored"}]}
    note = next(db.query("SELECT * FROM notes"))
    assert (note["item_id"], note["author_id"], note["body"]) == (item["id"], app.people["staff"],
                                                                  "Phone seen in the changing room")
    row = next(db.query("SELECT * FROM sync_items"))
    assert row["status"] == "stored" and row["ref"] == f"notes:{note['id']}"
    assert (row["author_id"], row["uploader_id"], row["device_id"]) == (app.people["staff"],) * 2 + ("phone-1",)
    assert row["received_at"] and row["kind"] == "note" and row["signed"] == item["signed"]
    assert notes.emails == ["Phone seen in the changing room"]  # after_commit ran


def test_replay_is_a_duplicate_and_changes_nothing(client, auth, notes, db):
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("note", {"body": "once"})
    assert phone.statuses([item]) == {item["id"]: "stored"}
    before = list(db.query("SELECT * FROM sync_items"))
    assert phone.statuses([item]) == {item["id"]: "duplicate"}
    assert phone.statuses([item, item]) == {item["id"]: "duplicate"}
    assert list(db.query("SELECT * FROM sync_items")) == before
    assert count(db, "notes") == 1 and notes.emails == ["once"]


def test_same_id_in_one_push_twice_is_stored_once(client, auth, notes, db):
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("note", {"body": "twice in one batch"})
    results = phone.push([item, item]).get_json()["results"]
    assert [r["status"] for r in results] == ["stored", "duplicate"]
    assert count(db, "notes") == 1


def test_same_id_different_content_is_a_conflict_kept_whole(client, auth, notes, db, app):
    phone = signed_in_phone(client, auth, "staff")
    first = phone.item("note", {"body": "first"})
    second = phone.item("note", {"body": "second"}, item_id=first["id"])
    assert phone.statuses([first]) == {first["id"]: "stored"}
    result = phone.push([second]).get_json()["results"][0]
    assert result["status"] == "conflict" and result["errors"]["id"]
    rows = {r["status"]: r for r in db.query("SELECT * FROM sync_items")}
    assert set(rows) == {"stored", "conflict"}
    assert json.loads(rows["conflict"]["envelope"]) == second  # kept exactly as received
    assert rows["conflict"]["author_id"] == app.people["staff"]  # its signature was still checked
    assert [n["body"] for n in db.query("SELECT body FROM notes")] == ["first"]
    assert phone.statuses([second]) == {second["id"]: "duplicate"}  # replaying the newcomer changes nothing
    assert count(db, "sync_items") == 2


def test_shared_phone_credits_the_signer_not_the_uploader(client, auth, notes, db, app):
    phone = signed_in_phone(client, auth, "staff")
    waiting = phone.item("note", {"body": "written by Sally"})
    switch(auth, phone, "staff2")
    own = phone.item("note", {"body": "written by Sam"})
    assert phone.statuses([waiting, own]) == {waiting["id"]: "stored", own["id"]: "stored"}
    rows = {r["item_id"]: r for r in db.query("SELECT * FROM sync_items")}
    assert rows[waiting["id"]]["author_id"] == app.people["staff"]
    assert rows[own["id"]]["author_id"] == app.people["staff2"]
    assert {r["uploader_id"] for r in rows.values()} == {app.people["staff2"]}
    authors = {n["body"]: n["author_id"] for n in db.query("SELECT * FROM notes")}
    assert authors == {"written by Sally": app.people["staff"], "written by Sam": app.people["staff2"]}


def test_one_bad_item_never_rejects_the_others(client, auth, notes, db):
    phone = signed_in_phone(client, auth, "staff")
    good1, good2 = phone.item("note", {"body": "one"}), phone.item("note", {"body": "two"})
    bad = {**phone.item("note", {"body": "tampered"}), "sealed": good1["sealed"]}
    results = phone.push([good1, bad, good2]).get_json()["results"]
    assert [r["status"] for r in results] == ["stored", "quarantined", "stored"]
    assert [r["id"] for r in results] == [good1["id"], bad["id"], good2["id"]]
    assert sorted(n["body"] for n in db.query("SELECT body FROM notes")) == ["one", "two"]


def _quarantined(phone, db, item):
    result = phone.push([item]).get_json()["results"][0]
    assert result["status"] == "quarantined", result
    row = next(db.query("SELECT * FROM sync_items WHERE item_id = ?", [item["id"]]))
    assert row["status"] == "quarantined" and json.loads(row["envelope"]) == item
    return result, row


def test_unknown_kind_is_quarantined(client, auth, notes, db):
    phone = signed_in_phone(client, auth, "staff")
    result, row = _quarantined(phone, db, phone.item("recipe", {"body": "x"}))
    assert row["reason"] == "unknown kind of item" and "kind" in result["errors"]


def test_validation_errors_are_returned_to_their_author_kept_whole(client, auth, notes, db, app):
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("note", {"body": ""})
    [result] = phone.push([item]).get_json()["results"]
    assert result == {"id": item["id"], "status": "returned", "errors": {"body": ["Write the note."]}}
    row = next(db.query("SELECT * FROM returned_items"))
    assert (row["item_id"], row["kind"], row["author_id"], row["status"]) == (
        item["id"], "note", app.people["staff"], "open")
    assert json.loads(row["payload"]) == {"body": ""}  # kept whole, as the author wrote it
    assert json.loads(row["errors"]) == {"body": ["Write the note."]}
    assert count(db, "notes") == 0 and count(db, "sync_items") == 0  # not a DSL's business
    assert phone.statuses([item]) == {item["id"]: "duplicate"}  # a resend changes nothing
    changed = phone.item("note", {"body": "other"}, item_id=item["id"])
    assert phone.statuses([changed]) == {item["id"]: "conflict"}  # the id is taken, as a stored one's is


def test_author_not_allowed_is_quarantined(client, auth, notes, db, app):
    phone = signed_in_phone(client, auth, "staff")
    result, row = _quarantined(phone, db, phone.item("note", {"body": "x", "for_dsl_only": True}))
    assert "author" in result["errors"] and row["author_id"] == app.people["staff"]
    auth.logout()
    dsl_phone = signed_in_phone(client, auth, "dsl")
    assert dsl_phone.statuses([dsl_phone.item("note", {"body": "y", "for_dsl_only": True})]) != {}
    assert count(db, "notes") == 1


def test_bad_signature_is_quarantined(client, auth, notes, db):
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("note", {"body": "x"})
    header, payload, signature = item["signed"].split(".")
    forged = f"{header}.{payload}.{signature[:-4]}{'AAAA' if signature[-4:] != 'AAAA' else 'BBBB'}"
    _, row = _quarantined(phone, db, {**item, "signed": forged})
    assert row["reason"] == "the signature does not match the signing key" and row["author_id"] is None


def test_claims_that_do_not_match_the_item_are_quarantined(client, auth, notes, db):
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("note", {"body": "x"})
    other = phone.item("note", {"body": "y"})
    _, row = _quarantined(phone, db, {**item, "kind": "other"})
    assert row["reason"] == "what was signed does not match the item"
    _, row = _quarantined(phone, db, {**other, "created_at": "2020-01-01T00:00:00Z"})
    assert row["reason"] == "what was signed does not match the item"


def test_unknown_key_is_quarantined(client, auth, notes, db):
    phone = signed_in_phone(client, auth, "staff")
    stranger = ECKey.generate_key("P-256", private=True)
    item = seal_and_sign("note", {"body": "x"}, phone.session["sealing_key"], stranger, stranger.thumbprint())
    _, row = _quarantined(phone, db, item)
    assert row["reason"] == "signed with a key this server does not know"


def test_revoked_key_is_quarantined_but_credits_the_verified_signer(client, auth, notes, db, app):
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("note", {"body": "written before the phone was lost"})
    db.execute("UPDATE device_keys SET revoked_at = '2026-01-01T00:00:00Z', revoked_why = 'phone lost'")
    _, row = _quarantined(phone, db, item)
    assert row["reason"] == "signed with a revoked key (phone lost)"
    assert row["author_id"] == app.people["staff"]
    assert count(db, "notes") == 0


def test_deactivated_author_is_quarantined_and_their_keys_die(client, auth, notes, db, app):
    from webapp.auth.store import set_active
    phone = signed_in_phone(client, auth, "staff")
    waiting = phone.item("note", {"body": "left on the phone"})
    switch(auth, phone, "staff2")
    set_active(db, app.people["staff"], False)
    _, row = _quarantined(phone, db, waiting)
    assert row["reason"].startswith("signed with a revoked key (account deactivated)")
    set_active(db, app.people["staff"], True)  # coming back does not revive the old key
    again = phone.item("note", {"body": "signed later"}, author_id=app.people["staff"])
    _, row = _quarantined(phone, db, again)
    assert row["reason"] == "signed with a revoked key (account deactivated)"


def test_inactive_author_is_refused_even_without_the_trigger(client, auth, notes, db, app):
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("note", {"body": "x"})
    db.execute("DROP TRIGGER device_keys_die_with_account")  # so only the account itself says no
    switch(auth, phone, "dsl")
    db.execute("UPDATE users SET active = 0 WHERE id = ?", [app.people["staff"]])
    _, row = _quarantined(phone, db, item)
    assert row["reason"] == "the author's account is deactivated"


def test_payload_sealed_for_another_key_is_quarantined(client, auth, notes, db):
    phone = signed_in_phone(client, auth, "staff")
    alien = ECKey.generate_key("P-256", parameters={"kid": phone.session["sealing_key"]["kid"]}, private=True)
    jwk = {**alien.as_dict(private=False), "kid": phone.session["sealing_key"]["kid"]}
    key, kid = phone.keys[phone.session["user"]["id"]]
    _, row = _quarantined(phone, db, seal_and_sign("note", {"body": "x"}, jwk, key, kid))
    assert row["reason"] == "the sealed payload could not be opened"
    jwk["kid"] = "no-such-key"
    _, row = _quarantined(phone, db, seal_and_sign("note", {"body": "x"}, jwk, key, kid))
    assert row["reason"] == "sealed for a key this server does not hold"


def test_payload_that_is_not_a_json_object_is_quarantined(client, auth, notes, db):
    phone = signed_in_phone(client, auth, "staff")
    for payload in ([1, 2], b"not json", "just text"):
        _, row = _quarantined(phone, db, phone.item("note", payload))
        assert row["reason"] in ("the sealed payload is not a JSON object", "the sealed payload could not be opened")


def test_fields_of_the_wrong_type_are_quarantined_whole(client, auth, notes, db):
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("note", {"body": "x"})
    for broken in ({**item, "kind": 7}, {**item, "sealed": None}, {k: v for k, v in item.items() if k != "signed"},
                   {**item, "created_at": "yesterday"}):
        broken["id"] = phone.item("note", {"body": "x"})["id"]
        result, row = _quarantined(phone, db, broken)
        assert result["errors"]


def test_both_ecdh_es_modes_open(client, auth, notes, db):
    phone = signed_in_phone(client, auth, "staff")
    items = [phone.item("note", {"body": alg}, alg=alg) for alg in ("ECDH-ES", "ECDH-ES+A256KW")]
    assert set(phone.statuses(items).values()) == {"stored"}


def test_large_sealed_item_opens_beyond_joserfcs_default_limit(client, auth, notes, db):
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("note", {"body": "big", "padding": "x" * 200_000})
    assert phone.statuses([item]) == {item["id"]: "stored"}


def test_a_handler_that_fails_is_the_servers_fault_and_acknowledges_nothing(client, auth, notes, db, app):
    def broken(db, form, author, item):
        db.execute("INSERT INTO notes (item_id, author_id, body, source, changed_at) VALUES (?, ?, 'half', 'x', 'x')",
                   [item.id, author["id"]])
        raise RuntimeError("bug")
    app.extensions["sync_kinds"]["broken"] = replace(notes.kind, write=broken)
    phone = signed_in_phone(client, auth, "staff")
    good, bad = phone.item("note", {"body": "fine"}), phone.item("broken", {"body": "half"})
    response = phone.push([good, bad])
    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0
    body = response.get_json()
    assert body["status"] == 503 and "Nothing was accepted" in body["error"] and "results" not in body
    assert count(db, "notes") == 0 and count(db, "sync_items") == 0 and count(db, "phones") == 0
    del app.extensions["sync_kinds"]["broken"]  # the fault is mended: the same items go through
    assert phone.statuses([good, bad]) == {good["id"]: "stored", bad["id"]: "quarantined"}


def test_a_handler_returning_errors_after_writing_leaves_nothing(client, auth, notes, db, app):
    def sloppy(db, form, author, item):
        db.execute("INSERT INTO notes (item_id, author_id, body, source, changed_at) VALUES (?, ?, 'half', 'x', 'x')",
                   [item.id, author["id"]])
        return Written(errors={"body": ["No."]})
    app.extensions["sync_kinds"]["sloppy"] = replace(notes.kind, write=sloppy)
    phone = signed_in_phone(client, auth, "staff")
    assert set(phone.statuses([phone.item("sloppy", {"body": "x"})]).values()) == {"quarantined"}
    assert count(db, "notes") == 0


def test_keys_record_when_they_were_last_used(client, auth, notes, db):
    phone = signed_in_phone(client, auth, "staff")
    assert next(db.query("SELECT last_used_at FROM device_keys"))["last_used_at"] is None
    phone.statuses([phone.item("note", {"body": "x"})])
    assert next(db.query("SELECT last_used_at FROM device_keys"))["last_used_at"]


def test_push_needs_a_session_and_keeps_nothing(client, auth, notes, db):
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("note", {"body": "x"})
    auth.logout()
    response = Phone(client).client.post("/api/sync/push", json={"device_id": "p", "waiting": {"count": 1},
                                                                 "items": [item]},
                                         headers={"X-CSRFToken": phone.session["csrf_token"]})
    assert response.status_code == 401 and response.get_json()["status"] == 401
    assert count(db, "sync_items") == 0


def test_push_without_a_csrf_token_is_refused_and_keeps_nothing(client, auth, notes, db):
    phone = signed_in_phone(client, auth, "staff")
    body = {"device_id": "p", "waiting": {"count": 1}, "items": [phone.item("note", {"body": "x"})]}
    for headers in ({}, {"X-CSRFToken": "forged"}):
        response = client.post("/api/sync/push", json=body, headers=headers)
        assert response.status_code == 400 and response.is_json and "expired" in response.get_json()["error"]
    assert count(db, "sync_items") == 0


def test_a_signature_with_another_algorithm_is_quarantined(client, auth, notes, db):
    import base64
    import hashlib

    def b64(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("note", {"body": "x"})
    kid = phone.keys[phone.session["user"]["id"]][1]
    claims = {"id": item["id"], "kind": "note", "created_at": item["created_at"],
              "sealed_sha256": hashlib.sha256(item["sealed"].encode()).hexdigest()}
    for n, header in enumerate(({"alg": "none", "kid": kid}, {"alg": "HS256", "kid": kid})):
        item_id = f"00000000-0000-4000-8000-00000000000{n}"
        forged = {**item, "id": item_id, "signed": f"{b64(header)}.{b64({**claims, 'id': item_id})}.c2ln"}
        _, row = _quarantined(phone, db, forged)
        assert row["reason"] == "the signature does not match the signing key"


@pytest.mark.parametrize("text", ["2026-11-25T13:00:00Z", "2026-11-25T13:00:00.123Z", "2026-11-25T13:00:00.5Z",
                                  "2026-11-25T14:00:00+01:00", "2026-03-29T00:30:00.000-00:30"])
def test_created_at_is_stored_as_utc_text(text):
    from webapp.clock import iso, parse_iso
    from webapp.sync.envelope import _utc_text
    assert _utc_text(text) == iso(parse_iso(text))


@pytest.mark.parametrize("text", ["2026-13-25T13:00:00Z", "2026-11-25T13:00:00.abcZ", "2026-02-30T10:00:00Z", "soon"])
def test_a_made_up_created_at_is_not_a_time(text):
    from webapp.sync.envelope import _utc_text
    with pytest.raises(ValueError):
        _utc_text(text)

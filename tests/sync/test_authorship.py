"""Sealed payloads are bound to their item and author: re-signing someone's sealed item fails,
and a forged copy that arrives first never takes the genuine item's id."""
import json

import pytest

from tests.conftest import Auth

from .conftest import count, signed_in_phone
from .phone import seal, signed_item


@pytest.fixture
def sam(app):
    """A second member of staff on their own phone and session: the would-be forger."""
    client = app.test_client()
    return signed_in_phone(client, Auth(client), "staff2", device_id="phone-2")


def resigned(item, forger):
    """Take someone's sealed item and sign it as the forger's own, as anyone could with a copy."""
    key, kid = forger.keys[forger.session["user"]["id"]]
    return signed_item(item["id"], item["kind"], item["created_at"], item["sealed"], key, kid)


def notes_by(db):
    return [(n["body"], n["author_id"]) for n in db.query("SELECT body, author_id FROM notes ORDER BY id")]


def test_a_resigned_sealed_item_is_quarantined(client, auth, notes, db, app, sam):
    sally = signed_in_phone(client, auth, "staff")
    genuine = sally.item("note", {"body": "written by Sally"})
    forged = resigned(genuine, sam)
    result = sam.push([forged]).get_json()["results"][0]
    assert result["status"] == "quarantined"
    assert "another author" in result["errors"]["item"][0]
    row = next(db.query("SELECT * FROM sync_items"))
    assert row["author_id"] == app.people["staff2"]  # kept as what Sam signed, never as Sally's
    assert notes_by(db) == []


def test_a_forged_copy_sent_first_does_not_block_the_real_one(client, auth, notes, db, app, sam):
    sally = signed_in_phone(client, auth, "staff")
    genuine = sally.item("note", {"body": "written by Sally"})
    assert sam.statuses([resigned(genuine, sam)]) == {genuine["id"]: "quarantined"}
    assert sally.statuses([genuine]) == {genuine["id"]: "stored"}
    assert notes_by(db) == [("written by Sally", app.people["staff"])]
    assert sally.statuses([genuine]) == {genuine["id"]: "duplicate"}  # and it now holds its id


def test_a_forged_copy_ahead_in_the_same_push_does_not_block_the_real_one(client, auth, notes, db, app, sam):
    sally = signed_in_phone(client, auth, "staff")
    genuine = sally.item("note", {"body": "written by Sally"})
    results = sally.push([resigned(genuine, sam), genuine]).get_json()["results"]
    assert [r["status"] for r in results] == ["quarantined", "stored"]
    assert notes_by(db) == [("written by Sally", app.people["staff"])]


def test_the_same_forged_copy_sent_again_keeps_one_row(client, auth, notes, db, sam):
    sally = signed_in_phone(client, auth, "staff")
    forged = resigned(sally.item("note", {"body": "x"}), sam)
    for _ in range(3):
        assert sam.statuses([forged]) == {forged["id"]: "quarantined"}
    assert count(db, "sync_items") == 1


def test_a_payload_sealed_for_another_item_is_quarantined(client, auth, notes, db):
    phone = signed_in_phone(client, auth, "staff")
    key, kid = phone.keys[phone.session["user"]["id"]]
    other = phone.item("note", {"body": "sealed for another item"})
    sealed = seal({"body": "sealed for another item"}, phone.session["sealing_key"],
                  binding={"item": "another-item-id", "signer": kid})
    item = signed_item(other["id"], "note", other["created_at"], sealed, key, kid)
    assert phone.statuses([item]) == {item["id"]: "quarantined"}
    assert notes_by(db) == []


def test_an_item_refused_for_an_unknown_key_can_still_arrive_once_the_key_is_known(client, auth, notes, db):
    phone = signed_in_phone(client, auth, "staff")
    user_id = phone.session["user"]["id"]
    from joserfc.jwk import ECKey
    new_key = ECKey.generate_key("P-256", private=True)
    kid = new_key.thumbprint()
    phone.keys[user_id] = (new_key, kid)
    item = phone.item("note", {"body": "signed before the key was registered"})
    assert phone.statuses([item]) == {item["id"]: "quarantined"}
    phone.register(new_key)
    assert phone.statuses([item]) == {item["id"]: "stored"}


def test_items_sealed_before_binding_are_accepted_and_marked_during_the_transition(
        client, auth, notes, db, app):
    app.config["SYNC_UNBOUND_ACCEPTED_UNTIL"] = "2999-12-31"
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("note", {"body": "sealed by the old app"}, bound=False)
    assert phone.statuses([item]) == {item["id"]: "stored"}
    row = next(db.query("SELECT status, reason FROM sync_items"))
    assert dict(row) == {"status": "stored", "reason": "sealed before authorship binding"}
    bound = phone.item("note", {"body": "sealed by the new app"})
    assert phone.statuses([bound]) == {bound["id"]: "stored"}
    assert next(db.query("SELECT reason FROM sync_items WHERE item_id = ?", [bound["id"]]))["reason"] is None


@pytest.mark.parametrize("until", ["2000-01-01", ""])
def test_items_sealed_before_binding_are_quarantined_after_the_transition(client, auth, notes, db, app, until):
    app.config["SYNC_UNBOUND_ACCEPTED_UNTIL"] = until
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("note", {"body": "sealed by the old app"}, bound=False)
    result = phone.push([item]).get_json()["results"][0]
    assert result["status"] == "quarantined" and "does not name its item" in result["errors"]["item"][0]
    assert json.loads(next(db.query("SELECT envelope FROM sync_items"))["envelope"]) == item

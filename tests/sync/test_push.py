"""Push: every status, idempotency, and who an item is credited to."""
import json

from joserfc.jwk import ECKey

from .conftest import count, signed_in_phone
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

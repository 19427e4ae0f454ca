"""A big push is not held several times over in memory: the body is read once, each item's sealed
payload is let go once the item is dealt with, and joserfc's copies go as soon as it has decrypted.

Counted with tracemalloc (Python's own allocations, the same every run), not timed; bench/push_memory.py
measures the process's resident memory."""
import base64
import json
import os
import tracemalloc

from .conftest import signed_in_phone
from .phone import concern

PICTURE = 1024 * 1024


def concern_with_pictures(phone, n, pictures):
    attachments = [{"filename": f"p{n}-{p}.png", "content_type": "image/png",
                    "data": base64.b64encode(b"\x89PNG\r\n\x1a\n" + os.urandom(PICTURE)).decode()}
                   for p in range(pictures)]
    return phone.item("concern", {**concern(f"Concern {n} with pictures"), "attachments": attachments})


def peak_of_push(client, phone, items):
    """Send one push; return (its body's size, the peak of Python memory allocated while it ran)."""
    body = json.dumps({"device_id": phone.device_id, "waiting": {"count": len(items), "oldest": None},
                       "items": items}).encode()
    headers = {"X-CSRFToken": phone.session["csrf_token"]}
    tracemalloc.start()
    try:
        response = client.post("/api/sync/push", data=body, content_type="application/json", headers=headers)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert {r["status"] for r in response.get_json()["results"]} == {"stored"}
    return len(body), peak


def test_a_push_of_big_items_is_not_held_whole_several_times(client, auth, db):
    phone = signed_in_phone(client, auth, "staff")
    warm_up = [concern_with_pictures(phone, 0, 1)]
    peak_of_push(client, phone, warm_up)
    size, peak = peak_of_push(client, phone, [concern_with_pictures(phone, n, 3) for n in range(1, 5)])
    # Once the body was cached beside its text and the parsed JSON, and every item's joserfc copies
    # lived until the garbage collector ran: 6x the body. Now about 2x (parsing) or 1x plus one item's.
    assert peak < 2.5 * size, (size, peak)
    assert db.execute("SELECT count(*) FROM concern_attachments").fetchone()[0] == 13


def test_an_item_kept_aside_keeps_its_sealed_payload_whole(client, auth, db):
    phone = signed_in_phone(client, auth, "staff")
    item = phone.item("no_such_kind", {"body": "kept aside"})
    assert phone.statuses([dict(item)]) == {item["id"]: "quarantined"}
    kept = json.loads(db.execute("SELECT envelope FROM sync_items").fetchone()[0])
    assert kept == item

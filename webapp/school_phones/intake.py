"""Take in concerns an enrolled school phone delivers with nobody signed in (DESIGN.md section 5).

Each item is shaped, sealed and bound exactly as any other (sync/envelope.py), but signed by the
phone's own key (school_phone_keys) instead of a person's. Only `concern` items come this way. The
sealed payload names who logged it (`logged_by`: {"user_id", "name"}); the concern goes through
the concerns domain's own steps (sync.ingest.hand_over) credited to that person, unconfirmed.
Statuses are those of the ordinary push: stored, duplicate, conflict, quarantined. Nothing a phone
sent is dropped: what cannot be stored is kept whole in school_phone_items for a DSL.
"""
import json
from dataclasses import dataclass, field

from joserfc import jws
from joserfc.errors import BadSignatureError, JoseError

from ..sync import quota, store as sync_store
from ..sync.envelope import Envelope, Refused, _check_claims, _public_key, open_payload
from ..sync import ingest
from ..sync.ingest import hand_over, plain_errors
from ..sync.numbers import numbered
from . import credit, notify, store

ONLY_CONCERNS = ("only a concern can be sent from a school phone with nobody signed in; sign in to send "
                 "anything else")
NOT_ENROLLED = "signed with a key that no enrolled school phone holds"


@dataclass
class Delivery:
    """One push from a school phone: where from, when, the keys it names, and work for after the commit.

    It does the steps of sync.ingest.take_in that differ from a person's push (sync.ingest.Intake).
    """

    device_id: str
    received_at: str
    kinds: dict
    keys: dict  # kid -> school_phone_keys row (with its device), for the kids this push names
    earlier: dict = field(default_factory=dict)
    after_commit: list = field(default_factory=list)
    used: set = field(default_factory=set)
    allowances: dict = field(default_factory=dict)  # school device id -> what it may still keep aside today

    def allowance(self, key):
        """Return the day's allowance of the school phone charged for an item (signed with `key`).

        An item naming no enrolled key is charged to the first enrolled phone the push's items name.
        """
        device_id = (key or self.keys[min(self.keys)])["school_device_id"]
        if device_id not in self.allowances:
            self.allowances[device_id] = quota.allowance(
                f"school_device:{device_id}", self.received_at,
                lambda db, start, end: store.kept_aside_by_device(db, device_id, start, end))
        return self.allowances[device_id]

    # Its steps of sync.ingest.take_in -------------------------------------------------------

    def key(self, envelope):
        return self.keys.get(envelope.named_kid())

    def accept(self, db, envelope):
        return {"ref": accept(db, self, envelope, self.key(envelope))}, None  # credited in school_phone_concerns

    def stored(self, db, envelope, outcome, _author):
        key = self.key(envelope)
        store.add_item(db, {**_row(self, envelope, key), "status": "stored", "ref": outcome["ref"]})
        self.used.add(key["kid"])
        return numbered("concern", outcome["ref"])

    def duplicate(self, db, envelope):
        ref = sync_store.row_for_item(db, "concerns", envelope.id)
        return numbered("concern", ref and f"concerns:{ref}")

    def keep_aside(self, db, envelope, status, refused):
        return keep_aside(db, self, envelope, self.key(envelope), status, refused)

    def give_back(self, db, envelope, returned):
        """Nobody is signed in to correct it: the item is kept aside for a DSL instead."""
        return self.keep_aside(db, envelope, "quarantined", returned)

    def signer_if_any(self, db, envelope):
        return None  # a school phone's key is nobody's own


def keys_named(db, envelopes):
    """Return {kid: key row} for the school phone keys the items' signatures name."""
    found = {}
    for envelope in envelopes:
        kid = envelope.named_kid()
        if kid and kid not in found:
            found[kid] = store.phone_key(db, kid)
    return {kid: row for kid, row in found.items() if row is not None}


def take_in(db, delivery, envelopes):
    """Store, skip or keep aside each item inside the caller's transaction; return one result each."""
    delivery.earlier = store.contents_received(db, [e.id for e in envelopes])
    results = [ingest.take_in(db, delivery, envelope) for envelope in envelopes]
    store.mark_used(db, sorted(delivery.used), delivery.received_at)
    return results


def _row(delivery, envelope, key=None):
    return {"item_id": envelope.id, "content_sha256": envelope.content_sha256, "kind": envelope.text("kind"),
            "created_at": envelope.created_text(), "key_kid": envelope.named_kid(),
            "school_device_id": key and key["school_device_id"], "device_id": delivery.device_id,
            "received_at": delivery.received_at}


def verify_phone(db, envelope, key):
    """Check the signature against the school phone's key in force; refuse it otherwise."""
    if key is None:
        raise Refused(NOT_ENROLLED)
    try:
        signed = jws.deserialize_compact(envelope.raw["signed"], _public_key(key["public_jwk"]), algorithms=["ES256"])
        claims = json.loads(signed.payload)
    except (BadSignatureError, JoseError, ValueError, TypeError):
        raise Refused("the signature does not match the school phone's key")
    envelope.kid = key["kid"]
    _check_claims(claims, envelope, None)
    if key["revoked_at"]:
        raise Refused(f"signed by school phone {key['asset_tag']}, whose key no longer counts "
                      f"({key['revoked_why'] or 'revoked'}): read it here and act on it if it matters")


def accept(db, delivery, envelope, key):
    """Verify, open and hand the concern to its domain credited to the person named; return its ref."""
    envelope.check_shape()
    verify_phone(db, envelope, key)
    payload = open_payload(envelope)
    if envelope.raw["kind"] != "concern":
        raise Refused(ONLY_CONCERNS, {"kind": [ONLY_CONCERNS]})
    user_id, name = credit.named(payload)
    author, named_user_id = credit.author_for(db, user_id, name)
    existing = sync_store.row_for_item(db, "concerns", envelope.id)
    meta = {"item_id": envelope.id, "device_id": delivery.device_id, "uploader_id": None,
            "created_at": envelope.created}
    outcome = hand_over(db, delivery.kinds["concern"], payload, author, meta)
    if outcome.get("errors"):
        errors = plain_errors(outcome["errors"])
        raise Refused("the concern form's checks failed: " + "; ".join(m for ms in errors.values() for m in ms),
                      errors)
    concern_id = int(outcome["ref"].partition(":")[2])
    if existing is None:
        store.add_concern(db, concern_id, key, name, named_user_id, delivery.received_at)
        if named_user_id is None:
            notify.queue_unknown_person_email(db, concern_id, key["asset_tag"])
    if callable(outcome.get("after_commit")):
        delivery.after_commit.append(outcome["after_commit"])
    return outcome["ref"]


def keep_aside(db, delivery, envelope, key, status, refused):
    """Keep an item whole (as received) with the reason it was not stored.

    Raises quota.OverQuota if the school phone has already kept aside as much as today allows.
    """
    errors = plain_errors(refused.errors)
    row = _row(delivery, envelope, key)
    if status == "quarantined" and not envelope.verified:
        row = {**row, "content_sha256": envelope.unverified_key()}
    kept = json.dumps(envelope.received())
    delivery.allowance(key).take(db, len(kept))
    store.add_item(db, {**row, "status": status, "envelope": kept, "reason": refused.reason, "errors": errors})
    return {"id": envelope.id, "status": status, "errors": errors}

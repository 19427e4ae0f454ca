"""Take in items from phones: store each exactly once, or keep it aside whole for a DSL.

Statuses (DESIGN.md section 4): `stored` (new, written with the domain's rows in one
transaction), `duplicate` (this id with this content was received before: nothing changes),
`conflict` (this id was received before with different content: the newcomer is kept aside) and
`quarantined` (it could not be opened or verified, or is not its author's to send: kept aside with
the reason) and `returned` (opened and verified, but the form's checks refused it: kept whole in
returned_items for its author alone to correct or discard). A fault of the server's own while
taking an item in (disk full, database busy, a bug in a domain's write) raises ServerFault: the caller rolls the whole push back and answers 503.
"""
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import Protocol

from flask import current_app

from ..auth.roles import has_role
from ..clock import iso, parse_iso, utcnow
from . import quota, store
from .envelope import Envelope, Refused, SealingKeys, open_payload, verify_author
from .handoff import Item, Kind
from .numbers import numbered, numbered_again
from .payload import formdata

# A phone's clock before this was reset, not right: its times say nothing about when it was written.
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)

# How much sealed payload is opened ahead of being written (ingest's runs): a few hundred
# ordinary items, or one item with pictures.
OPEN_AHEAD_BYTES = 1024 * 1024

CONFLICT = ("another item with this id arrived earlier with different content; "
            "this one is kept for a DSL to compare")


class Returned(Refused):
    """A verified author's item refused by the form's checks: kept whole for its author to correct."""

    def __init__(self, errors, author_id, payload):
        super().__init__("the form's checks failed", errors, author_id)
        self.payload = payload


class FormErrors(dict):
    """The form's own messages (as opposed to the database's or the role check's): the item is returned."""


class ServerFault(Exception):
    """The server could not finish a push for a reason of its own (disk, database, its code)."""

    def __init__(self, cause):
        super().__init__(str(cause))
        self.cause = cause


@dataclass
class Push:
    """Who sent a batch, from which phone and when, and where its after-commit work goes."""

    uploader_id: int
    device_id: str
    received_at: str
    kinds: dict
    after_commit: list = field(default_factory=list)
    keys_used: set = field(default_factory=set)
    earlier: dict = field(default_factory=dict)  # item id -> content hashes already received
    signers: dict = field(default_factory=dict)  # kid -> (device key row, author): looked up once a push
    stored_rows: list = field(default_factory=list)  # sync_items rows of the items stored by this push
    aside: quota.Allowance | None = None  # what the uploader may still keep aside today (sync/quota.py)
    sealing_keys: SealingKeys | None = None  # the sealing keys the items name: looked up once a push
    item_ids: list = field(default_factory=list)
    written: dict = field(default_factory=dict)  # domain table -> {item id: row id} for this push's ids
    _now: datetime | None = field(default=None, repr=False)

    def written_row(self, db, table, item_id):
        """Return the row this item already wrote in a domain's table, reading each table once a push."""
        if table not in self.written:
            self.written[table] = store.rows_for_items(db, table, self.item_ids)
        return self.written[table].get(item_id)

    @property
    def now(self):
        """When the push was received, as a time (read once)."""
        if self._now is None:
            self._now = parse_iso(self.received_at)
        return self._now

    # Its steps of take_in (the Intake protocol) --------------------------------------------

    def accept(self, db, envelope):
        return accept(db, self.kinds, envelope, _meta(self, envelope), self)

    def stored(self, db, envelope, outcome, author):
        self.stored_rows.append({**self.row(envelope), "status": "stored", "author_id": author["id"],
                                 "ref": outcome.get("ref")})
        self.keys_used.add(envelope.kid)
        if callable(outcome.get("after_commit")):
            self.after_commit.append(outcome["after_commit"])
        return numbered(envelope.text("kind"), outcome.get("ref"))

    def duplicate(self, db, envelope):
        return numbered_again(db, envelope.text("kind"), envelope.id)

    def keep_aside(self, db, envelope, status, refused):
        return keep_aside(db, self, envelope, status, refused)

    def give_back(self, db, envelope, returned):
        return give_back(db, self, envelope, returned)

    def signer_if_any(self, db, envelope):
        return signer_if_any(db, envelope)

    def row(self, envelope):
        return {"item_id": envelope.id, "content_sha256": envelope.content_sha256,
                "kind": envelope.text("kind"), "created_at": envelope.created_text(),
                "signed": envelope.text("signed"), "key_kid": envelope.named_kid(),
                "uploader_id": self.uploader_id, "device_id": self.device_id,
                "received_at": self.received_at, "reason": envelope.note}


def ingest(db, push, items):
    """Take in each item inside the caller's transaction; return one result per item.

    What was received before is read in one query, and the rows of stored items are written
    together at the end: the same transaction commits them with the domains' rows. The items are
    opened a run at a time (see `runs`) before any of that run is handed to its domain.
    """
    envelopes = [Envelope.from_item(item) for item in items]
    push.aside = push.aside or quota.for_account(push.uploader_id, push.received_at)
    push.sealing_keys = push.sealing_keys or SealingKeys()
    push.item_ids = [e.id for e in envelopes]
    push.earlier = store.contents_received(db, push.item_ids)
    results = []
    for run in runs(envelopes):
        for envelope in run:
            open_ahead(db, push, envelope)
        for envelope in run:
            results.append(take_in(db, push, envelope))
            envelope.release()  # its rows are written: only the next items' payloads stay in memory
    store.add_stored_items(db, push.stored_rows)
    store.mark_keys_used(db, sorted(push.keys_used), push.received_at)
    return results


def runs(envelopes, limit=OPEN_AHEAD_BYTES):
    """Split a push's items into runs in order, each up to `limit` bytes of sealed payload (at least one item).

    Verifying and decrypting a run together, then writing it, is about a fifth quicker than
    taking each item from its signature to its rows in turn (bench/sync_ingest.py): each kind of
    work stays warm in the processor's caches. The limit bounds the opened payloads held at once.
    """
    run, size = [], 0
    for envelope in envelopes:
        length = len(envelope.sealed or b"")
        if run and size + length > limit:
            yield run
            run, size = [], 0
        run.append(envelope)
        size += length
    if run:
        yield run


def open_ahead(db, push, envelope):
    """Verify and open an item before its turn, unless it was received before (a duplicate or conflict).

    Only what the phone sent can stop it here (kept as the envelope's Refused); a fault of the
    server's own is left for the item's turn, where it undoes the push.
    """
    if push.earlier.get(envelope.id):
        return
    try:
        opened(db, envelope, push)
    except Exception:
        envelope.opened = None


class Intake(Protocol):
    """How one way of pushing does the steps of `take_in` that differ; `take_in` writes the order once.

    Two ways exist: a signed-in person's push (Push, below) and a school phone's delivery with
    nobody signed in (school_phones/intake.py: Delivery).
    """

    earlier: dict  # item id -> content hashes received before, read once a push and added to as items come

    def accept(self, db, envelope):
        """Verify and open the item and hand it to its domain; return (outcome, author).

        Raises Refused for what the phone sent (Returned when its author may correct it).
        """

    def stored(self, db, envelope, outcome, author):
        """Note an item the domain wrote; return its number fields for the answer (sync/numbers.py)."""

    def duplicate(self, db, envelope):
        """Return the number fields of an item received before with this content."""

    def keep_aside(self, db, envelope, status, refused):
        """Keep an item whole with the reason it was not stored; return its answer."""

    def give_back(self, db, envelope, returned):
        """Keep a verified author's refused item for them to correct; return its answer."""

    def signer_if_any(self, db, envelope):
        """Return the id of the person whose key signed the item, if it is known."""


def take_in(db, intake: Intake, envelope):
    """Store, skip or keep aside one item; never raise for anything the phone sent.

    The one order for every push: a duplicate changes nothing, a second content for an id is a
    conflict kept aside, and a new item's rows are written in a savepoint of their own, or the
    item is returned to its author, or kept aside. A fault of the server's own raises ServerFault.
    """
    earlier = intake.earlier.setdefault(envelope.id, set())
    if envelope.content_sha256 in earlier:
        return {"id": envelope.id, "status": "duplicate", **intake.duplicate(db, envelope)}
    first = not earlier
    earlier.add(envelope.content_sha256)
    if not first:
        return intake.keep_aside(db, envelope, "conflict",
                                 Refused(CONFLICT, {"id": [CONFLICT]}, intake.signer_if_any(db, envelope)))
    try:
        with store.Savepoint(db):  # the domain's rows for this item, or none of them
            outcome, author = intake.accept(db, envelope)
    except Returned as returned:
        if envelope.verified:
            return intake.give_back(db, envelope, returned)
        earlier.discard(envelope.content_sha256)
        return intake.keep_aside(db, envelope, "quarantined", returned)
    except Refused as refused:
        if not envelope.verified:
            earlier.discard(envelope.content_sha256)  # it never takes its id: a forged copy never blocks it
        return intake.keep_aside(db, envelope, "quarantined", refused)
    except Exception as fault:  # the server's own fault: the whole push is undone and answered 503
        current_app.logger.exception("Could not process sync item %s", envelope.id)
        raise ServerFault(fault) from fault
    return {"id": envelope.id, "status": "stored", **intake.stored(db, envelope, outcome, author)}


def accept(db, kinds, envelope, meta, push=None):
    """Verify, open and hand the item to its domain; return (outcome, author) or raise Refused.

    Within a push (`push`), keys and domain rows already written are looked up once for all its items.
    """
    author, payload = opened(db, envelope, push)
    kind = kinds.get(envelope.raw["kind"])
    if kind is None:
        raise Refused("unknown kind of item", {"kind": ["This kind of item is not known."]}, author["id"])
    outcome = hand_over(db, kind, payload, author, {**meta, "created_at": envelope.created},
                        push and push.written_row)
    if not isinstance(outcome, dict) or ("errors" not in outcome and "ref" not in outcome):
        raise Refused("the server could not process this item", author_id=author["id"])
    if outcome.get("errors"):
        if isinstance(outcome["errors"], FormErrors):
            raise Returned(outcome["errors"], author["id"], payload)
        raise Refused("the form's checks failed", outcome["errors"], author["id"])
    return outcome, author


def opened(db, envelope, push=None):
    """Check the item's shape and signature and open its payload, once; return (author, payload).

    Raises Refused for what the phone sent, every time it is asked (the answer is kept on the envelope).
    """
    if envelope.opened is None:
        try:
            envelope.check_shape()
            author, _kid = verify_author(db, envelope, push and push.signers)
            envelope.opened = author, open_payload(envelope, sealing_keys=push and push.sealing_keys)
        except Refused as refused:
            envelope.opened = refused
    if isinstance(envelope.opened, Refused):
        raise envelope.opened
    return envelope.opened


def hand_over(db, kind: Kind, payload, author, meta, written_row=None):
    """Do the steps every kind shares (sync/handoff.py), then the kind's write; return the outcome.

    `meta` holds `item_id`, `created_at` (as the phone said), `device_id`, `uploader_id` and, from a
    push, `now` (when it was received). `written_row(db, table, item_id)` finds a row the item
    already wrote (store.row_for_item unless the push has read them all at once).
    """
    if not isinstance(payload, dict):
        return {"errors": {"payload": [kind.unreadable]}}
    if not has_role(author, *kind.roles):
        return {"errors": {"author": [kind.role_refused]}}
    existing = (written_row or store.row_for_item)(db, kind.table, meta.get("item_id"))
    if existing is not None:
        return {"ref": f"{kind.table}:{existing}", "after_commit": None}
    data, unreadable = formdata(payload, kind.files)
    if unreadable:
        return {"errors": unreadable}
    form = signed_form(kind.form)(formdata=data)
    if kind.prepare is not None:
        kind.prepare(db, form)
    if not form.validate():
        return {"errors": FormErrors(form.errors)}
    item = Item(meta.get("item_id"), written_at(meta.get("created_at"), meta.get("now")),
                meta.get("device_id"), meta.get("uploader_id"))
    written = kind.write(db, form, author, item)
    if written.id is None or written.errors:
        # what the database refused (a closed case, a request already decided) stays with the DSLs
        return {"errors": written.errors or form.errors}
    return {"ref": f"{kind.table}:{written.id}", "after_commit": written.after_commit}


@lru_cache(maxsize=None)
def signed_form(form_class):
    """Return the kind's form class without the CSRF check (a sealed item is signed instead), made once."""
    meta = type("Meta", (), {"csrf": False})
    return type(form_class.__name__, (form_class,), {"Meta": meta, "__module__": form_class.__module__,
                                                    "__doc__": form_class.__doc__})


def written_at(created_at, now=None):
    """Return when an item was written: the phone's time, unless it is after now or before 2000 (then now).

    The one clamp of a phone's clock for every kind: a time in the future or from a reset clock
    is not believed, and the time the server received the item stands in for it.
    """
    now = now or utcnow()
    try:
        written = parse_iso(created_at)
    except (AttributeError, TypeError, ValueError):
        return iso(now)
    if not EARLIEST <= written <= now:
        return iso(now)
    stored_form = len(created_at) == 20 and created_at[10] == "T" and created_at[-1] == "Z"
    return created_at if stored_form else iso(written)


def _meta(push, envelope):
    return {"item_id": envelope.id, "device_id": push.device_id, "uploader_id": push.uploader_id,
            "now": push.now}


def signer_if_any(db, envelope):
    """Return the id of whoever's key signed an item (checked if it can be), or None."""
    try:
        envelope.check_shape()
        return verify_author(db, envelope)[0]["id"]
    except Refused as refused:
        return refused.author_id


def keep_aside(db, push, envelope, status, refused):
    """Keep an item whole (as received) with the reason it was not stored.

    Raises quota.OverQuota if the uploader has already kept aside as much as today allows.
    """
    errors = plain_errors(refused.errors)
    row = push.row(envelope)
    if status == "quarantined" and not envelope.verified:
        row = {**row, "content_sha256": envelope.unverified_key()}
    kept = json.dumps(envelope.received())
    push.aside.take(db, len(kept))
    store.add_item(db, {**row, "status": status, "envelope": kept,
                        "author_id": refused.author_id, "reason": refused.reason, "errors": errors})
    return {"id": envelope.id, "status": status, "errors": errors}


def give_back(db, push, envelope, returned):
    """Keep a verified author's refused item whole for them to correct; answer `returned`."""
    errors = plain_errors(returned.errors)
    store.add_returned(db, {"item_id": envelope.id, "content_sha256": envelope.content_sha256,
                            "kind": envelope.text("kind"), "author_id": returned.author_id,
                            "uploader_id": push.uploader_id, "device_id": push.device_id,
                            "payload": returned.payload, "errors": errors,
                            "created_at": envelope.created_text(), "received_at": push.received_at})
    push.keys_used.add(envelope.kid)
    return {"id": envelope.id, "status": "returned", "errors": errors}


def plain_errors(errors):
    """Turn a form's errors into {field: [message, ...]} of plain text, whatever their shape."""
    if not isinstance(errors, dict):
        return {"item": [str(errors)]}
    plain = {}
    for name, messages in errors.items():
        if isinstance(messages, dict):
            messages = [m for sub in plain_errors(messages).values() for m in sub]
        elif not isinstance(messages, (list, tuple)):
            messages = [messages]
        plain[str(name)] = [str(m) for m in messages]
    return plain


def run_after_commit(callbacks):
    """Run the domains' after-commit work (emails); a failure is logged, never raised."""
    for callback in callbacks:
        try:
            callback()
        except Exception:
            current_app.logger.exception("After-commit work of a sync item failed")


def try_again(db, item, kinds, by, now):
    """Try a kept-aside item once more (e.g. its kind or key now exists); return Refused or None."""
    envelope = Envelope.from_item(json.loads(item["envelope"]))
    meta = {"item_id": envelope.id, "device_id": item["device_id"], "uploader_id": item["uploader_id"]}
    try:
        with db.atomic():
            outcome, author = accept(db, kinds, envelope, meta)
            store.mark_stored(db, item["seq"], outcome.get("ref"), author["id"], by, now)
    except Refused as refused:
        store.note_retry_failed(db, item["seq"], refused.reason, plain_errors(refused.errors))
        return refused, []
    except Exception:
        current_app.logger.exception("Could not process sync item %s on a second try", envelope.id)
        return Refused("the server could not process this item"), []
    after = [outcome["after_commit"]] if callable(outcome.get("after_commit")) else []
    return None, after

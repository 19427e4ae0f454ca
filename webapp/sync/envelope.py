"""Open what a phone sent: check the author's signature (JWS) and decrypt the payload (JWE).

An item is `{"id", "kind", "created_at", "sealed", "signed"}`. `signed` is an ES256 JWS whose
`kid` is a registered device key, over `{"id", "kind", "created_at", "sealed_sha256"}`; `sealed`
is a JWE (ECDH-ES or ECDH-ES+A256KW on P-256, A256GCM) to one of our sealing keys, whose
protected header names the item (`item`) and its author's device key (`signer`): A256GCM
authenticates the header, so nobody can re-sign someone else's sealed item as their own.
"""
import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from flask import current_app
from joserfc import jwe, jws
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jwe import JWERegistry
from joserfc.jwk import ECKey
from joserfc.registry import HeaderParameter

from ..auth import roles
from ..auth.store import get_user
from ..clock import iso, parse_iso, utcnow
from . import keys, store

SEALING_ALGORITHMS = ["ECDH-ES", "ECDH-ES+A256KW", "A256GCM"]
FIELDS = ("kind", "created_at", "sealed", "signed")
# Header parameters that bind a sealed payload to its item and author (joserfc refuses unknown ones).
BINDING = {"item": HeaderParameter("The item's id", "str"),
           "signer": HeaderParameter("The kid of the author's device key", "str")}
UNBOUND = "sealed before authorship binding"


class Refused(Exception):
    """An item that cannot be accepted as it is; the reason is shown to DSLs."""

    def __init__(self, reason, errors=None, author_id=None):
        super().__init__(reason)
        self.reason = reason
        self.errors = errors or {"item": [reason]}
        self.author_id = author_id


@dataclass
class Envelope:
    """One item as received, with the hash that decides duplicate or conflict.

    The sealed payload is held once, as the bytes joserfc reads (`sealed`), not also as text in
    `raw`: a push may carry tens of megabytes of pictures. `received()` gives the item back whole.
    """

    id: str
    raw: dict
    sealed_sha256: str
    content_sha256: str
    sealed: bytes | None = None  # the JWE compact serialization, until release()
    kid: str | None = None  # the signing key, once the signature is checked
    created: str | None = None  # created_at as stored ISO UTC text, once the shape is checked
    signer_id: int | None = None  # whose key signed it, once the signature is checked
    verified: bool = False  # signature, seal and binding all checked: the item may take its id
    note: str | None = None  # kept with a stored item (e.g. sealed before authorship binding)
    opened: object = None  # (author, payload) once verified and opened, or the Refused (sync.ingest.opened)

    @classmethod
    def from_item(cls, item):
        """Hash what the phone signs, less the id: kind, created_at and the sealed payload's hash.

        A sealed payload sent as text is taken out of `item` (which the caller hands over) and kept as bytes.
        """
        sealed = item.pop("sealed").encode() if isinstance(item.get("sealed"), str) else None
        sealed_sha256 = hashlib.sha256(sealed if sealed is not None else json.dumps(item.get("sealed")).encode()
                                       ).hexdigest()
        kind, created_at = item.get("kind"), item.get("created_at")
        if isinstance(kind, str) and isinstance(created_at, str):
            content = f"{len(kind)}:{kind}{len(created_at)}:{created_at}{sealed_sha256}"
        else:
            content = json.dumps([kind, created_at, sealed_sha256])
        return cls(item["id"], item, sealed_sha256, hashlib.sha256(content.encode()).hexdigest(), sealed)

    def received(self):
        """Return the item whole, as the phone sent it (to keep it aside)."""
        return self.raw if self.sealed is None else {**self.raw, "sealed": self.sealed.decode()}

    def release(self):
        """Let go of the sealed payload once the item is dealt with: a big push is not held whole."""
        self.sealed = self.opened = None

    def unverified_key(self):
        """Return the content key under which an item that failed verification is kept aside.

        It includes the signature, so a forged copy never has the key of the genuine item (which
        then still takes its id), and sending the same forged copy again keeps one row.
        """
        signed = self.text("signed") or json.dumps(self.raw.get("signed"))
        return "unverified:" + hashlib.sha256((self.content_sha256 + signed).encode()).hexdigest()

    def text(self, name):
        value = self.raw.get(name)
        return value if isinstance(value, str) else None

    def named_kid(self):
        """Return the signing key's kid: checked, or else as named in the signature's header."""
        if self.kid is None:
            kid = _segment_json(self.text("signed") or "", 0).get("kid")
            return kid if isinstance(kid, str) and len(kid) <= 200 else None
        return self.kid

    def created_text(self):
        """Return created_at as stored ISO UTC text, or None if it is not a time."""
        text = self.raw.get("created_at")
        if self.created is None and isinstance(text, str) and len(text) <= 40:
            try:
                self.created = _utc_text(text)
            except ValueError:
                pass
        return self.created

    def check_shape(self):
        """Refuse an item whose fields are missing or not text."""
        wrong = {f: ["This must be text."] for f in FIELDS if not (self.sealed if f == "sealed" else self.text(f))}
        if wrong:
            raise Refused("the item is missing fields or they are the wrong type", wrong)
        if self.created_text() is None:
            raise Refused("created_at is not an ISO-8601 time", {"created_at": ["Not a valid time."]})


def _utc_text(text):
    """Normalise an ISO-8601 time to stored UTC text (quickly for the usual ...Z forms)."""
    if len(text) in (20, 24) and text[10] == "T" and text[-1] == "Z" and (len(text) == 20 or text[19] == "."):
        datetime.fromisoformat(text[:19])  # checks the date and time are real
        if len(text) == 20 or text[20:23].isdigit():
            return text[:19] + "Z"
    return iso(parse_iso(text))


def _segment_json(token, index):
    """Decode one base64url JSON segment of a compact JOSE token ({} for junk, never raises)."""
    try:
        part = token.split(".")[index]
        value = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (IndexError, ValueError, binascii.Error, UnicodeDecodeError):
        return {}
    return value if isinstance(value, dict) else {}


@lru_cache(maxsize=512)
def _public_key(public_jwk):
    return ECKey.import_key(json.loads(public_jwk))


def _signer(db, kid, signers):
    """Return (device key row, author or None if inactive) for a kid, looked up once a push."""
    if kid not in signers:
        row = store.device_key(db, kid) if isinstance(kid, str) and len(kid) <= 200 else None
        signers[kid] = (row, row and row["user_active"] and _author(get_user(db, row["user_id"])))
    return signers[kid]


def verify_author(db, envelope, signers=None):
    """Check the signature against a live device key; return (the author, the key's kid).

    `signers` (kid -> key row and author) saves looking the same key up again within one push.
    """
    signers = {} if signers is None else signers
    found = []

    def key_for(signature):  # joserfc hands over the parsed header: look its kid up
        found.append(_signer(db, signature.headers().get("kid"), signers))
        if found[0][0] is None:
            raise Refused("signed with a key this server does not know")
        envelope.kid = found[0][0]["kid"]
        return _public_key(found[0][0]["public_jwk"])
    try:
        claims = json.loads(jws.deserialize_compact(envelope.raw["signed"], key_for, algorithms=["ES256"]).payload.decode())
    except (BadSignatureError, JoseError, ValueError, TypeError):
        raise Refused("the signature does not match the signing key")
    row, author = found[0]
    envelope.signer_id = row["user_id"]
    _check_claims(claims, envelope, row["user_id"])
    if row["revoked_at"]:
        raise Refused(f"signed with a revoked key ({row['revoked_why'] or 'revoked'})", author_id=row["user_id"])
    if not author:
        raise Refused("the author's account is deactivated", author_id=row["user_id"])
    return author, row["kid"]


def _check_claims(claims, envelope, signer_id):
    expected = {"id": envelope.id, "kind": envelope.raw["kind"], "created_at": envelope.raw["created_at"],
                "sealed_sha256": envelope.sealed_sha256}
    if not isinstance(claims, dict) or any(claims.get(k) != v for k, v in expected.items()):
        raise Refused("what was signed does not match the item", author_id=signer_id)


class Person(dict):
    """A person as handed to domain code: a dict (`id`, `name`, `email`, `roles`, `active`) that
    also reads like the signed-in user (`.id`, `.roles`, `.has_role("dsl")`)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def has_role(self, *wanted):
        """Say whether this person holds one of the roles (the one rule in auth/roles.py)."""
        return roles.has_role(self, *wanted)


def _author(user):
    return Person({k: user[k] for k in ("id", "name", "email", "roles")}, active=bool(user["active"]))


def _registry():
    app = current_app._get_current_object()
    registry = app.extensions.get("sync_jwe_registry")
    if registry is None:
        # joserfc ignores `registry=` when `algorithms=` is passed, so the registry carries both.
        registry = JWERegistry(algorithms=SEALING_ALGORITHMS, header_registry=BINDING)
        app.extensions["sync_jwe_registry"] = registry
    registry.max_ciphertext_length = int(app.config["SYNC_MAX_PUSH_BYTES"])  # as the push limit is now
    return registry


def _sealing_key(recipient):
    """Return the private key the JWE's header names (the current one if it names none)."""
    key = keys.private_key(recipient.headers().get("kid") or keys.ensure_sealing_key())
    if key is None:
        raise Refused("sealed for a key this server does not hold")
    return key


class SealingKeys:
    """Find the private key a JWE's header names, each kid once (for the items of one push)."""

    def __init__(self):
        self.found = {}
        self.registry = _registry()

    def __call__(self, recipient):
        kid = recipient.headers().get("kid")
        key = self.found.get(kid)
        if key is None:
            key = self.found[kid] = _sealing_key(recipient)
        return key


def open_payload(envelope, check_author=True, sealing_keys=None):
    """Decrypt the sealed payload with the sealing key it names; return the JSON object.

    The payload must be bound to this item and to the key that signed it (verify_author first);
    only a DSL reading a kept-aside item passes check_author=False. `sealing_keys` (SealingKeys)
    saves looking the same key up again within one push.
    """
    sealing_keys = sealing_keys or SealingKeys()
    try:
        opened = jwe.decrypt_compact(envelope.sealed, sealing_keys, registry=sealing_keys.registry)
        header, plaintext = opened.protected, let_go(opened)
        payload = json.loads(plaintext.decode())
    except (JoseError, ValueError, TypeError):
        raise Refused("the sealed payload could not be opened")
    finally:
        opened = plaintext = None  # each copy of a big payload goes as soon as the next one exists
    if check_author:
        envelope.note = check_binding(header, envelope)
    if not isinstance(payload, dict):
        raise Refused("the sealed payload is not a JSON object")
    envelope.verified = check_author
    return payload


def let_go(opened):
    """Return the plaintext of a decrypted JWE and drop joserfc's copies of its ciphertext now.

    The decrypted object and its recipient refer to each other, so without this the copies would
    live until the garbage collector's next pass, item after item of a push.
    """
    plaintext, opened.plaintext = opened.plaintext, None
    opened.base64_segments.clear()
    opened.bytes_segments.clear()
    return plaintext


def check_binding(header, envelope):
    """Refuse a payload sealed for another item or by another author; return a note, if any."""
    bound = {name: header.get(name) for name in BINDING}
    if bound == {"item": None, "signer": None}:
        if utcnow().date() <= unbound_accepted_until():
            return UNBOUND
        raise Refused("the sealed payload does not name its item and author (sealed by an old version "
                      "of the app)", author_id=envelope.signer_id)
    if bound != {"item": envelope.id, "signer": envelope.kid}:
        raise Refused("the sealed payload was sealed for another item or by another author than the one "
                      "who signed it", author_id=envelope.signer_id)
    return None


def unbound_accepted_until():
    """Return the last day an item sealed without its item and author is still accepted."""
    value = current_app.config["SYNC_UNBOUND_ACCEPTED_UNTIL"]
    if not value:
        return date.min
    return value if isinstance(value, date) else date.fromisoformat(str(value))

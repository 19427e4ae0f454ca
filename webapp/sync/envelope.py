"""Open what a phone sent: check the author's signature (JWS) and decrypt the payload (JWE).

An item is `{"id", "kind", "created_at", "sealed", "signed"}`. `signed` is an ES256 JWS whose
`kid` is a registered device key, over `{"id", "kind", "created_at", "sealed_sha256"}`; `sealed`
is a JWE (ECDH-ES or ECDH-ES+A256KW on P-256, A256GCM) to one of our sealing keys.
"""
import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app
from joserfc import jwe, jws
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jwe import JWERegistry
from joserfc.jwk import ECKey

from ..auth.roles import IMPLIED
from ..auth.store import get_user
from ..clock import iso, parse_iso
from . import keys, store

SEALING_ALGORITHMS = ["ECDH-ES", "ECDH-ES+A256KW", "A256GCM"]
FIELDS = ("kind", "created_at", "sealed", "signed")


class Refused(Exception):
    """An item that cannot be accepted as it is; the reason is shown to DSLs."""

    def __init__(self, reason, errors=None, author_id=None):
        super().__init__(reason)
        self.reason = reason
        self.errors = errors or {"item": [reason]}
        self.author_id = author_id


@dataclass
class Envelope:
    """One item as received, with the hash that decides duplicate or conflict."""

    id: str
    raw: dict
    content_sha256: str

    @classmethod
    def from_item(cls, item):
        content = json.dumps({f: item.get(f) for f in ("kind", "created_at", "sealed")},
                             sort_keys=True, separators=(",", ":"))
        return cls(item["id"], item, hashlib.sha256(content.encode()).hexdigest())

    def text(self, name):
        value = self.raw.get(name)
        return value if isinstance(value, str) else None

    def check_shape(self):
        """Refuse an item whose fields are missing or not text."""
        wrong = {f: ["This must be text."] for f in FIELDS if not self.text(f)}
        if wrong:
            raise Refused("the item is missing fields or they are the wrong type", wrong)
        try:
            parse_iso(self.raw["created_at"])
        except ValueError:
            raise Refused("created_at is not an ISO-8601 time", {"created_at": ["Not a valid time."]})

    def created_at(self):
        """Return the phone's creation time as stored ISO UTC text."""
        return iso(parse_iso(self.raw["created_at"]))


def _segment_json(token, index):
    """Decode one base64url JSON segment of a compact JOSE token (never raises on junk)."""
    try:
        part = token.split(".")[index]
        value = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (IndexError, ValueError, binascii.Error, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def signing_kid(envelope):
    """Return the kid named in the item's signature header, if any."""
    header = _segment_json(envelope.text("signed") or "", 0) or {}
    kid = header.get("kid")
    return kid if isinstance(kid, str) and len(kid) <= 200 else None


@lru_cache(maxsize=512)
def _public_key(public_jwk):
    return ECKey.import_key(json.loads(public_jwk))


def verify_author(db, envelope):
    """Check the signature against a live device key; return the author's user row."""
    kid = signing_kid(envelope)
    row = store.device_key(db, kid) if kid else None
    if row is None:
        raise Refused("signed with a key this server does not know")
    try:
        signed = jws.deserialize_compact(envelope.raw["signed"], _public_key(row["public_jwk"]),
                                         algorithms=["ES256"])
        claims = json.loads(signed.payload)
    except (BadSignatureError, JoseError, ValueError, TypeError):
        raise Refused("the signature does not match the signing key")
    _check_claims(claims, envelope, row["user_id"])
    if row["revoked_at"]:
        raise Refused(f"signed with a revoked key ({row['revoked_why'] or 'revoked'})", author_id=row["user_id"])
    if not row["user_active"]:
        raise Refused("the author's account is deactivated", author_id=row["user_id"])
    return _author(get_user(db, row["user_id"])), kid


def _check_claims(claims, envelope, signer_id):
    expected = {"id": envelope.id, "kind": envelope.raw["kind"], "created_at": envelope.raw["created_at"],
                "sealed_sha256": hashlib.sha256(envelope.raw["sealed"].encode()).hexdigest()}
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

    def has_role(self, *roles):
        held = set(self["roles"])
        for role in self["roles"]:
            held |= IMPLIED.get(role, set())
        return bool(held & set(roles))


def _author(user):
    return Person({k: user[k] for k in ("id", "name", "email", "roles")}, active=bool(user["active"]))


def _registry():
    app = current_app._get_current_object()
    registry = app.extensions.get("sync_jwe_registry")
    if registry is None:
        # joserfc ignores `registry=` when `algorithms=` is passed, so the registry carries both.
        registry = JWERegistry(algorithms=SEALING_ALGORITHMS)
        registry.max_ciphertext_length = int(app.config["MAX_CONTENT_LENGTH"])
        app.extensions["sync_jwe_registry"] = registry
    return registry


def open_payload(envelope):
    """Decrypt the sealed payload with the sealing key it names; return the JSON object."""
    header = _segment_json(envelope.raw["sealed"], 0)
    if header is None:
        raise Refused("the sealed payload is not a JWE")
    kid = header.get("kid", keys.ensure_sealing_key())
    key = keys.private_key(kid)
    if key is None:
        raise Refused("sealed for a key this server does not hold")
    try:
        plaintext = jwe.decrypt_compact(envelope.raw["sealed"], key, registry=_registry()).plaintext
        payload = json.loads(plaintext)
    except (JoseError, ValueError, TypeError):
        raise Refused("the sealed payload could not be opened")
    if not isinstance(payload, dict):
        raise Refused("the sealed payload is not a JSON object")
    return payload

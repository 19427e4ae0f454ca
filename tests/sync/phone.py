"""A phone in Python: seals and signs items exactly as static/js/envelope.js does, and syncs them."""
import hashlib
import json
import uuid

from joserfc import jwe, jws
from joserfc.jwe import JWERegistry
from joserfc.jwk import ECKey

from webapp.sync.envelope import BINDING

from webapp.clock import iso, utcnow

DEVICE_ID = "phone-1"


def concern(account):
    """Return a valid concern payload (DESIGN.md section 4 field names) with this account."""
    return {"category": "other_online_safety", "occurred_at": "2026-01-05T10:00:00Z", "location": "Hall",
            "account": account if account.strip() else "Nothing more to say.",  # spaces are not an answer
            "told_dsl_in_person": False, "urgent": False}


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def seal(payload, server_jwk, alg="ECDH-ES", binding=None):
    """Encrypt a payload to the server's public sealing key (JWE compact, A256GCM, kid in header).

    `binding` ({"item", "signer"}) goes in the protected header too, as the phone puts it.
    """
    plaintext = payload if isinstance(payload, bytes) else compact(payload).encode()
    header = {"alg": alg, "enc": "A256GCM", "kid": server_jwk["kid"], **(binding or {})}
    public = ECKey.import_key({k: server_jwk[k] for k in ("kty", "crv", "x", "y")})
    registry = JWERegistry(algorithms=[alg, "A256GCM"], header_registry=BINDING)
    return jwe.encrypt_compact(header, plaintext, public, registry=registry)


def sign(claims, device_key, kid):
    """Sign claims as a compact JWS with header {"alg": "ES256", "kid": kid}."""
    return jws.serialize_compact({"alg": "ES256", "kid": kid}, compact(claims), device_key, algorithms=["ES256"])


def seal_and_sign(kind, payload, server_jwk, device_key, kid, item_id=None, created_at=None, alg="ECDH-ES",
                  bound=True):
    """Return an outbox item {id, kind, created_at, sealed, signed}, sealed bound to its id and kid
    (or, with bound=False, as the phone app sealed items before authorship binding)."""
    item_id = item_id or str(uuid.uuid4())
    created_at = created_at or iso(utcnow())
    sealed = seal(payload, server_jwk, alg, {"item": item_id, "signer": kid} if bound else None)
    return signed_item(item_id, kind, created_at, sealed, device_key, kid)


def signed_item(item_id, kind, created_at, sealed, device_key, kid):
    """Sign an already sealed payload as an item: what anyone holding a key can do with a copy."""
    claims = {"id": item_id, "kind": kind, "created_at": created_at,
              "sealed_sha256": hashlib.sha256(sealed.encode("ascii")).hexdigest()}
    return {"id": item_id, "kind": kind, "created_at": created_at, "sealed": sealed,
            "signed": sign(claims, device_key, kid)}


class Phone:
    """One phone (one device_id) on which several people may sign in, each with their own key."""

    def __init__(self, client, device_id=DEVICE_ID):
        self.client = client
        self.device_id = device_id
        self.keys = {}  # user id -> (private ECKey, kid)
        self.session = None

    def refresh(self):
        """GET /api/session: who is signed in, a fresh CSRF token and the sealing key."""
        response = self.client.get("/api/session")
        assert response.status_code == 200, response.get_data(as_text=True)
        self.session = response.get_json()
        return self.session

    def register(self, key=None):
        """Register (or re-register) a signing key for whoever is signed in; return the kid."""
        session = self.refresh()
        key = key or ECKey.generate_key("P-256", private=True)
        response = self.post("/api/devices/keys", {"device_id": self.device_id,
                                                   "public_key": key.as_dict(private=False)})
        assert response.status_code == 200, response.get_data(as_text=True)
        kid = response.get_json()["kid"]
        self.keys[session["user"]["id"]] = (key, kid)
        return kid

    def item(self, kind, payload, author_id=None, **kwargs):
        """Seal and sign an item as the given (default: signed-in) person."""
        session = self.session or self.refresh()
        key, kid = self.keys[author_id or session["user"]["id"]]
        return seal_and_sign(kind, payload, session["sealing_key"], key, kid, **kwargs)

    def post(self, path, body, **kwargs):
        token = (self.session or self.refresh())["csrf_token"]
        return self.client.post(path, json=body, headers={"X-CSRFToken": token}, **kwargs)

    def push(self, items, waiting=None):
        waiting = waiting if waiting is not None else {"count": len(items), "oldest": iso(utcnow())}
        return self.post("/api/sync/push", {"device_id": self.device_id, "waiting": waiting, "items": items})

    def statuses(self, items):
        """Push and return {id: status}, failing unless the server answered 200."""
        response = self.push(items)
        assert response.status_code == 200, response.get_data(as_text=True)
        return {r["id"]: r["status"] for r in response.get_json()["results"]}

    def pull(self, since=None, **params):
        query = {"device_id": self.device_id, "waiting": 0, **params}
        if since is not None:
            query["since"] = since
        return self.client.get("/api/sync/pull", query_string=query)

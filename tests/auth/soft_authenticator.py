"""A software passkey authenticator (ES256, 'none' attestation) that makes real WebAuthn answers."""
import base64
import hashlib
import json
import os
import struct

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import encode_cbor

UP, UV, AT = 0x01, 0x04, 0x40


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftAuthenticator:
    """One passkey on one device: answers `create` once and `get` as often as asked, counting each use."""

    def __init__(self, origin="http://localhost"):
        self.origin = origin
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.counter = 0
        self.user_handle = None

    @property
    def id(self):
        return b64url(self.credential_id)

    def _cose_public_key(self):
        numbers = self.key.public_key().public_numbers()
        return encode_cbor({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"),
                            -3: numbers.y.to_bytes(32, "big")})

    def _client_data(self, kind, challenge, origin=None):
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin or self.origin,
                           "crossOrigin": False}).encode()

    def create(self, options, origin=None):
        """Answer registration options (the server's JSON, as a dict) with a new credential's JSON."""
        rp_hash = hashlib.sha256(options["rp"]["id"].encode()).digest()
        self.user_handle = options["user"]["id"]
        attested = struct.pack(">H", len(self.credential_id)) + self.credential_id + self._cose_public_key()
        auth_data = rp_hash + bytes([UP | UV | AT]) + struct.pack(">I", self.counter) + bytes(16) + attested
        attestation = encode_cbor({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        return json.dumps({"id": self.id, "rawId": self.id, "type": "public-key",
                           "response": {"clientDataJSON": b64url(client_data),
                                        "attestationObject": b64url(attestation), "transports": ["internal"]},
                           "clientExtensionResults": {}})

    def get(self, options, rp_id="localhost", counter=None, origin=None):
        """Answer sign-in options with a signed assertion; the counter goes up by one unless given."""
        self.counter = self.counter + 1 if counter is None else counter
        auth_data = hashlib.sha256(rp_id.encode()).digest() + bytes([UP | UV]) + struct.pack(">I", self.counter)
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return json.dumps({"id": self.id, "rawId": self.id, "type": "public-key",
                           "response": {"clientDataJSON": b64url(client_data),
                                        "authenticatorData": b64url(auth_data), "signature": b64url(signature),
                                        "userHandle": self.user_handle},
                           "clientExtensionResults": {}})

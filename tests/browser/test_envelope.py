"""Interoperability of static/js/envelope.js (run in real Chromium) with joserfc.

The browser seals (JWE ECDH-ES + A256GCM) and signs (JWS ES256) with WebCrypto;
Python decrypts and verifies with joserfc. A throwaway Flask app serves the
module so the page runs on http://127.0.0.1 (a secure context).
"""

import base64
import hashlib
import json
import os
import threading
from pathlib import Path

import pytest
from flask import Flask, send_file
from joserfc import jwe, jws
from joserfc.errors import BadSignatureError, DecodeError, ExceededSizeError
from joserfc.jwe import JWERegistry
from joserfc.jwk import ECKey
from werkzeug.serving import make_server

from webapp.sync.envelope import BINDING

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "static" / "js" / "envelope.js"
SERVER_KID = "server-2024"
PAGE = "<!doctype html><meta charset=utf-8><title>envelope test</title><p>envelope</p>"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _make_app() -> Flask:
    app = Flask(__name__, static_folder=None)

    @app.get("/")
    def index():
        return PAGE, 200, {"Content-Type": "text/html; charset=utf-8"}

    @app.get("/static/js/envelope.js")
    def envelope_module():
        response = send_file(MODULE, mimetype="text/javascript", max_age=0)
        response.headers["Cache-Control"] = "no-store"
        return response

    return app


@pytest.fixture(scope="module")
def base_url():
    server = make_server("127.0.0.1", 0, _make_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def envelope_page(base_url, browser):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base_url + "/")
        assert page.evaluate("window.isSecureContext") is True
        yield page
    finally:
        context.close()


def run(page, body: str, arg=None):
    """Evaluate an async JS body with `m` bound to the imported module and `arg` to the argument."""
    script = f"async (arg) => {{ const m = await import('/static/js/envelope.js'); {body} }}"
    return page.evaluate(script, arg)


@pytest.fixture(scope="module")
def server_key():
    return ECKey.generate_key("P-256", parameters={"kid": SERVER_KID}, private=True)


@pytest.fixture(scope="module")
def server_jwk(server_key):
    public = server_key.as_dict(private=False)
    assert "d" not in public and public["kid"] == SERVER_KID
    return public


def _registry(max_ciphertext_length: int | None = None) -> JWERegistry:
    # joserfc ignores `registry` when `algorithms` is also given, so restrict algorithms here.
    registry = JWERegistry(algorithms=["ECDH-ES", "A256GCM"], header_registry=BINDING)
    if max_ciphertext_length is not None:
        registry.max_ciphertext_length = max_ciphertext_length
    return registry


def _decrypt(token: str, key: ECKey, registry: JWERegistry | None = None) -> bytes:
    return jwe.decrypt_compact(token, key, registry=registry or _registry()).plaintext


def _protected_header(token: str) -> dict:
    return json.loads(_b64url_decode(token.split(".")[0]))


def test_b64url_round_trips_large_buffers_and_is_strict(envelope_page):
    data = bytes(range(256)) * 500  # 128000 bytes: several 32 KB chunks
    result = run(
        envelope_page,
        """
        const bytes = m.b64urlDecode(arg);
        const rejects = [];
        // padding, standard-alphabet chars, junk, impossible length, non-zero trailing bits
        for (const bad of [arg.slice(0, 2) + '=', 'ab+/', 'abc$', 'a', 'AB']) {
          try { m.b64urlDecode(bad); } catch (e) { rejects.push(bad); }
        }
        return { length: bytes.length, sum: bytes.reduce((a, b) => a + b, 0),
                 again: m.b64url(bytes), buffer: m.b64url(bytes.buffer), rejects };
        """,
        _b64url(data),
    )
    assert result["length"] == len(data)
    assert result["sum"] == sum(data)
    assert result["again"] == _b64url(data)
    assert result["buffer"] == _b64url(data)
    assert len(result["rejects"]) == 5


def test_sha256_hex_matches_hashlib(envelope_page):
    text = "Grüße, 世界 👋🏽"
    assert run(envelope_page, "return m.sha256Hex(arg);", text) == hashlib.sha256(text.encode()).hexdigest()


def test_seal_empty_object_decrypts_with_joserfc(envelope_page, server_key, server_jwk):
    token = run(envelope_page, "return m.seal({}, arg);", server_jwk)
    parts = token.split(".")
    assert len(parts) == 5 and parts[1] == ""  # direct ECDH-ES has no encrypted key
    assert len(_b64url_decode(parts[2])) == 12 and len(_b64url_decode(parts[4])) == 16
    assert _decrypt(token, server_key) == b"{}"


def test_seal_unicode_payload_round_trips_exactly(envelope_page, server_key, server_jwk):
    payload = {"text": "Grüße aus Köln — 日本語 👋🏽🎉", "n": 3, "nested": {"ok": True, "list": [1, "ä"]}}
    token = run(envelope_page, "return m.seal(arg.payload, arg.jwk);", {"payload": payload, "jwk": server_jwk})
    plaintext = _decrypt(token, server_key)
    assert plaintext == json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert json.loads(plaintext) == payload


def test_seal_large_bytes_attachment(envelope_page, server_key, server_jwk):
    data = os.urandom(2 * 1024 * 1024 + 123)
    token = run(
        envelope_page,
        "return m.seal(m.b64urlDecode(arg.data), arg.jwk);",
        {"data": _b64url(data), "jwk": server_jwk},
    )
    assert _decrypt(token, server_key, _registry(4 * 1024 * 1024)) == data
    with pytest.raises(ExceededSizeError):
        _decrypt(token, server_key)  # default joserfc limit (64 KB) refuses it: it really is large


def test_protected_header_and_epk_fields(envelope_page, server_key, server_jwk):
    tokens = run(envelope_page, "return [await m.seal({a: 1}, arg), await m.seal({a: 1}, arg)];", server_jwk)
    headers = [_protected_header(t) for t in tokens]
    for header in headers:
        assert header["alg"] == "ECDH-ES" and header["enc"] == "A256GCM" and header["kid"] == SERVER_KID
        assert set(header) == {"alg", "enc", "kid", "epk"}
        assert set(header["epk"]) == {"kty", "crv", "x", "y"}
        assert header["epk"]["kty"] == "EC" and header["epk"]["crv"] == "P-256"
    # a fresh ephemeral key per seal
    assert headers[0]["epk"]["x"] != headers[1]["epk"]["x"]
    assert all(_decrypt(t, server_key) == b'{"a":1}' for t in tokens)


def test_seal_with_wrong_server_key_does_not_decrypt(envelope_page, server_jwk):
    token = run(envelope_page, "return m.seal({secret: 'x'}, arg);", server_jwk)
    other = ECKey.generate_key("P-256", parameters={"kid": SERVER_KID}, private=True)
    with pytest.raises(DecodeError):
        _decrypt(token, other)


def _device_seal_and_sign(page, server_jwk, item):
    return run(
        page,
        """
        const device = await m.generateDeviceKey();
        const out = await m.sealAndSign(arg.item, arg.jwk, device.privateKey, 'device-1');
        const viaObject = await m.sealAndSign(arg.item, arg.jwk, device, 'device-1');
        return { publicJwk: device.publicJwk, out, viaObject };
        """,
        {"item": item, "jwk": server_jwk},
    )


def test_seal_and_sign_verifies_with_joserfc(envelope_page, server_key, server_jwk):
    item = {"id": "01HX-item", "kind": "note", "created_at": "2024-05-01T12:00:00Z", "payload": {"text": "hi 👋"}}
    result = _device_seal_and_sign(envelope_page, server_jwk, item)
    out = result["out"]
    assert set(result["publicJwk"]) == {"kty", "crv", "x", "y"}
    assert {k: out[k] for k in ("id", "kind", "created_at")} == {k: item[k] for k in ("id", "kind", "created_at")}
    assert set(out) == {"id", "kind", "created_at", "sealed", "signed"}

    device_public = ECKey.import_key(result["publicJwk"])
    for bundle in (out, result["viaObject"]):
        signed = jws.deserialize_compact(bundle["signed"], device_public, algorithms=["ES256"])
        assert signed.protected == {"alg": "ES256", "kid": "device-1"}
        claims = json.loads(signed.payload)
        assert claims == {
            "id": item["id"],
            "kind": item["kind"],
            "created_at": item["created_at"],
            "sealed_sha256": hashlib.sha256(bundle["sealed"].encode("ascii")).hexdigest(),
        }
        assert json.loads(_decrypt(bundle["sealed"], server_key)) == item["payload"]
        opened = jwe.decrypt_compact(bundle["sealed"], server_key, registry=_registry())
        assert (opened.protected["item"], opened.protected["signer"]) == (item["id"], "device-1")


def test_tampered_jws_fails_verification(envelope_page, server_jwk):
    item = {"id": "a", "kind": "note", "created_at": "2024-05-01T12:00:00Z", "payload": {}}
    result = _device_seal_and_sign(envelope_page, server_jwk, item)
    device_public = ECKey.import_key(result["publicJwk"])
    header, payload, signature = result["out"]["signed"].split(".")

    claims = json.loads(_b64url_decode(payload))
    claims["sealed_sha256"] = "0" * 64
    forged_payload = _b64url(json.dumps(claims, separators=(",", ":")).encode())
    sig = bytearray(_b64url_decode(signature))
    sig[5] ^= 0x01
    tampered = [f"{header}.{forged_payload}.{signature}", f"{header}.{payload}.{_b64url(bytes(sig))}"]

    jws.deserialize_compact(f"{header}.{payload}.{signature}", device_public, algorithms=["ES256"])
    for token in tampered:
        with pytest.raises(BadSignatureError):
            jws.deserialize_compact(token, device_public, algorithms=["ES256"])
    stranger = ECKey.generate_key("P-256", private=False)
    with pytest.raises(BadSignatureError):
        jws.deserialize_compact(f"{header}.{payload}.{signature}", stranger, algorithms=["ES256"])


def test_device_private_key_is_not_extractable(envelope_page):
    result = run(
        envelope_page,
        """
        const { privateKey, publicJwk } = await m.generateDeviceKey();
        const attempts = {};
        for (const format of ['jwk', 'pkcs8']) {
          try { await crypto.subtle.exportKey(format, privateKey); attempts[format] = 'exported'; }
          catch (e) { attempts[format] = e.name; }
        }
        return { extractable: privateKey.extractable, type: privateKey.type,
                 algorithm: privateKey.algorithm, usages: privateKey.usages, attempts, publicJwk };
        """,
    )
    assert result["extractable"] is False
    assert result["type"] == "private"
    assert result["algorithm"] == {"name": "ECDSA", "namedCurve": "P-256"}
    assert result["usages"] == ["sign"]
    assert result["attempts"] == {"jwk": "InvalidAccessError", "pkcs8": "InvalidAccessError"}
    assert result["publicJwk"]["kty"] == "EC" and "d" not in result["publicJwk"]


def test_native_and_fallback_base64_agree_with_python(envelope_page, base_url, browser):
    """The phone's own base64 (Chromium 140 on) and the fallback for older phones give Python's answer."""
    data = os.urandom(100_003)  # not a multiple of 3: padding and its omission both matter
    body = "const bytes = new Uint8Array(arg); return { std: m.b64(bytes), url: m.b64url(bytes), " \
           "native: typeof Uint8Array.prototype.toBase64 === 'function' };"
    native = run(envelope_page, body, list(data))
    assert native["native"] is True  # this Chromium takes the native route
    context = browser.new_context()
    try:
        context.add_init_script("delete Uint8Array.prototype.toBase64; delete Uint8Array.fromBase64;")
        old_phone = context.new_page()
        old_phone.goto(base_url + "/")
        fallback = run(old_phone, body, list(data))
    finally:
        context.close()
    assert fallback["native"] is False
    for result in (native, fallback):
        assert result["std"] == base64.b64encode(data).decode()
        assert result["url"] == _b64url(data)

// Seal items for the server (JWE, ECDH-ES + A256GCM) and sign them with a
// device key (JWS, ES256) using only WebCrypto. No dependencies.

const subtle = globalThis.crypto.subtle;
const encoder = new TextEncoder();
const CHUNK = 0x8000; // 32 KB: keeps String.fromCharCode.apply under the argument limit
const ECDH = { name: "ECDH", namedCurve: "P-256" };
const ECDSA = { name: "ECDSA", namedCurve: "P-256" };

// Browsers with Uint8Array's own base64 (Chromium 140 on) convert a 3 MB picture natively, many
// times faster than building a binary string; older ones take the string route.
const NATIVE_BASE64 = typeof Uint8Array.prototype.toBase64 === "function" && typeof Uint8Array.fromBase64 === "function";

/** Encode bytes (Uint8Array or ArrayBuffer) as standard base64 with padding. */
export function b64(bytes) {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (NATIVE_BASE64) return view.toBase64();
  let binary = "";
  for (let i = 0; i < view.length; i += CHUNK) {
    binary += String.fromCharCode.apply(null, view.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** Encode bytes (Uint8Array or ArrayBuffer) as base64url without padding. */
export function b64url(bytes) {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (NATIVE_BASE64) return view.toBase64({ alphabet: "base64url", omitPadding: true });
  let binary = "";
  for (let i = 0; i < view.length; i += CHUNK) {
    binary += String.fromCharCode.apply(null, view.subarray(i, i + CHUNK));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Decode a strict, unpadded base64url string into a Uint8Array. */
export function b64urlDecode(str) {
  if (typeof str !== "string" || !/^[A-Za-z0-9_-]*$/.test(str) || str.length % 4 === 1) {
    throw new TypeError("invalid base64url");
  }
  const padded = str.replace(/-/g, "+").replace(/_/g, "/") + "==".slice(0, (4 - (str.length % 4)) % 4);
  const binary = atob(padded);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  if (b64url(out) !== str) throw new TypeError("invalid base64url");
  return out;
}

/**
 * Return the UTF-8 bytes of a string. A sealed item's JSON and its JWE are megabytes of mostly base64:
 * encodeInto() into a buffer sized from the string (each code unit past ASCII takes at most 3 bytes)
 * is several times faster there than encode().
 */
export function utf8(string) {
  const wide = string.match(/[^\x00-\x7f]/g);
  const out = new Uint8Array(string.length + (wide ? 2 * wide.length : 0));
  const { written } = encoder.encodeInto(string, out);
  return out.subarray(0, written);
}

/** Lowercase hex SHA-256 of the UTF-8 encoding of a string. */
export async function sha256Hex(string) {
  const digest = new Uint8Array(await subtle.digest("SHA-256", utf8(string)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function uint32be(n) {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, false);
  return out;
}

function lengthPrefixed(bytes) {
  return concat(uint32be(bytes.length), bytes);
}

// Concat KDF (RFC 7518 §4.6.2) for direct ECDH-ES with A256GCM: one SHA-256 round.
async function concatKdf(sharedSecret) {
  const otherInfo = concat(
    lengthPrefixed(encoder.encode("A256GCM")), // AlgorithmID
    lengthPrefixed(new Uint8Array(0)), // PartyUInfo
    lengthPrefixed(new Uint8Array(0)), // PartyVInfo
    uint32be(256), // SuppPubInfo: keydatalen in bits
  );
  const input = concat(uint32be(1), new Uint8Array(sharedSecret), otherInfo);
  return new Uint8Array(await subtle.digest("SHA-256", input));
}

function publicParts(jwk) {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
}

async function deriveCek(serverJwk) {
  const serverKey = await subtle.importKey("jwk", publicParts(serverJwk), ECDH, false, []);
  const ephemeral = await subtle.generateKey(ECDH, true, ["deriveBits"]);
  const shared = await subtle.deriveBits({ name: "ECDH", public: serverKey }, ephemeral.privateKey, 256);
  const epk = publicParts(await subtle.exportKey("jwk", ephemeral.publicKey));
  const cek = await subtle.importKey("raw", await concatKdf(shared), "AES-GCM", false, ["encrypt"]);
  return { cek, epk };
}

/**
 * Encrypt a JSON-able object (or raw Uint8Array bytes) to a compact JWE for serverJwk.
 * `binding` ({item, signer}) goes in the protected header, which A256GCM authenticates: it ties
 * the payload to its item's id and its author's key, so nobody can re-sign it as theirs.
 */
export async function seal(payload, serverJwk, binding = {}) {
  const plaintext = payload instanceof Uint8Array ? payload : utf8(JSON.stringify(payload));
  const { cek, epk } = await deriveCek(serverJwk);
  const header = { alg: "ECDH-ES", enc: "A256GCM", epk };
  if (serverJwk.kid) header.kid = serverJwk.kid;
  if (binding.item) header.item = binding.item;
  if (binding.signer) header.signer = binding.signer;
  const protectedB64 = b64url(encoder.encode(JSON.stringify(header)));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const params = { name: "AES-GCM", iv, additionalData: encoder.encode(protectedB64), tagLength: 128 };
  const sealed = new Uint8Array(await subtle.encrypt(params, cek, plaintext));
  const ciphertext = sealed.subarray(0, sealed.length - 16);
  const tag = sealed.subarray(sealed.length - 16);
  return [protectedB64, "", b64url(iv), b64url(ciphertext), b64url(tag)].join(".");
}

/** Create a non-extractable ECDSA P-256 device key and its public JWK (kty, crv, x, y). */
export async function generateDeviceKey(extractable = false) {
  const pair = await subtle.generateKey(ECDSA, extractable, ["sign", "verify"]);
  const publicJwk = publicParts(await subtle.exportKey("jwk", pair.publicKey));
  return { privateKey: pair.privateKey, publicJwk };
}

/** Sign a claims object as a compact JWS (ES256) with header {"alg":"ES256","kid":kid}. */
export async function sign(claims, privateKey, kid) {
  const headerB64 = b64url(encoder.encode(JSON.stringify({ alg: "ES256", kid })));
  const payloadB64 = b64url(encoder.encode(JSON.stringify(claims)));
  const input = encoder.encode(`${headerB64}.${payloadB64}`);
  // WebCrypto ECDSA already yields the raw r||s (64 bytes) form that ES256 uses.
  const signature = await subtle.sign({ name: "ECDSA", hash: "SHA-256" }, privateKey, input);
  return `${headerB64}.${payloadB64}.${b64url(signature)}`;
}

/** Seal an item's payload bound to its id and author, and sign {id, kind, created_at, sealed_sha256}. */
export async function sealAndSign({ id, kind, created_at, payload }, serverJwk, deviceKey, deviceKid) {
  const sealed = await seal(payload, serverJwk, { item: id, signer: deviceKid });
  const claims = { id, kind, created_at, sealed_sha256: await sha256Hex(sealed) };
  // Accept either the private CryptoKey or the object returned by generateDeviceKey().
  const signed = await sign(claims, deviceKey.privateKey || deviceKey, deviceKid);
  return { id, kind, created_at, sealed, signed };
}

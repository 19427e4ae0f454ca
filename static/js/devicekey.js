// This person's signing key on this phone: made once, its public half registered with the school.
import { generateDeviceKey } from "envelope";
import { deviceId, withStore } from "outbox";

function postKey(body, token) {
  return fetch("/api/devices/keys", { method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": token }, body });
}

/** Make sure the signed-in person has a registered signing key on this phone. */
export async function ensureDeviceKey(user, csrf) {
  const known = await withStore("keys", "readonly", (s) => s.get(user.id));
  if (known && known.kid) return;
  // Extractable only until the person chooses a PIN, which wraps it (pinlock.js `setPin`).
  const key = known || { user_id: user.id, ...(await generateDeviceKey(true)) };
  await withStore("keys", "readwrite", (s) => s.put(key));
  const body = JSON.stringify({ device_id: await deviceId(), public_key: key.publicJwk });
  let response = await postKey(body, csrf);
  if (response.status === 400) {  // a token from just before the session changed: fetch a fresh one once
    const fresh = await fetch("/api/session", { credentials: "same-origin", cache: "no-store" });
    if (fresh.ok) response = await postKey(body, (await fresh.json()).csrf_token);
  }
  if (response.ok) {
    const { kid } = await response.json();
    await withStore("keys", "readwrite", (s) => s.put({ user_id: user.id, privateKey: key.privateKey, kid }));
  }
}

/** Forget this person's signing key on this phone (at sign-out): what it already signed still delivers. */
export async function forgetDeviceKey(userId) {
  await withStore("keys", "readwrite", (s) => s.delete(userId));
}

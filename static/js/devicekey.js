// This person's signing key on this phone: its public half registered with the school, checked at
// each online visit, and replaced when the school has stopped it (revoked on /account/phones, or by
// a password change). A new key can be registered only just after a full sign-in: when the school
// refuses it, the person is told to sign in again. Items already waiting are never touched here.
import { generateDeviceKey } from "envelope";
import { deviceId, getState, withStore } from "outbox";

const SIGN_IN_AGAIN = "Sign in again to set up this phone: sign out, then sign in while you have signal " +
  "(a phone's key can be set up only just after signing in). Nothing waiting here is lost.";
const STOPPED = "The school stopped this phone's signing key (for example after a password change). " +
  "Sign in again to set up a new one: sign out, then sign in while you have signal. Nothing waiting here is lost.";

const getKey = (userId) => withStore("keys", "readonly", (s) => s.get(userId));
const putKey = (record) => withStore("keys", "readwrite", (s) => s.put(record));

function postKey(body, token) {
  return fetch("/api/devices/keys", { method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": token }, body });
}

async function register(record, csrf) {
  const body = JSON.stringify({ device_id: await deviceId(), public_key: record.publicJwk });
  let response = await postKey(body, csrf);
  if (response.status === 400) {  // a token from just before the session changed: fetch a fresh one once
    const fresh = await fetch("/api/session", { credentials: "same-origin", cache: "no-store" });
    if (fresh.ok) response = await postKey(body, (await fresh.json()).csrf_token);
  }
  return response;
}

async function freshKey(userId, problem) {
  // Extractable only until the person chooses a PIN, which wraps it (pinlock.js `setPin`). A key made
  // because the school stopped the last one is stored saying so at once: a page left before the school
  // answers for the new key must not forget why this phone has no working key.
  const record = { user_id: userId, ...(await generateDeviceKey(true)), ...(problem ? { problem } : {}) };
  await putKey(record);
  return record;
}

/**
 * Make sure the signed-in person has a live registered signing key on this phone.
 *
 * A key the school already knows is registered again (the school answers with its kid, or 409 if
 * it was stopped): that is how the phone learns of a revocation. A key made before the phone kept
 * its public half cannot be checked and is left as it is. One check at a time across this phone's
 * pages: two at once (a page opening as a push finds items kept aside) would each replace a stopped
 * key, registering a second new key that the phone then does not hold. Signing out takes its turn
 * too (`forgetDeviceKey`): a check it waited for cannot put the key back after it is forgotten, and a
 * check that waited for it finds nobody signed in here and does nothing.
 */
export function ensureDeviceKey(user, csrf) {
  return oneAtATime(() => checkKey(user, csrf));
}

function oneAtATime(work) {
  return navigator.locks ? navigator.locks.request("device-key", work) : work();
}

async function checkKey(user, csrf) {
  const session = await getState("session");
  if (!session || session.user.id !== user.id) return;  // signed out on this phone meanwhile
  const known = await getKey(user.id);
  if (known && known.kid && !known.publicJwk) return;
  let record = known && known.publicJwk ? known : await freshKey(user.id);
  let response = await register(record, csrf);
  let stopped = false;
  if (response.status === 409) {  // revoked, or not this person's: a new key, once
    stopped = true;
    record = await freshKey(user.id, STOPPED);
    response = await register(record, csrf);
  }
  if (response.ok) {
    const { kid } = await response.json();
    const { problem, ...rest } = record;
    return putKey({ ...rest, kid });
  }
  if (response.status === 403) {  // outside the minutes after signing in when a key may be set up
    const { kid, ...unregistered } = record;
    return putKey({ ...unregistered, problem: stopped ? STOPPED : record.problem || SIGN_IN_AGAIN });
  }
  return undefined;  // the school could not answer now: try again at the next visit
}

/** Check the signed-in person's key again now (e.g. after the school kept items aside). */
export async function checkDeviceKey() {
  const response = await fetch("/api/session", { credentials: "same-origin", cache: "no-store" });
  if (!response.ok) return;
  const { csrf_token, user } = await response.json();
  await ensureDeviceKey(user, csrf_token);
}

/** Return what stops this person's phone signing what they save, in plain words, or "". */
export async function keyProblem(userId) {
  const record = userId ? await getKey(userId) : null;
  return (record && !record.kid && record.problem) || "";
}

/** Forget this person's signing key on this phone (at sign-out): what it already signed still delivers. */
export function forgetDeviceKey(userId) {
  return oneAtATime(() => withStore("keys", "readwrite", (s) => s.delete(userId)));
}

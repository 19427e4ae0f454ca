// What the head and DSLs last pulled, kept readable offline: encrypted under a key that is wiped
// at sign-out and after the server's idle time without use (SESSION_IDLE_MINUTES), offline too.
import { deleteState, deviceId, getState, putState, waiting } from "outbox";
import { IDLE_MS } from "settings";

async function pullKey(create) {
  const known = await getState("pull-key");
  if (known || !create) return known && known.key;
  const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
  await putState("pull-key", { key });
  return key;
}

/** Wipe the pulled data and its key. */
export async function wipePulled() {
  await deleteState("pull-key");
  await deleteState("pulled");
}

/** Note that the person is using the app now. */
export async function touch() {
  await putState("activity", { at: Date.now() });
}

/** Wipe pulled data if the phone has been idle for the server's idle time; return true if it did. */
export async function wipeIfIdle() {
  const activity = await getState("activity");
  if (activity && Date.now() - activity.at > IDLE_MS) {
    await wipePulled();
    return true;
  }
  return false;
}

/** Return the decrypted pulled records ({type:id → change}) or null when there are none. */
export async function readPulled() {
  const [key, stored] = [await pullKey(false), await getState("pulled")];
  if (!key || !stored) return null;
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: stored.iv }, key, stored.ciphertext);
  return JSON.parse(new TextDecoder().decode(plain));
}

async function writePulled(records, cursor) {
  const key = await pullKey(true);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify(records));
  const ciphertext = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, plain);
  await putState("pulled", { iv, ciphertext, cursor, at: Date.now() });
}

/** Return when the kept copy was last brought up to date (ms since the epoch), or null. */
export async function pulledAt() {
  const stored = await getState("pulled");
  return (stored && stored.at) || null;
}

/** Note that the signed-in person read `kind` `id` from the kept copy; it reaches the audit log at the next sync. */
export async function noteView(kind, id) {
  const session = await getState("session");
  if (!session) return;
  const views = (await getState("offline-views")) || { list: [] };
  views.list.push({ user_id: session.user.id, kind, id, at: new Date().toISOString() });
  await putState("offline-views", views);
}

/** Send the views this person made offline to the audit log; keep them while the server cannot be reached. */
export async function sendViews(user, csrf) {
  const views = (await getState("offline-views")) || { list: [] };
  const mine = views.list.filter((v) => v.user_id === user.id);
  if (!mine.length) return;
  const body = JSON.stringify({ device_id: await deviceId(), views: mine.map(({ kind, id, at }) => ({ kind, id, at })) });
  const response = await fetch("/api/audit/offline-views", { method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf }, body });
  if (response.status !== 200 && response.status !== 400) return;  // a 400 would never be accepted: drop it
  const now = (await getState("offline-views")) || { list: [] };
  await putState("offline-views", { list: now.list.filter((v) => !mine.some((m) => m.at === v.at && m.id === v.id && m.user_id === v.user_id)) });
}

/** Fetch what changed since the last pull and merge it into the encrypted copy.
 *
 * When the server answers with everything (a cursor it no longer holds, as after a restore), the
 * copy is replaced, so a record destroyed meanwhile leaves the phone. A cursor it refuses (400) is
 * dropped and everything pulled once more. */
export async function pull() {
  const stored = await getState("pulled");
  let records = (stored && (await readPulled())) || {};
  const held = await waiting();
  const params = new URLSearchParams({ device_id: await deviceId(), waiting: held.count, oldest: held.oldest || "" });
  if (stored && stored.cursor) params.set("since", stored.cursor);
  let response = await fetch(`/api/sync/pull?${params}`, { credentials: "same-origin", cache: "no-store" });
  if (response.status === 400 && params.has("since")) {
    params.delete("since");
    response = await fetch(`/api/sync/pull?${params}`, { credentials: "same-origin", cache: "no-store" });
  }
  if (!response.ok) return null;
  const body = await response.json();
  if (body.everything) records = {};
  for (const change of body.changes) {
    // no longer this person's to see, or a case closed more than 30 days ago: it leaves the phone
    if (change.removed || (change.type === "concern" && change.data.case === null)) delete records[`${change.type}:${change.id}`];
    else records[`${change.type}:${change.id}`] = change;
  }
  await writePulled(records, body.cursor);
  return records;
}

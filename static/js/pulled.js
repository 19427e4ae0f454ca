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
  await putState("pulled", { iv, ciphertext, cursor });
}

/** Fetch what changed since the last pull and merge it into the encrypted copy. */
export async function pull() {
  const stored = await getState("pulled");
  const records = (stored && (await readPulled())) || {};
  const held = await waiting();
  const params = new URLSearchParams({ device_id: await deviceId(), waiting: held.count, oldest: held.oldest || "" });
  if (stored && stored.cursor) params.set("since", stored.cursor);
  const response = await fetch(`/api/sync/pull?${params}`, { credentials: "same-origin", cache: "no-store" });
  if (!response.ok) return null;
  const body = await response.json();
  for (const change of body.changes) {
    if (change.removed) delete records[`${change.type}:${change.id}`];  // no longer this person's to see
    else records[`${change.type}:${change.id}`] = change;
  }
  await writePulled(records, body.cursor);
  return records;
}

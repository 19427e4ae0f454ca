// A phone left signed in cannot be used to log as its last person. After the idle time (the server's
// SESSION_IDLE_MINUTES) or a tap on "Lock", saving a new item needs that person's PIN, chosen at their
// first sign-in on this phone. The signing key is kept wrapped (AES-GCM) under a key derived from the
// PIN with PBKDF2-SHA-256, 600,000 iterations; while unlocked, a copy that cannot be exported signs.
// Five wrong PINs remove the person's key from the phone; items it already signed still deliver.
import { getState, withStore } from "outbox";
import { IDLE_MS } from "settings";

export const PBKDF2_ITERATIONS = 600000;
export const MAX_TRIES = 5;
const subtle = crypto.subtle;
const ECDSA = { name: "ECDSA", namedCurve: "P-256" };

const getKey = (userId) => withStore("keys", "readonly", (s) => s.get(userId));
const putKey = (record) => withStore("keys", "readwrite", (s) => s.put(record));
const allKeys = () => withStore("keys", "readonly", (s) => s.getAll());

/** Return the problem with a PIN the person chose, in the words shown next to the field, or "". */
export function pinProblem(pin, again) {
  if (!/^\d{4,12}$/.test(pin)) return "Enter 4 to 12 digits.";
  if (/^(\d)\1+$/.test(pin) || "0123456789".includes(pin) || "9876543210".includes(pin)) {
    return "Choose a PIN that is harder to guess than a run or a repeat of one digit.";
  }
  if (again !== undefined && again !== pin) return "The two PINs are not the same.";
  return "";
}

async function wrappingKey(pin, salt) {
  const material = await subtle.importKey("raw", new TextEncoder().encode(pin), "PBKDF2", false, ["deriveKey"]);
  return subtle.deriveKey({ name: "PBKDF2", hash: "SHA-256", salt, iterations: PBKDF2_ITERATIONS },
    material, { name: "AES-GCM", length: 256 }, false, ["wrapKey", "unwrapKey"]);
}

const unwrap = (wrapped, wrapping) => subtle.unwrapKey("pkcs8", wrapped.data, wrapping,
  { name: "AES-GCM", iv: wrapped.iv }, ECDSA, false, ["sign"]);

/** Say whether this person's key waits for a PIN to be chosen (a key made at this sign-in). */
export async function needsNewPin(userId) {
  const record = await getKey(userId);
  return Boolean(record && record.kid && record.privateKey && !record.wrapped);
}

/** Say whether this person's key is locked: it signs nothing until their PIN is entered. */
export function isLocked(record) {
  return Boolean(record && record.wrapped && !record.privateKey);
}

/** Wrap the person's fresh key under their PIN; from now on only a copy that cannot be exported signs. */
export async function setPin(userId, pin) {
  const record = await getKey(userId);
  if (!record || !record.privateKey || record.wrapped) return false;
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const wrapping = await wrappingKey(pin, salt);
  const data = await subtle.wrapKey("pkcs8", record.privateKey, wrapping, { name: "AES-GCM", iv });
  const wrapped = { salt, iv, data };
  await putKey({ ...record, privateKey: await unwrap(wrapped, wrapping), wrapped, tries: 0 });
  return true;
}

/**
 * Unlock the person's key with their PIN. Returns {unlocked: true}, {unlocked: false, left: n} after a
 * wrong PIN, or {unlocked: false, removed: true} when that was the last try and the key is gone.
 */
export async function unlock(userId, pin) {
  const record = await getKey(userId);
  if (!record || !record.wrapped) return { unlocked: false, removed: true };
  try {
    const privateKey = await unwrap(record.wrapped, await wrappingKey(pin, record.wrapped.salt));
    await putKey({ ...record, privateKey, tries: 0 });
    return { unlocked: true };
  } catch (error) {  // AES-GCM refuses a key derived from the wrong PIN
    const tries = (record.tries || 0) + 1;
    if (tries >= MAX_TRIES) {
      await withStore("keys", "readwrite", (s) => s.delete(userId));
      return { unlocked: false, removed: true };
    }
    await putKey({ ...record, tries });
    return { unlocked: false, left: MAX_TRIES - tries };
  }
}

/** Lock every key on this phone. A key whose person never chose a PIN cannot be locked: it is removed. */
export async function lockAll() {
  for (const record of await allKeys()) {
    if (record.wrapped) {
      const { privateKey, ...locked } = record;
      await putKey(locked);
    } else {
      await withStore("keys", "readwrite", (s) => s.delete(record.user_id));
    }
  }
}

/** Lock every key when the phone has gone unused for the idle time; return true if it did. */
export async function lockIfIdle() {
  const activity = await getState("activity");
  if (activity && Date.now() - activity.at > IDLE_MS) {
    await lockAll();
    return true;
  }
  return false;
}

/** Say whether any key on this phone has a PIN (so a "Lock" button means something). */
export async function anyPin() {
  return (await allKeys()).some((record) => record.wrapped);
}

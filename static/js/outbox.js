// The outbox on this phone: sealed items wait in IndexedDB until the server acknowledges them.
// Used by pages and by the service worker, so it imports nothing and touches no DOM.

const DB_NAME = "safeguarding";
const FINAL = new Set(["stored", "duplicate", "conflict", "quarantined", "returned"]);
const BATCH = 100;
const BATCH_BYTES = 4 * 1024 * 1024;  // big sealed pictures travel in smaller pushes, alone if need be

let dbPromise = null;

/** Open (and create on first use) the phone's database. */
export function openDb() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        const db = request.result;
        db.createObjectStore("outbox", { keyPath: "id" });
        db.createObjectStore("keys", { keyPath: "user_id" });
        db.createObjectStore("state", { keyPath: "name" });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => { dbPromise = null; reject(request.error); };
    });
  }
  return dbPromise;
}

/** Run fn(store) in one transaction; resolve with fn's result once the transaction commits. */
export async function withStore(name, mode, fn) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(name, mode);
    let result;
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new DOMException("Transaction aborted", "AbortError"));
    const answer = fn(tx.objectStore(name));
    if (answer && "onsuccess" in answer) answer.onsuccess = () => { result = answer.result; };
    else result = answer;
  });
}

/** Read one record of the state store (or undefined). */
export function getState(name) {
  return withStore("state", "readonly", (s) => s.get(name));
}

/** Write one record of the state store. */
export function putState(name, value) {
  return withStore("state", "readwrite", (s) => s.put({ ...value, name }));
}

export function deleteState(name) {
  return withStore("state", "readwrite", (s) => s.delete(name));
}

/** Return this phone's id, making one on first use. */
export async function deviceId() {
  const known = await getState("device");
  if (known) return known.device_id;
  const device_id = crypto.randomUUID();
  await putState("device", { device_id });
  return device_id;
}

/** Learn how far this phone's clock is from the server's (its `server_time`, else the Date header). */
export async function noteServerClock(response, sentAt, serverTime = null) {
  const server = Date.parse(serverTime || response.headers.get("Date") || "");
  if (Number.isNaN(server)) return;
  // Both are whole seconds, so the middle of that second; the answer left in the middle of the round trip.
  await putState("clock", { offset_ms: server + 500 - (sentAt + Date.now()) / 2 });
}

/** Tell every page of this app (and the worker) that the outbox, or what it came to, changed. */
export function announce() {
  if (typeof BroadcastChannel === "undefined") return;
  const channel = new BroadcastChannel("outbox");
  channel.postMessage("changed");
  channel.close();
}

/** Call fn whenever the outbox changes, in this page or another, or in the worker. */
export function onOutboxChange(fn) {
  if (typeof BroadcastChannel !== "undefined") new BroadcastChannel("outbox").onmessage = () => fn();
}

/** Keep a sealed item; rejects (e.g. QuotaExceededError) if the phone cannot store it. */
export async function addItem(item) {
  const { id, kind, created_at, sealed, signed } = item;
  await withStore("outbox", "readwrite", (s) => s.add({ id, kind, created_at, sealed, signed }));
  announce();
}

/** Return every waiting item, oldest first. */
export async function allItems() {
  const items = await withStore("outbox", "readonly", (s) => s.getAll());
  return items.sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/** Return how many items wait and when the oldest was made. */
export async function waiting() {
  const items = await allItems();
  return { count: items.length, oldest: items.length ? items[0].created_at : null };
}

async function removeItems(ids) {
  await withStore("outbox", "readwrite", (s) => { ids.forEach((id) => s.delete(id)); });
  if (ids.length) announce();
}

async function postBatch(batch, csrf, device_id, remaining) {
  const sentAt = Date.now();
  const response = await fetch("/api/sync/push", {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify({ device_id, waiting: remaining, items: batch }),
  });
  if (response.status === 401) return { unauthorised: true };
  await noteServerClock(response, sentAt);
  if (response.status === 413) return { tooBig: true };  // nothing was accepted: send fewer at once
  // 429 (too much kept aside today), 503 (the server's own trouble): every item stays, to send later.
  if (!response.ok) throw new Error(`The server answered ${response.status}`);
  const body = await response.json();
  const done = body.results.filter((r) => FINAL.has(r.status)).map((r) => r.id);
  await removeItems(done);
  const setAside = body.results.filter((r) => r.status === "quarantined" || r.status === "conflict").length;
  const returned = body.results.filter((r) => r.status === "returned").length;
  return { done: done.length, setAside, returned, delivered: deliveredOf(batch, body.results) };
}

/** Return {id, kind, number} for each item of the batch the school now has (stored, or had already). */
function deliveredOf(batch, results) {
  const kinds = new Map(batch.map((item) => [item.id, item.kind]));
  const found = new Map();
  for (const r of results) {
    if (r.status !== "stored" && r.status !== "duplicate") continue;
    const number = Number.isInteger(r.number) ? r.number : null;
    if (!found.has(r.id) || number !== null) found.set(r.id, { id: r.id, kind: kinds.get(r.id), number });
  }
  return [...found.values()];
}

const RECENT = 50;

/** Remember what this push delivered: `delivered` until a page has told its person, `sync` for good. */
async function noteDelivered(delivered) {
  const at = new Date().toISOString();
  const unseen = await getState("delivered");
  const sync = await getState("sync");
  const recent = [...((sync && sync.recent) || []), ...delivered].slice(-RECENT);
  await putState("sync", { last_success: at, delivered, recent });
  if (delivered.length) await putState("delivered", { items: [...((unseen && unseen.items) || []), ...delivered] });
}

/** Take (and forget) what was delivered since a page last told its person. */
export async function takeDelivered() {
  const unseen = await getState("delivered");
  if (!unseen) return [];
  await deleteState("delivered");
  return unseen.items;
}

function nextBatch(items, start, most) {
  const batch = [items[start]];
  let bytes = items[start].sealed.length;
  for (let i = start + 1; i < items.length && batch.length < most; i++) {
    bytes += items[i].sealed.length;
    if (bytes > BATCH_BYTES) break;
    batch.push(items[i]);
  }
  return batch;
}

async function pushLocked(onProgress) {
  const items = await allItems();
  if (!items.length) return { status: "ok", sent: 0, remaining: 0 };
  const sentAt = Date.now();
  const session = await fetch("/api/session", { credentials: "same-origin", cache: "no-store" });
  if (session.status === 401) return { status: "unauthorised", sent: 0, remaining: items.length };
  if (!session.ok) throw new Error(`The server answered ${session.status}`);
  const { csrf_token, server_time } = await session.json();
  await noteServerClock(session, sentAt, server_time);
  const device_id = await deviceId();
  const done = { sent: 0, setAside: 0, returned: 0, delivered: [] };
  try {
    if (!(await postAll(items, csrf_token, device_id, done, onProgress))) {
      return { status: "unauthorised", sent: done.sent, remaining: items.length - done.sent };
    }
  } finally {  // what did reach the school is told, even if a later push failed
    await noteOutcome(done);
  }
  return { status: "ok", ...done, remaining: (await waiting()).count };
}

/** Push the items in batches, adding to `done`; return false if the session ended on the way. */
async function postAll(items, csrf, device_id, done, onProgress) {
  let most = BATCH;
  for (let i = 0; i < items.length;) {
    const batch = nextBatch(items, i, most);
    onProgress(i + batch.length, items.length);
    const left = items.slice(i);
    const answer = await postBatch(batch, csrf, device_id, { count: left.length, oldest: left[0].created_at });
    if (answer.unauthorised) return false;
    if (answer.tooBig) {  // halve the batch down to one item; one too big alone stays here and is skipped
      if (batch.length > 1) most = Math.ceil(batch.length / 2);
      else i += 1;
      continue;
    }
    done.sent += answer.done;
    done.setAside += answer.setAside;
    done.returned += answer.returned;
    done.delivered.push(...answer.delivered);
    i += batch.length;
  }
  return true;
}

/**
 * Keep what a push came to for whichever page looks next: the worker may have been the one to send.
 * Items the school returned to correct are counted by the server (GET /api/sync/returned), not here.
 */
async function noteOutcome({ sent, setAside, delivered }) {
  if (!sent) return;
  await noteDelivered(delivered);
  if (setAside) {
    const before = await getState("aside");
    await putState("aside", { count: (before ? before.count : 0) + setAside });
  }
  announce();  // pages show what was delivered, and "This phone" its last sending
}

/** Send everything waiting, one push at a time across pages and the service worker. */
export async function pushAll(onProgress = () => {}) {
  if (navigator.locks) {
    return navigator.locks.request("outbox-push", () => pushLocked(onProgress));
  }
  return pushLocked(onProgress);
}

// The outbox on this phone: sealed items wait in IndexedDB until the server acknowledges them.
// Used by pages and by the service worker, so it imports nothing and touches no DOM.

const DB_NAME = "safeguarding";
const SCHOOL_PHONE_DB = "school-phone";  // an enrolled school phone's own key and concerns, apart from people's
const FINAL = new Set(["stored", "duplicate", "conflict", "quarantined", "returned"]);
const BATCH = 100;
const BATCH_BYTES = 4 * 1024 * 1024;  // big sealed pictures travel in smaller pushes, alone if need be

const opened = new Map();  // database name -> the promise of it, open

/** Open (and create on first use) one of this app's databases; `create(db)` makes its stores. */
function openDatabase(name, create) {
  if (!opened.has(name)) {
    opened.set(name, new Promise((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => create(request.result);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => { opened.delete(name); reject(request.error); };
    }));
  }
  return opened.get(name);
}

/** Open (and create on first use) the phone's database. */
export function openDb() {
  return openDatabase(DB_NAME, (db) => {
    db.createObjectStore("outbox", { keyPath: "id" });
    db.createObjectStore("keys", { keyPath: "user_id" });
    db.createObjectStore("state", { keyPath: "name" });
  });
}

/** Open (and create on first use) the school phone's database: `phone` (its enrolment, its last push) and `outbox`. */
export function openSchoolPhoneDb() {
  return openDatabase(SCHOOL_PHONE_DB, (db) => {
    db.createObjectStore("phone", { keyPath: "name" });
    db.createObjectStore("outbox", { keyPath: "id" });
  });
}

/** Run fn(store) in one transaction of the database `open` opens; resolve with fn's result once it commits. */
async function inStore(open, name, mode, fn) {
  const db = await open();
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

/** Run fn(store) in one transaction of the phone's database; resolve with fn's result once it commits. */
export function withStore(name, mode, fn) {
  return inStore(openDb, name, mode, fn);
}

/** Run fn(store) in one transaction of the school phone's database, as withStore does. */
export function withSchoolPhoneStore(name, mode, fn) {
  return inStore(openSchoolPhoneDb, name, mode, fn);
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

/** Keep a sealed item in an outbox (`store`: withStore or withSchoolPhoneStore); rejects if the phone cannot. */
async function keep(store, item) {
  const { id, kind, created_at, sealed, signed } = item;
  await store("outbox", "readwrite", (s) => s.add({ id, kind, created_at, sealed, signed }));
  announce();
}

/** Return every item waiting in an outbox, oldest first. */
async function oldestFirst(store) {
  const items = await store("outbox", "readonly", (s) => s.getAll());
  return items.sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/** Keep a sealed item; rejects (e.g. QuotaExceededError) if the phone cannot store it. */
export function addItem(item) { return keep(withStore, item); }

/** Return every waiting item, oldest first. */
export function allItems() { return oldestFirst(withStore); }

/** Return how many items wait and when the oldest was made. */
export async function waiting() {
  const items = await allItems();
  return { count: items.length, oldest: items.length ? items[0].created_at : null };
}

/**
 * Where a push goes. A person's items go with their session and CSRF token, and a 401 stops the
 * push (sign in again); an enrolled school phone's go with no session, signed by the phone's own
 * key, and a 403 stops it (the phone is not enrolled, or no longer). Either way nothing is lost.
 */
function personRoute(csrf) {
  return { url: "/api/sync/push", credentials: "same-origin", headers: { "X-CSRFToken": csrf }, stop: 401, store: withStore };
}
const SCHOOL_PHONE_ROUTE = { url: "/api/sync/push-from-school-phone", credentials: "omit", headers: {}, stop: 403,
  store: withSchoolPhoneStore };

async function removeItems(route, ids) {
  await route.store("outbox", "readwrite", (s) => { ids.forEach((id) => s.delete(id)); });
  if (ids.length) announce();
}

async function postBatch(batch, route, device_id, remaining) {
  const sentAt = Date.now();
  const response = await fetch(route.url, {
    method: "POST", credentials: route.credentials,
    headers: { "Content-Type": "application/json", ...route.headers },
    body: JSON.stringify({ device_id, waiting: remaining, items: batch }),
  });
  if (response.status === route.stop) return { stopped: (await response.json().catch(() => ({}))).error || "" };
  await noteServerClock(response, sentAt);
  if (response.status === 413) return { tooBig: true };  // nothing was accepted: send fewer at once
  // 429 for too much kept aside today: nothing was taken, but the items that keep nothing aside may go
  // in smaller pushes, so one unreadable item cannot hold back a good one until tomorrow.
  if (response.status === 429 && ((await response.clone().json().catch(() => ({}))).errors || {}).items) {
    return { overCap: true };
  }
  // 429 (too many pushes), 503 (the server's own trouble): every item stays.
  if (!response.ok) throw new Error(`The server answered ${response.status}`);
  const body = await response.json();
  const done = body.results.filter((r) => FINAL.has(r.status)).map((r) => r.id);
  await removeItems(route, done);
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
  const done = { sent: 0, setAside: 0, returned: 0, delivered: [], tooBig: 0, overCap: 0 };
  try {
    if (await postAll(items, personRoute(csrf_token), device_id, done, onProgress)) {
      return { status: "unauthorised", sent: done.sent, remaining: items.length - done.sent };
    }
  } finally {  // what did reach the school is told, even if a later push failed
    await noteOutcome(done);
  }
  return { status: "ok", ...done, remaining: (await waiting()).count };
}

/** Push the items in batches, adding to `done`; return the stopping answer if the route refused on the way. */
async function postAll(items, route, device_id, done, onProgress) {
  let most = BATCH;
  for (let i = 0; i < items.length;) {
    const batch = nextBatch(items, i, most);
    onProgress(i + batch.length, items.length);
    const left = items.slice(i);
    const answer = await postBatch(batch, route, device_id, { count: left.length, oldest: left[0].created_at });
    if ("stopped" in answer) return answer;
    if (answer.tooBig || answer.overCap) {  // halve the batch down to one item; one refused alone stays and is skipped
      if (batch.length > 1) most = Math.ceil(batch.length / 2);
      else { i += 1; done[answer.tooBig ? "tooBig" : "overCap"] += 1; }
      continue;
    }
    done.sent += answer.done;
    done.setAside += answer.setAside;
    done.returned += answer.returned;
    done.delivered.push(...answer.delivered);
    i += batch.length;
  }
  return null;
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

/** Keep a school phone's sealed concern, signed by its own key; rejects if the phone cannot store it. */
export function addSchoolPhoneItem(item) { return keep(withSchoolPhoneStore, item); }

/** Return the concerns waiting on this school phone, oldest first. */
export function schoolPhoneItems() { return oldestFirst(withSchoolPhoneStore); }

/** Return what the school phone's last push could not deliver and why: {not_enrolled, too_big}, or undefined. */
export function schoolPhoneLastPush() {
  return withSchoolPhoneStore("phone", "readonly", (s) => s.get("last-push"));
}

/** Send the concerns waiting on this school phone, with nobody's session; what reaches the school is told as any item. */
async function pushSchoolPhone() {
  const items = await schoolPhoneItems();
  if (!items.length) return { sent: 0, remaining: 0 };
  const done = { sent: 0, setAside: 0, returned: 0, delivered: [], tooBig: 0, overCap: 0 };
  let stopped = null;
  try {
    stopped = await postAll(items, SCHOOL_PHONE_ROUTE, await deviceId(), done, () => {});
  } finally {
    await noteOutcome(done);
  }
  await withSchoolPhoneStore("phone", "readwrite", (s) => s.put({ name: "last-push", at: new Date().toISOString(),
    not_enrolled: stopped ? stopped.stopped : null, too_big: done.tooBig }));
  announce();
  return { sent: done.sent, remaining: (await schoolPhoneItems()).length };
}

/** Push the person's outbox, then the school phone's, even when the first could not finish. */
async function pushBoth(onProgress) {
  let person, schoolPhone;
  try {
    person = await pushLocked(onProgress);
  } finally {
    schoolPhone = await pushSchoolPhone();
  }
  return { ...person, schoolPhone };
}

/**
 * Send everything waiting, one push at a time across pages and the service worker: the signed-in
 * person's outbox, then an enrolled school phone's concerns (which need nobody signed in).
 */
export async function pushAll(onProgress = () => {}) {
  if (navigator.locks) {
    return navigator.locks.request("outbox-push", () => pushBoth(onProgress));
  }
  return pushBoth(onProgress);
}

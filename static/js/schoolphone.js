// An enrolled school phone: its own signing key, the staff names it offers, and concerns logged on it
// by someone who is not signed in. Kept in a database of its own, apart from the people's outbox:
// these items go to /api/sync/push-from-school-phone, which needs no session, only the phone's signature.
import { generateDeviceKey, sealAndSign, sign } from "envelope";
import { deviceId, noteServerClock } from "outbox";
import { loadClock, schoolNow, stamp } from "clock";
import { problemsOf } from "checks";
import { payloadOf, showErrors, showProblems } from "forms";

const DB_NAME = "school-phone";
const FINAL = new Set(["stored", "duplicate", "conflict", "quarantined", "returned"]);
const BATCH = 10;
const RETRY_MIN = 2000, RETRY_MAX = 5 * 60 * 1000;
const SAVED = "Saved on this phone — will send when connected";
const dirty = new WeakSet();  // a form with typing not yet kept: leaving asks first
let dbPromise = null, retryDelay = RETRY_MIN, retryTimer = null, lastProblem = null;

function openDb() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore("phone", { keyPath: "name" });
        request.result.createObjectStore("outbox", { keyPath: "id" });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => { dbPromise = null; reject(request.error); };
    });
  }
  return dbPromise;
}

async function withStore(name, mode, fn) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(name, mode);
    let result;
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new DOMException("Transaction aborted", "AbortError"));
    const answer = fn(tx.objectStore(name));
    if (answer && "onsuccess" in answer) answer.onsuccess = () => { result = answer.result; };
  });
}

/** Return what this phone knows of its enrolment (key, label, staff names, sealing key), or undefined. */
export function enrolment() {
  return withStore("phone", "readonly", (s) => s.get("enrolment"));
}

function keepEnrolment(value) {
  return withStore("phone", "readwrite", (s) => s.put({ ...value, name: "enrolment" }));
}

/** Return the concerns waiting on this phone, oldest first. */
export async function waitingItems() {
  const items = await withStore("outbox", "readonly", (s) => s.getAll());
  return items.sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/** Make this phone's key and register it to a device on the register (an administrator, signed in). */
export async function enrol(schoolDeviceId, csrf) {
  const { privateKey, publicJwk } = await generateDeviceKey();
  const sentAt = Date.now();
  const response = await fetch("/api/school-phones/enrol", {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify({ school_device_id: schoolDeviceId, device_id: await deviceId(), public_key: publicJwk }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `The server answered ${response.status}.`);
  await noteServerClock(response, sentAt, body.server_time);
  await keepEnrolment({ privateKey, kid: body.kid, label: body.label, staff: body.staff,
    sealing_key: body.sealing_key, ended: null });
  return body;
}

/** Fetch the staff names again (and the sealing key), proving who asks by the phone's signature. */
export async function refreshStaff() {
  const known = await enrolment();
  if (!known || !navigator.onLine) return known;
  await loadClock();
  const proof = await sign({ purpose: "staff-list", at: stamp() }, known.privateKey, known.kid);
  const sentAt = Date.now();
  const response = await fetch("/api/school-phones/staff", {
    method: "POST", credentials: "omit", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ proof }),
  });
  const body = await response.json().catch(() => ({}));
  if (response.status === 403) {
    await keepEnrolment({ ...known, ended: body.error });
  } else if (response.ok) {
    await noteServerClock(response, sentAt, body.server_time);
    await keepEnrolment({ ...known, staff: body.staff, label: body.label, sealing_key: body.sealing_key, ended: null });
  }
  return enrolment();
}

async function postBatch(batch, device_id, remaining) {
  const response = await fetch("/api/sync/push-from-school-phone", {
    method: "POST", credentials: "omit", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ device_id, waiting: remaining, items: batch }),
  });
  const body = await response.json().catch(() => ({}));
  if (response.status === 403) { lastProblem = body.error; return null; }
  if (response.status === 413) return "too big";
  if (!response.ok) throw new Error(`The server answered ${response.status}`);
  const done = body.results.filter((r) => FINAL.has(r.status)).map((r) => r.id);
  await withStore("outbox", "readwrite", (s) => { done.forEach((id) => s.delete(id)); });
  return body.results.filter((r) => r.status === "quarantined" || r.status === "conflict").length;
}

async function sendLocked() {
  const items = await waitingItems();
  const device_id = await deviceId();
  let aside = 0, size = BATCH;
  lastProblem = null;
  for (let i = 0; i < items.length;) {
    const left = items.slice(i);
    const setAside = await postBatch(items.slice(i, i + size), device_id,
      { count: left.length, oldest: left[0].created_at });
    if (setAside === null) break;
    if (setAside === "too big") {  // one at a time; one too big even alone stays here and the rest go
      if (size > 1) { size = 1; continue; }
      lastProblem = "A concern with very large pictures is too big to send: it stays on this phone. Tell a DSL in person.";
    } else {
      aside += setAside;
    }
    i += size;
  }
  return aside;
}

/** Send what waits on this phone now; on failure try again later, backing off to a cap. */
export async function sendWaiting() {
  clearTimeout(retryTimer);
  if (!(await waitingItems()).length) return showWaiting();
  if (!navigator.onLine) return showWaiting();
  try {
    const aside = navigator.locks ? await navigator.locks.request("school-phone-push", sendLocked) : await sendLocked();
    retryDelay = RETRY_MIN;
    if (aside) lastProblem = `${aside} concern${aside === 1 ? "" : "s"} reached the school but could not be accepted as sent: kept aside for a DSL. If it matters, tell a DSL in person.`;
  } catch (error) {
    retryTimer = setTimeout(sendWaiting, retryDelay);
    retryDelay = Math.min(retryDelay * 2, RETRY_MAX);
  }
  return showWaiting();
}

async function showWaiting() {
  const line = document.querySelector("[data-school-phone-waiting]");
  if (!line) return;
  const count = (await waitingItems()).length;
  const waitingText = count ? `${count} concern${count === 1 ? "" : "s"} waiting on this phone to send.` : "";
  line.textContent = [lastProblem, waitingText].filter(Boolean).join(" ") || (line.textContent ? "Everything sent." : "");
  document.querySelectorAll("[data-saved-note]").forEach((n) => {
    if (!count) n.textContent = "Saved on this phone and sent.";
  });
}

function whoProblem(form, known) {
  const typed = form.elements.logged_by_typed.value.trim();
  const picked = known.staff.find((p) => String(p.id) === form.elements.logged_by_pick.value);
  if (!typed && !picked) return { problem: { id: "logged-by-pick", message: "Choose your name, or type it." } };
  return { who: typed ? { user_id: null, name: typed } : { user_id: picked.id, name: picked.name } };
}

async function keepConcern(form, known, who) {
  const payload = await payloadOf(form);
  delete payload.logged_by_pick;
  delete payload.logged_by_typed;
  payload.logged_by = who;
  await loadClock();
  const item = await sealAndSign({ id: crypto.randomUUID(), kind: "concern", created_at: stamp(), payload },
    known.sealing_key, known.privateKey, known.kid);
  const { id, kind, created_at, sealed, signed } = item;
  await withStore("outbox", "readwrite", (s) => s.add({ id, kind, created_at, sealed, signed }));
}

async function onSubmit(event) {
  const form = event.currentTarget;
  event.preventDefault();
  form.parentElement.querySelectorAll("[data-error-summary], [data-saved-note]").forEach((n) => n.remove());
  const known = await enrolment();
  const { problem, who } = whoProblem(form, known);
  const problems = [...(problem ? [problem] : []), ...problemsOf(form)];
  if (problems.length) return showProblems(form, problems);
  try {
    await keepConcern(form, known, who);
  } catch (error) {
    const message = error.name === "QuotaExceededError"
      ? "This phone is out of storage space, so nothing was saved. Your typing is still here: free some space and try again."
      : error.message || "This could not be saved on the phone. Your typing is still here.";
    return showErrors(form, [{ id: form.elements[0].id, message }]);
  }
  form.reset();
  const note = Object.assign(document.createElement("div"), { className: "notice notice-success saved-on-phone", textContent: SAVED });
  note.setAttribute("role", "status");
  note.dataset.savedNote = "";
  form.before(note);
  note.scrollIntoView({ block: "nearest" });
  await showWaiting();
  sendWaiting();
  return true;
}

function fillStaff(form, known) {
  const select = form.elements.logged_by_pick;
  const chosen = select.value;
  select.replaceChildren(new Option("Choose your name", ""), ...known.staff.map((p) => new Option(p.name, String(p.id))));
  select.value = chosen;
  const label = document.querySelector("[data-phone-label]");
  if (label) label.textContent = `This is ${known.label}.`;
}

async function startForm(form) {
  let known = await enrolment();
  if (known && navigator.onLine) known = await refreshStaff().catch(() => known);
  if (!known || known.ended) {
    const note = document.querySelector("[data-not-enrolled]");
    if (known) note.textContent = known.ended;
    note.hidden = false;
    return;
  }
  fillStaff(form, known);
  form.hidden = false;
  form.addEventListener("submit", async (event) => { if (await onSubmit(event)) dirty.delete(form); });
  form.addEventListener("input", () => dirty.add(form));
  window.addEventListener("beforeunload", (event) => {
    if (dirty.has(form)) { event.preventDefault(); event.returnValue = ""; }
  });
  const fillNow = () => form.querySelectorAll("[data-default-now]").forEach((el) => { el.value = schoolNow(); });
  await loadClock();
  fillNow();
  form.addEventListener("reset", () => setTimeout(fillNow));
  window.addEventListener("online", async () => { fillStaff(form, (await refreshStaff()) || known); });
}

function startEnrol(panel) {
  const status = panel.querySelector("[data-enrol-status]");
  panel.querySelector("[data-enrol-button]").addEventListener("click", async (event) => {
    event.currentTarget.disabled = true;
    status.textContent = "Enrolling this phone…";
    try {
      const { label } = await enrol(Number(panel.dataset.schoolDeviceId), panel.dataset.csrf);
      status.textContent = `This phone is now enrolled as ${label}. Sign out: anyone can then log a concern on it.`;
    } catch (error) {
      status.textContent = `This phone could not be enrolled: ${error.message}`;
      event.currentTarget.disabled = false;
    }
  });
}

async function start() {
  const panel = document.querySelector("[data-enrol]");
  if (panel) startEnrol(panel);
  const form = document.querySelector("form[data-school-phone-form]");
  if (form) await startForm(form);
  const link = document.querySelector("[data-school-phone-link]");
  const known = await enrolment();
  if (link && known) link.hidden = false;
  if (!form && known && navigator.onLine) await refreshStaff().catch(() => {});
  window.addEventListener("online", sendWaiting);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") sendWaiting(); });
  await sendWaiting();
}

start();

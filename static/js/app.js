// Progressive enhancement for every page: the service worker, the outbox badge, sending, signing out.
// Every page works without this script while online.
import { generateDeviceKey } from "envelope";
import { deleteState, deviceId, getState, pushAll, putState, waiting, withStore } from "outbox";
import { enhanceForms } from "forms";
import { pull, touch, wipeIfIdle, wipePulled } from "pulled";
import "quickhide";

document.documentElement.classList.add("js");

const summary = document.querySelector("[data-error-summary]");
if (summary) summary.focus();

const bar = document.getElementById("phone-status");
const statusText = bar && bar.querySelector("[data-outbox-status]");
const RETRY_MIN = 2000, RETRY_MAX = 5 * 60 * 1000;
let retryDelay = RETRY_MIN, retryTimer = null, signInNeeded = false, sentHere = false, asideMessage = null;

function time(iso) {
  return new Date(iso).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

function say(text, show = true) {
  if (!bar) return;
  bar.hidden = !show;
  statusText.textContent = text;
}

/** Show how many items wait on this phone, and since when. */
export async function showWaiting() {
  const aside = await getState("aside");
  if (aside) {  // shown on this page until the person sends again
    await deleteState("aside");
    const n = aside.count;
    asideMessage = `${n} item${n === 1 ? "" : "s"} reached the school but could not be accepted as sent: ` +
      "kept aside for a DSL to check. If it matters, tell a DSL in person.";
  }
  if (asideMessage) return say(asideMessage);
  const { count, oldest } = await waiting();
  if (signInNeeded && count) return say(`Sign in to send ${count} item${count === 1 ? "" : "s"}`);
  if (count) return say(`${count} item${count === 1 ? "" : "s"} waiting to send, since ${time(oldest)}`);
  const sync = await getState("sync");
  // With nothing waiting the bar stays out of the way, unless something was just sent from this page.
  say(sync ? `Everything sent. Last sent at ${time(sync.last_success)}` : "Nothing waiting to send", sentHere);
}

function throttle(fn, ms) {
  let last = 0;
  return () => { if (Date.now() - last > ms) { last = Date.now(); fn(); } };
}

function scheduleRetry() {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(syncNow, retryDelay);
  retryDelay = Math.min(retryDelay * 2, RETRY_MAX);
}

/** Send what is waiting now; on failure retry later with capped backoff. */
export async function syncNow() {
  if (!navigator.onLine) { await showWaiting(); return scheduleRetry(); }
  try {
    const result = await pushAll((done, total) => { sentHere = true; say(`Sending ${done} of ${total}`); });
    signInNeeded = result.status === "unauthorised";
    retryDelay = RETRY_MIN;
    if (result.remaining && !signInNeeded) scheduleRetry();
  } catch (error) {
    scheduleRetry();
  }
  await showWaiting();
  if (!(await waiting()).count) {
    document.querySelectorAll("[data-saved-note]").forEach((n) => { n.textContent = "Saved on this phone and sent."; });
  }
}

async function ensureDeviceKey(user, csrf) {
  const known = await withStore("keys", "readonly", (s) => s.get(user.id));
  if (known && known.kid) return;
  const key = known || { user_id: user.id, ...(await generateDeviceKey()) };
  await withStore("keys", "readwrite", (s) => s.put(key));
  const body = JSON.stringify({ device_id: await deviceId(), public_key: key.publicJwk });
  const post = (token) => fetch("/api/devices/keys", { method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": token }, body });
  let response = await post(csrf);
  if (response.status === 400) {  // a token from just before the session changed: fetch a fresh one once
    const fresh = await fetch("/api/session", { credentials: "same-origin", cache: "no-store" });
    if (fresh.ok) response = await post((await fresh.json()).csrf_token);
  }
  if (response.ok) {
    const { kid } = await response.json();
    await withStore("keys", "readwrite", (s) => s.put({ user_id: user.id, privateKey: key.privateKey, kid }));
  }
}

/** Learn who is signed in and the server's sealing key; set up this person's signing key. */
async function refreshSession() {
  const response = await fetch("/api/session", { credentials: "same-origin", cache: "no-store" });
  if (response.status === 401) return null;
  if (!response.ok) return undefined;
  const { csrf_token, ...session } = await response.json();
  await putState("session", session);
  await ensureDeviceKey(session.user, csrf_token);
  tellWorker({ type: "refresh-shells" });
  const roles = session.user.roles;
  if (roles.includes("dsl") || roles.includes("head")) await pull();
  return session;
}

/** Post a form with a CSRF token fetched now, so a session that changed since the page loaded still matches. */
async function submitWithFreshToken(form) {
  try {
    const response = await fetch("/api/session", { credentials: "same-origin", cache: "no-store" });
    if (response.ok) form.elements.csrf_token.value = (await response.json()).csrf_token;
  } catch (error) { /* keep the page's own token */ }
  form.submit();
}

async function signOut(event) {
  const form = event.currentTarget;
  event.preventDefault();
  const session = await getState("session");
  await wipePulled();
  await deleteState("session");
  await tellWorker({ type: "sign-out" });
  const { count } = await waiting();
  sessionStorage.setItem("waiting-after-sign-out", String(count));
  if (navigator.onLine) return submitWithFreshToken(form);
  await putState("pending-sign-out", { at: Date.now(), user_id: session && session.user.id });
  document.querySelectorAll("[data-signed-in]").forEach((header) => { header.hidden = true; });
  document.querySelectorAll("main form[data-outbox]").forEach((f) => { f.hidden = true; });
  say(`Signed out on this phone. ${count} item${count === 1 ? "" : "s"} still waiting: they will be sent after the next sign-in.`);
}

/** Send a message to the active service worker, whether or not it controls this page yet. */
async function tellWorker(message) {
  if (!("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.getRegistration();
  if (registration && registration.active) registration.active.postMessage(message);
}

function watchForUpdates(registration) {
  const banner = document.getElementById("update-ready");
  const offer = (worker) => {
    if (!banner || !worker) return;
    banner.hidden = false;
    banner.querySelector("[data-update-now]").onclick = () => worker.postMessage({ type: "skip-waiting" });
  };
  if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
    });
  });
  let reloaded = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (banner && !banner.hidden && !reloaded) { reloaded = true; location.reload(); }
  });
}

async function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "shells-ready") document.documentElement.dataset.offlineForms = event.data.count;
  });
  const registration = await navigator.serviceWorker.register("/service-worker.js", { scope: "/", type: "module" });
  watchForUpdates(registration);
  // A page that loaded while the worker was still activating is not yet controlled: ask to be.
  const ready = await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller && ready.active) ready.active.postMessage({ type: "claim" });
}

function noteSignedOutWaiting() {
  const count = sessionStorage.getItem("waiting-after-sign-out");
  if (count === null) return;
  sessionStorage.removeItem("waiting-after-sign-out");
  if (Number(count)) say(`${count} item${count === "1" ? "" : "s"} still waiting on this phone: they will be sent after the next sign-in.`);
}

/** Finish a sign-out that was made offline, now that the server can be told. */
async function finishOfflineSignOut() {
  const form = document.querySelector("form[data-sign-out]");
  const pending = await getState("pending-sign-out");
  if (!pending || !navigator.onLine || !form) return false;
  const response = await fetch("/api/session", { credentials: "same-origin", cache: "no-store" });
  if (!response.ok && response.status !== 401) return false;
  await deleteState("pending-sign-out");
  const current = response.ok ? await response.json() : null;
  const still = current && current.user.id === pending.user_id;
  if (still) { form.elements.csrf_token.value = current.csrf_token; form.submit(); }
  return still;
}

/** On a page kept on the phone, show the sign-out button only while someone is signed in here. */
async function showWhoIsSignedIn() {
  const header = document.querySelector("[data-kept-on-phone]");
  if (header) header.hidden = !(await getState("session"));
}

async function start() {
  // Someone signed out here with no signal: show nothing of their session until the server has ended it.
  if (navigator.onLine && (await getState("pending-sign-out"))) {
    document.body.hidden = true;
    if (await finishOfflineSignOut()) return;
    document.body.hidden = false;
  }
  registerWorker().catch(() => {});
  await wipeIfIdle();  // pulled data only: capture keeps working offline after a long quiet spell
  await showWhoIsSignedIn();
  await touch();
  document.addEventListener("click", touch, { passive: true });
  document.addEventListener("keydown", throttle(touch, 30000), { passive: true });
  enhanceForms(async () => {
    await showWaiting();
    if (!navigator.onLine && navigator.serviceWorker && "SyncManager" in window) {
      const registration = await navigator.serviceWorker.ready;
      registration.sync.register("outbox").catch(() => {});
    }
    syncNow();
  });
  document.querySelectorAll("form[data-sign-out]").forEach((f) => f.addEventListener("submit", signOut));
  if (bar) bar.querySelector("[data-sync-now]").addEventListener("click", () => { asideMessage = null; syncNow(); });
  window.addEventListener("online", syncNow);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") syncNow(); });
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
  setInterval(wipeIfIdle, 60 * 1000);
  await showWaiting();
  noteSignedOutWaiting();
  if (navigator.onLine && document.querySelector("[data-signed-in]:not([data-kept-on-phone])")) {
    await refreshSession().catch(() => {});
  }
  await syncNow();
}

start();

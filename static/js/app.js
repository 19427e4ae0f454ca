// Progressive enhancement for every page: who is signed in, sending, signing out.
// Every page works without this script while online.
import { deleteState, getState, noteServerClock, putState, waiting } from "outbox";
import { loadClock } from "clock";
import { enhanceForms, refreshDefaults } from "forms";
import { ensureDeviceKey, forgetDeviceKey } from "devicekey";
import { pull, sendViews, touch, wipeIfIdle, wipePulled } from "pulled";
import { forgetReturned } from "returned";
import { noteKept, say, sendNowAsked, showWaiting, syncNow } from "sending";
import { lockIfIdle } from "pinlock";
import { offerPin, showLockButton } from "pinprompt";
import { askForBackgroundSync, registerWorker, tellWorker } from "worker";
import "quickhide";

document.documentElement.classList.add("js");

const summary = document.querySelector("[data-error-summary]");
if (summary) summary.focus();

function throttle(fn, ms) {
  let last = 0;
  return () => { if (Date.now() - last > ms) { last = Date.now(); fn(); } };
}

/** Learn who is signed in and the server's sealing key; set up this person's signing key. */
async function refreshSession() {
  const sentAt = Date.now();
  const response = await fetch("/api/session", { credentials: "same-origin", cache: "no-store" });
  if (response.status === 401) return null;
  if (!response.ok) return undefined;
  const { csrf_token, ...session } = await response.json();
  await noteServerClock(response, sentAt, session.server_time);
  await loadClock();
  await putState("session", session);
  await ensureDeviceKey(session.user, csrf_token);
  await offerPin(session.user.id);
  tellWorker({ type: "refresh-shells" });
  const roles = session.user.roles;
  await sendViews(session.user, csrf_token).catch(() => {});
  if (["dsl", "head", "chair"].some((role) => roles.includes(role))) await pull();
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
  if (session) await forgetDeviceKey(session.user.id);
  await forgetReturned();
  await tellWorker({ type: "sign-out" });
  const { count } = await waiting();
  sessionStorage.setItem("waiting-after-sign-out", String(count));
  if (navigator.onLine) return submitWithFreshToken(form);
  await putState("pending-sign-out", { at: Date.now(), user_id: session && session.user.id });
  document.querySelectorAll("[data-signed-in]").forEach((header) => { header.hidden = true; });
  document.querySelectorAll("main form[data-outbox]").forEach((f) => { f.hidden = true; });
  say(`Signed out on this phone. ${count} item${count === 1 ? "" : "s"} still waiting: they will be sent after the next sign-in.`);
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
  await loadClock();
  await wipeIfIdle();  // pulled data: capture keeps working offline after a long quiet spell,
  await lockIfIdle();  // but saving needs the person's PIN again
  await showLockButton();
  await showWhoIsSignedIn();
  await touch();
  document.addEventListener("click", touch, { passive: true });
  document.addEventListener("keydown", throttle(touch, 30000), { passive: true });
  enhanceForms(async (kept) => {
    noteKept(kept);
    await showWaiting();
    if (!navigator.onLine) await askForBackgroundSync();
    syncNow();
  });
  document.querySelectorAll("form[data-sign-out]").forEach((f) => f.addEventListener("submit", signOut));
  const sendNow = document.querySelector("#phone-status [data-sync-now]");
  if (sendNow) sendNow.addEventListener("click", sendNowAsked);
  window.addEventListener("online", syncNow);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") syncNow(); });
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
  setInterval(() => wipeIfIdle().then(lockIfIdle), 60 * 1000);
  document.documentElement.dataset.started = "";  // the idle watch is on (tests wait for this)
  await showWaiting();
  noteSignedOutWaiting();
  if (navigator.onLine && document.querySelector("[data-signed-in]:not([data-kept-on-phone])")) {
    await refreshSession().catch(() => {});
    await refreshDefaults();
  }
  await syncNow();
}

start();

// Sending what waits in the outbox, retrying with capped backoff, and the status bar that says so.
import { deleteState, getState, onOutboxChange, pushAll, takeDelivered, waiting } from "outbox";
import { linesOf, sentences, showLines } from "delivered";
import { refreshReturned, returnedHere, showReturned } from "returned";
import { checkDeviceKey, keyProblem } from "devicekey";

const RETRY_MIN = 2000, RETRY_MAX = 5 * 60 * 1000;
const bar = document.getElementById("phone-status");
const statusText = bar && bar.querySelector("[data-outbox-status]");
let retryDelay = RETRY_MIN, retryTimer = null, signInNeeded = false, asideMessage = null, sentLines = [];
const reaches = new Map();  // item id -> where this page knows it goes ("dsl" or "chair"); never stored

function time(iso) {
  return new Date(iso).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

function plural(n) {
  return `${n} item${n === 1 ? "" : "s"}`;
}

/** Show a line in the phone's status bar (or hide the bar). */
export function say(text, show = true) {
  if (!bar) return;
  bar.hidden = !show;
  statusText.textContent = text;
}

/** Remember where an item kept by this page goes, for the words once it is delivered. */
export function noteKept({ id, reaches: to }) {
  if (to) reaches.set(id, to);
}

/** Turn each form's "Saved on this phone" note into the confirmation once its item is delivered. */
async function confirmNotes() {
  const notes = document.querySelectorAll("[data-saved-note][data-item-id]:not([data-sent])");
  if (!notes.length) return;
  const sync = await getState("sync");
  const recent = new Map(((sync && sync.recent) || []).map((item) => [item.id, item]));
  notes.forEach((note) => {
    const item = recent.get(note.dataset.itemId);
    if (!item) return;
    showLines(note, sentences([item], reaches));
    note.dataset.sent = "";
  });
}

async function asideLine() {
  const aside = await getState("aside");
  if (aside) {  // shown on this page until the person sends again
    await deleteState("aside");
    asideMessage = `${plural(aside.count)} reached the school but could not be accepted as sent: ` +
      "kept aside for a DSL to check. If it matters, tell a DSL in person.";
  }
  return asideMessage;
}

/** Say what reached the school, what it sent back to correct, and what still waits, in that order. */
async function show() {
  const fresh = await takeDelivered();
  if (fresh.length) sentLines = sentences(fresh, reaches);
  await confirmNotes();
  const aside = await asideLine();
  const back = await returnedHere();
  const session = await getState("session");
  const problem = await keyProblem(session && session.user.id);
  const { count, oldest } = await waiting();
  let waits = null;
  if (signInNeeded && count) waits = `Sign in to send ${plural(count)}`;
  else if (count) waits = `${plural(count)} waiting to send, since ${time(oldest)}`;
  if (!(count || aside || back || problem || sentLines.length)) return say("Nothing waiting to send", false);
  say(problem);
  const add = (...nodes) => statusText.append(...(statusText.childNodes.length ? [" "] : []), ...nodes);
  if (!count && !aside && sentLines.length) add(...linesOf(sentLines));  // stays until something else happens
  if (aside) add(aside);
  if (back) { add(); showReturned(statusText, back); }
  if (waits) add(waits);
}

let showing = Promise.resolve();

/** Show how many items wait on this phone and since when, or what has just reached the school. */
export function showWaiting() {
  showing = showing.then(show, show);
  return showing;
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
    const result = await pushAll((done, total) => say(`Sending ${done} of ${total}`));
    signInNeeded = result.status === "unauthorised";
    retryDelay = RETRY_MIN;
    if (result.remaining && !signInNeeded) scheduleRetry();
    if (result.setAside) await checkDeviceKey().catch(() => {});  // a stopped key is one reason why
  } catch (error) {
    scheduleRetry();
  }
  await refreshReturned().catch(() => {});
  await showWaiting();
}

/** Send now at the person's request, clearing any "kept aside" line first. */
export function sendNowAsked() {
  asideMessage = null;
  return syncNow();
}

// Whoever sent it (another page, the worker), this page says so, and asks what came back.
onOutboxChange(() => (navigator.onLine ? refreshReturned().catch(() => {}) : Promise.resolve()).then(showWaiting));

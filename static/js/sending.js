// Sending what waits in the outbox, retrying with capped backoff, and the status bar that says so.
import { deleteState, getState, pushAll, waiting } from "outbox";

const RETRY_MIN = 2000, RETRY_MAX = 5 * 60 * 1000;
const bar = document.getElementById("phone-status");
const statusText = bar && bar.querySelector("[data-outbox-status]");
let retryDelay = RETRY_MIN, retryTimer = null, signInNeeded = false, sentHere = false, asideMessage = null;

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

/** Show how many items wait on this phone, and since when. */
export async function showWaiting() {
  const aside = await getState("aside");
  if (aside) {  // shown on this page until the person sends again
    await deleteState("aside");
    asideMessage = `${plural(aside.count)} reached the school but could not be accepted as sent: ` +
      "kept aside for a DSL to check. If it matters, tell a DSL in person.";
  }
  const back = await getState("returned");
  if (back) {
    await deleteState("returned");
    asideMessage = (asideMessage ? `${asideMessage} ` : "") + `${plural(back.count)} came back from the school to correct: see "Needs your attention" ` +
      "on My concerns or My requests.";
  }
  if (asideMessage) return say(asideMessage);
  const { count, oldest } = await waiting();
  if (signInNeeded && count) return say(`Sign in to send ${plural(count)}`);
  if (count) return say(`${plural(count)} waiting to send, since ${time(oldest)}`);
  const sync = await getState("sync");
  // With nothing waiting the bar stays out of the way, unless something was just sent from this page.
  say(sync ? `Everything sent. Last sent at ${time(sync.last_success)}` : "Nothing waiting to send", sentHere);
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

/** Send now at the person's request, clearing any "kept aside" line first. */
export function sendNowAsked() {
  asideMessage = null;
  return syncNow();
}

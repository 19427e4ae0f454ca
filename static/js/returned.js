// What the school sent back to the signed-in person to correct: the server's own count and list,
// asked at each sync, so it shows on every phone and page of theirs until each item is dealt with.
import { announce, deleteState, getState, putState } from "outbox";

const when = (iso) => new Date(iso).toLocaleString("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

/** Ask the server what came back to this person; keep only what the line needs (labels, times, links). */
export async function refreshReturned() {
  const [session, response] = await Promise.all([getState("session"),
    fetch("/api/sync/returned", { credentials: "same-origin", cache: "no-store" })]);
  if (response.status === 401) return forgetReturned();
  if (!response.ok) return undefined;
  const { count, items } = await response.json();
  const kept = items.map(({ label, created_at, received_at, url }) => ({ label, written: created_at || received_at, url }));
  const now = { user_id: session ? session.user.id : null, count, items: kept };
  const before = await getState("returned");
  if (before && JSON.stringify({ ...before, name: undefined }) === JSON.stringify({ ...now, name: undefined })) return undefined;
  await putState("returned", now);
  return announce();  // only on a change: pages that hear it ask again, and then it has not changed
}

/** Forget what came back to the last person (at sign-out, or once nobody is signed in). */
export function forgetReturned() {
  return deleteState("returned");  // no announcement: the page signing out says what it must itself
}

/** Return what came back to the person signed in here as {count, items}, or null if nothing did. */
export async function returnedHere() {
  const [returned, session] = await Promise.all([getState("returned"), getState("session")]);
  if (!returned || !returned.count || !session || returned.user_id !== session.user.id) return null;
  return returned;
}

/** Put "N items came back from the school to correct: <link>, <link>" into an element. */
export function showReturned(element, { count, items }) {
  element.append(`${count} item${count === 1 ? "" : "s"} came back from the school to correct: `);
  items.forEach((item, i) => {
    if (i) element.append(", ");
    const text = `${item.label} written ${when(item.written)}`;
    element.append(Object.assign(document.createElement("a"), { textContent: text, href: item.url }));
  });
  element.append(".");
}

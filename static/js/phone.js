// The "This phone" page: what waits here, when it last sent, storage, and pulled data to read offline.
import { getState, onOutboxChange, waiting, withStore } from "outbox";
import { keyProblem } from "devicekey";
import { readPulled } from "pulled";
import { sentences, showLines } from "delivered";
import { returnedHere, showReturned } from "returned";

const panel = (name) => document.querySelector(`[data-panel="${name}"]`);
const when = (iso) => new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });

async function showPanel() {
  const { count, oldest } = await waiting();
  panel("waiting").textContent = count ? `${count} item${count === 1 ? "" : "s"}, the oldest from ${when(oldest)}` : "Nothing";
  const sync = await getState("sync");
  const last = panel("last-sync");
  last.textContent = sync ? when(sync.last_success) : "Not yet from this phone";
  if (sync && sync.delivered && sync.delivered.length) {
    const lines = document.createElement("span");
    lines.dataset.lastSent = "";
    showLines(lines, sentences(sync.delivered));
    last.append(": ", lines);
  }
  const returned = panel("returned");
  const back = await returnedHere();
  returned.replaceChildren();
  if (back) showReturned(returned, back); else returned.textContent = "Nothing";
  panel("key").textContent = await keyState();
  const persisted = navigator.storage && navigator.storage.persisted ? await navigator.storage.persisted() : false;
  panel("persisted").textContent = persisted ? "Yes: the browser will not clear what is stored here"
    : "No: the browser may clear stored items if the phone runs short of space, so send them soon";
  if (navigator.storage && navigator.storage.estimate) {
    const { usage, quota } = await navigator.storage.estimate();
    panel("storage").textContent = `${(usage / 1048576).toFixed(1)} MB of ${(quota / 1048576).toFixed(0)} MB`;
  }
}

async function keyState() {
  const session = await getState("session");
  if (!session) return "Nobody is signed in on this phone";
  const problem = await keyProblem(session.user.id);
  if (problem) return problem;
  const key = await withStore("keys", "readonly", (s) => s.get(session.user.id));
  return key && key.kid ? "Set up: what you save here is signed as you"
    : "Not set up yet: it is set up when you sign in while you have signal";
}

function row(cells) {
  const tr = document.createElement("tr");
  for (const cell of cells) {
    const td = tr.appendChild(document.createElement("td"));
    if (cell instanceof Node) td.appendChild(cell); else td.textContent = cell ?? "";
  }
  return tr;
}

function table(caption, heads, rows) {
  const t = document.createElement("table");
  t.appendChild(document.createElement("caption")).textContent = caption;
  const head = t.appendChild(document.createElement("thead")).appendChild(document.createElement("tr"));
  heads.forEach((h) => { const th = head.appendChild(document.createElement("th")); th.scope = "col"; th.textContent = h; });
  const body = t.appendChild(document.createElement("tbody"));
  rows.forEach((r) => body.appendChild(row(r)));
  const wrap = document.createElement("div");
  wrap.className = "table-scroll";
  wrap.appendChild(t);
  return wrap;
}

function link(text, href) {
  return Object.assign(document.createElement("a"), { textContent: text, href });
}

async function showPulled() {
  const records = await readPulled().catch(() => null);
  const section = document.querySelector("[data-pulled]");
  if (!records || !section) return;
  const all = Object.values(records);
  const concerns = all.filter((c) => c.type === "concern").map((c) => ({ ...c.data, id: c.id }));
  const requests = all.filter((c) => c.type === "request_to_decide" && c.data.status === "waiting")
    .map((c) => ({ ...c.data, id: c.id }));
  const labels = JSON.parse(section.dataset.labels || "{}");
  const word = (table, key) => (labels[table] && labels[table][key]) || "";
  const list = section.querySelector("[data-pulled-list]");
  list.replaceChildren();
  if (concerns.length) {
    list.appendChild(table("Concern queue", ["Case", "Category", "Status", "Add to the case"], concerns.map((c) =>
      [`#${c.id}${c.urgent ? " (urgent)" : ""}`, c.category_label || "", word("status", c.status),
        link(`Add an entry to case ${c.id}`, `/concerns/entry?concern=${c.id}`)])));
  }
  if (requests.length) {
    list.appendChild(table("Requests to decide", ["Request", "Who", "Device and purpose", "Decide"], requests.map((r) =>
      [`#${r.id}${r.urgent ? " (urgent)" : ""}`, r.visitor_name || r.requester_name || r.requester || "",
        [word("device", r.device), word("purpose", r.purpose), r.location_label].filter(Boolean).join(", "),
        link(`Decide request ${r.id}`, `/requests/decide?request=${r.id}`)])));
  }
  section.hidden = !(concerns.length || requests.length);
}

const offlineNote = document.querySelector("[data-offline-note]");
const showSignal = () => { offlineNote.hidden = navigator.onLine; };
showSignal();
window.addEventListener("online", showSignal);
window.addEventListener("offline", showSignal);
getState("session").then((session) => {
  if (session) return;
  const forms = document.querySelector("[data-offline-forms]");
  forms.replaceWith(Object.assign(document.createElement("p"), {
    textContent: "Nobody is signed in on this phone. Sign in once while you have signal to use the forms without it.",
  }));
});
showPanel();
showPulled();
onOutboxChange(showPanel);  // never a stale "1 item waiting" once it has gone

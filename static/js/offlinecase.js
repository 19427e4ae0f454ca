// Read a case or a request from the copy kept on this phone, above its entry or decision form:
// the page itself is a kept form holding nothing personal; what it shows comes from the encrypted copy.
import { noteView, pulledAt, readPulled } from "pulled";

const el = (tag, text, className) => Object.assign(document.createElement(tag), text == null ? {} : { textContent: text },
  className ? { className } : {});
const time = (ms) => new Date(ms).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });

/** Say how fresh the kept copy is: "Queue as of 10:42, 35 minutes ago". */
export function freshness(what, at, now = Date.now()) {
  const minutes = Math.max(0, Math.round((now - at) / 60000));
  // No template literal nested in another: the minifier would drop their spaces.
  const plural = minutes === 1 ? "" : "s";
  const ago = minutes < 1 ? "just now" : minutes < 120 ? `${minutes} minute${plural} ago`
    : `${Math.round(minutes / 60)} hours ago`;
  return `${what} as of ${time(at)}, ${ago}`;
}

function summary(pairs) {
  const dl = el("dl", null, "summary report");
  for (const [term, value] of pairs) {
    dl.appendChild(el("dt", term));
    dl.appendChild(el("dd", value, "text"));
  }
  return dl;
}

function chronology(entries) {
  if (!entries.length) return el("p", "Nothing added to the chronology yet.");
  const list = el("ol", null, "chronology");
  for (const e of entries) {
    const li = list.appendChild(el("li"));
    li.appendChild(el("p", `${e.at}: ${e.kind}, by ${e.by}`, "entry-head"));
    const extra = [e.body, e.reference && `Reference: ${e.reference}`, e.assignee && `Assigned to ${e.assignee}`,
      e.status && `Status: ${e.status}`].filter(Boolean);
    for (const line of extra) li.appendChild(el("p", line, "text"));
  }
  return list;
}

function thumbnails(id, pictures) {
  const list = el("ul", null, "pictures");
  for (const p of pictures) {
    const li = list.appendChild(el("li"));
    if (p.thumbnail) li.appendChild(Object.assign(el("img"), { src: p.thumbnail, alt: "Small copy of " + p.name }));
    const full = li.appendChild(el("a", p.name + " (" + p.about + ", with signal)"));
    full.href = "/concerns/" + id + "/pictures/" + p.id;
  }
  return list;
}

function caseSection(id, c) {
  const yes = (b) => (b ? "Yes" : "No");
  const section = el("section", null, "offline-case");
  section.setAttribute("aria-labelledby", "offline-case-title");
  section.appendChild(Object.assign(el("h2", `Concern ${id}: ${c.category_label}`), { id: "offline-case-title" }));
  const state = [c.status_label, c.assignee && "assigned to " + c.assignee, c.urgent && "urgent"].filter(Boolean);
  section.appendChild(el("p", state.join(", ") + ". Read-only copy kept on this phone.", "hint"));
  section.appendChild(el("h3", "The report, as submitted"));
  section.appendChild(summary([["Reported by", c.reporter], ["Logged", c.logged_at], ["Happened", c.occurred_at],
    ["Where", c.location], ["Learners", c.learners || "None named"], ["Adults", c.adults || "None named"],
    ["Pupils linked", c.linked_learners.join(", ") || "None yet"], ["What happened", c.account],
    ["Done straight away", c.action_taken || "Nothing recorded"], ["Told a DSL in person", yes(c.told_dsl_in_person)],
    ["Pictures", c.pictures.length ? c.pictures.length + " (small copies below; the full pictures open from the case page with signal)" : "None"]]));
  if (c.pictures.length) section.appendChild(thumbnails(id, c.pictures));
  section.appendChild(el("h3", "Chronology"));
  section.appendChild(chronology(c.chronology));
  return section;
}

function requestSection(id, r) {
  const section = el("section", null, "request-card");
  section.setAttribute("aria-label", "The request");
  section.appendChild(el("h2", "Request " + id + (r.urgent ? " (urgent)" : "")));
  const organisation = r.visitor_organisation ? " (" + r.visitor_organisation + ")" : "";
  const who = r.for_whom === "visitor" ? r.visitor_name + organisation + ", recorded by " + r.requester_name : r.requester_name;
  section.appendChild(summary([["Asked by", who], ["Asked", r.asked_label], ["Device", r.device_label],
    ["Purpose", r.purpose_label], ["Details", r.detail || "None given"], ["Where", r.location_label],
    ["From", r.starts_label], ["Until", r.ends_label], ["During teaching time", r.during_teaching ? "Yes" : "No"]]));
  return section;
}

/** On the decisions page read offline: every request waiting, with its details and a way to decide it. */
async function showWaitingRequests(slot) {
  const form = document.querySelector("form[data-outbox=decision]");
  if (form) form.hidden = true;
  const records = await readPulled().catch(() => null);
  const waiting = Object.values(records || {}).filter((c) => c.type === "request_to_decide" && c.data.status === "waiting");
  slot.replaceChildren(el("h2", "Requests waiting for your decision"));
  if (!records) slot.appendChild(el("p", "This phone holds no copy to read: it is wiped at sign-out and after 30 minutes without use. Sign in with signal to see the requests.", "notice"));
  else slot.appendChild(el("p", freshness("Requests", await pulledAt()), "freshness"));
  if (records && !waiting.length) slot.appendChild(el("p", "No request was waiting when this phone last had signal."));
  for (const change of waiting) {
    const card = slot.appendChild(requestSection(change.id, change.data));
    card.appendChild(Object.assign(el("a", `Decide request ${change.id}`, "button"), { href: `/requests/decide?request=${change.id}` }));
    await noteView("request", change.id);
  }
  slot.hidden = false;
}

function wanted() {
  const path = location.pathname.match(/^\/concerns\/(\d+)$/);
  const params = new URLSearchParams(location.search);
  if (path || params.get("concern")) return { type: "concern", kind: "concern", id: Number(path ? path[1] : params.get("concern")) };
  if (params.get("request")) return { type: "request_to_decide", kind: "request", id: Number(params.get("request")) };
  return null;
}

/** Show the kept case or request named by the address above its form, and note the reading. */
export async function showKept(slot) {
  const want = wanted();
  if (!want && location.pathname === "/requests/decisions") return showWaitingRequests(slot);
  if (!want) return;
  const field = document.querySelector(want.kind === "concern" ? "form [name=concern_id]" : "form [name=request_id]");
  if (field) field.value = String(want.id);
  const records = await readPulled().catch(() => null);
  const found = records && records[`${want.type}:${want.id}`];
  const data = found && (want.kind === "concern" ? found.data.case : found.data);
  slot.replaceChildren();
  if (!data) {
    slot.appendChild(el("p", records ? `This phone holds no copy of ${want.kind} ${want.id}. You can still add to it below; to read it, open it with signal.`
      : `This phone holds no copy to read: it is wiped at sign-out and after 30 minutes without use. Sign in with signal to read ${want.kind} ${want.id}. You can still add to it below.`, "notice"));
    slot.hidden = false;
    return;
  }
  slot.appendChild(el("p", freshness(want.kind === "concern" ? "Queue" : "Requests", await pulledAt()), "freshness"));
  slot.appendChild(want.kind === "concern" ? caseSection(want.id, data) : requestSection(want.id, data));
  slot.hidden = false;
  await noteView(want.kind, want.id);
}

const slot = document.querySelector("[data-offline-case]");
if (slot) showKept(slot);

// Asking to use a device: refuse on the spot, on the phone too, what the policy never allows.
// Online, a refused request is posted like a plain form, so the school records the refusal and the
// page shows the server's explanation with what was typed kept. Offline, the same explanation is
// shown from the page itself and nothing is kept. Anything else goes to the outbox as usual.
// Deciding: a decline or a withdrawal without a reason is stopped before it is kept.
import { showErrors } from "forms";

const form = document.querySelector('form[data-outbox="device_request"]');
const DAY_MS = 24 * 60 * 60 * 1000;

function whom() {
  const chosen = form.querySelector('input[name="for_whom"]:checked');
  return chosen ? chosen.value : "self";
}

function windowRefusals() {
  const start = Date.parse(form.elements.starts_at.value);
  const end = Date.parse(form.elements.ends_at.value);
  if (Number.isNaN(start) || Number.isNaN(end)) return [];
  const limit = Number(form.dataset[whom() === "visitor" ? "maxDaysVisitor" : "maxDaysSelf"]) * DAY_MS;
  const found = [];
  if (end <= start) found.push("end_before_start");
  if (end <= Date.now()) found.push("window_ended");
  if (end - start > limit) found.push("window_too_long");
  return found;
}

/** Return the keys of the rules that refuse what is chosen, in the server's order. */
function refusals() {
  const place = form.elements.location.selectedOptions[0];
  const purpose = form.querySelector('input[name="purpose"]:checked');
  return [place && place.dataset.refusal, purpose && purpose.dataset.refusal]
    .filter(Boolean).concat(windowRefusals());
}

function show(panel) {
  document.querySelectorAll("[data-refusal-panel], [data-error-summary]").forEach((n) => n.remove());
  document.querySelector("main h1").after(panel);
  panel.focus();
}

function localPanel(keys) {
  const panel = document.createElement("div");
  Object.assign(panel, { className: "refusal", tabIndex: -1 });
  panel.setAttribute("role", "alert");
  panel.dataset.refusalPanel = "";
  panel.append(Object.assign(document.createElement("h2"), { textContent: "This cannot be allowed" }),
    Object.assign(document.createElement("p"), { textContent: "Nothing has been saved or sent. " +
      "What you typed is still below if you want to change it." }));
  for (const key of keys) {
    const template = document.querySelector(`template[data-refusal-rule="${key}"][data-for-whom="${whom()}"]`);
    if (template) panel.append(template.content.cloneNode(true));
  }
  return panel;
}

/** Ask the server to record the refusal; return its explanation, or null if it cannot be reached. */
async function serverVerdict() {
  try {
    const response = await fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" });
    if (response.redirected) { location.assign(response.url); return undefined; }
    if (!response.ok) return null;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const verdict = page.querySelector("[data-refusal-panel], [data-error-summary]");
    return verdict && document.importNode(verdict, true);
  } catch (error) {
    return null;
  }
}

async function refuse(keys) {
  const verdict = navigator.onLine ? await serverVerdict() : null;
  if (verdict !== undefined) show(verdict || localPanel(keys));
}

function showVisitorFields() {
  const fields = document.querySelector("[data-visitor-fields]");
  if (fields) fields.hidden = whom() !== "visitor";
}

function decisionProblems(decision) {
  const reason = decision.elements.reason;
  const outcome = decision.elements.outcome && decision.elements.outcome.value;
  if (["declined", "withdrawn"].includes(outcome) && reason && !reason.value.trim()) {
    return [{ id: reason.id, message: "Give a reason for declining or withdrawing." }];
  }
  return [];
}

/** Check before the outbox keeps anything; stop the submission if this page can already say no. */
function check(event) {
  const target = event.target;
  if (form && target === form) {
    const keys = refusals();
    if (!keys.length) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    refuse(keys);
  } else if (target.dataset && target.dataset.outbox === "decision") {
    const problems = decisionProblems(target);
    if (!problems.length) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    showErrors(target, problems);
  }
}

document.addEventListener("submit", check, true);
if (form) {
  form.addEventListener("change", showVisitorFields);
  form.addEventListener("reset", () => setTimeout(showVisitorFields));
  showVisitorFields();
}

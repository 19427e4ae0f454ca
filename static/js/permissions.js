// Asking to use a device: refuse on the spot, on the phone too, what the policy never allows.
// Online, a refused request is posted like a plain form, so the school records the refusal and the
// page shows the server's explanation with what was typed kept. Offline, the same explanation is
// shown from the page itself and nothing is kept. Anything else goes to the outbox as usual.
// Mistakes the form's checks find come first (static/js/checks.js), as on the server.
import { problemsOf } from "checks";
import { schoolTime } from "clock";
import { readPulled } from "pulled";

const form = document.querySelector('form[data-outbox="device_request"]');

function whom() {
  const chosen = form.querySelector('input[name="for_whom"]:checked');
  return chosen ? chosen.value : "self";
}

/** Return the keys of the rules that refuse what is chosen, in the server's order. */
function refusals() {
  const place = form.elements.location.selectedOptions[0];
  const purpose = form.querySelector('input[name="purpose"]:checked');
  return [place && place.dataset.refusal, purpose && purpose.dataset.refusal].filter(Boolean);
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

/** Check before the outbox keeps anything; stop the submission if this page can already say no. */
function check(event) {
  if (!form || event.target !== form || problemsOf(form).length) return;  // mistakes: forms.js shows them
  const keys = refusals();
  if (!keys.length) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  refuse(keys);
}

document.addEventListener("submit", check, true);
if (form) {
  form.addEventListener("change", showVisitorFields);
  form.addEventListener("reset", () => setTimeout(showVisitorFields));
  showVisitorFields();
}

/** On the decision page kept on the phone, offer the end the request asked for (from what was pulled). */
async function offerAskedEnd() {
  const field = document.querySelector('form[data-outbox="decision"] input[name="ends_at"]');
  if (!field || field.value) return;
  const id = field.form.elements.request_id.value || new URLSearchParams(location.search).get("request");
  const records = await readPulled().catch(() => null);
  const asked = records && Object.values(records).find((c) => c.type === "request_to_decide" && String(c.id) === id);
  if (asked && asked.data.ends_at && !field.value) field.value = schoolTime(asked.data.ends_at);
}

offerAskedEnd();

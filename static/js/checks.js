// The server's checks of a form, run on the phone before anything is sealed, in the server's words.
// The checks come with the page (data-checks, made from the WTForms class by webapp/phone_checks.py).
import { schoolNow } from "clock";
import { CLOCK_SKEW_MS } from "settings";

function value(form, name) {
  const el = form.elements[name];
  if (!el || el.disabled) return undefined;
  if (el instanceof RadioNodeList) return el.value;
  if (el.type === "radio" || el.type === "checkbox") return el.checked ? el.value : "";
  return el.value;
}

const minutes = (time) => Date.parse(`${time.slice(0, 16)}:00Z`);
const RULES = {
  required: (v) => !v.trim(),
  after: (v, r, val) => Boolean(v && val(r.start)) && v.slice(0, 16) <= val(r.start).slice(0, 16),
  not_past: (v) => Boolean(v) && v.slice(0, 16) <= schoolNow(),
  not_future: (v) => Boolean(v) && v.slice(0, 16) > schoolNow(CLOCK_SKEW_MS),
  longest: (v, r, val) => Boolean(v && val(r.start) && r.seconds[val(r.by)] !== undefined)
    && minutes(v) - minutes(val(r.start)) > r.seconds[val(r.by)] * 1000,
  not_only: (v, r) => r.words.includes(v.trim().toLowerCase()),
};

function fieldProblem(v, c) {
  if (!v || (c.blank && !v.trim())) return c.required || null;
  if (c.time && (!/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(v) || v < c.time.earliest || v > c.time.latest)) return c.time.message;
  if (c.max !== undefined && [...v].length > c.max) return c.max_message;
  return null;
}

function linkTarget(form, name, fallback) {
  const first = form.querySelector(`[name="${name}"]:not([type=hidden])`);
  return (first && first.id) || fallback;
}

/** Return what the server would refuse in this form: [{name, id, message}], in the form's order. */
export function problemsOf(form) {
  if (!form.dataset.checks) return [];
  const { fields, rules } = JSON.parse(form.dataset.checks);
  const val = (name) => value(form, name) ?? "";
  const found = new Map();
  for (const [name, c] of Object.entries(fields)) {
    const v = value(form, name);
    const message = v === undefined ? null : fieldProblem(v, c);
    if (message) found.set(name, { name, field: c.id, id: linkTarget(form, name, c.id), message });
  }
  for (const r of rules) {
    if (found.has(r.field) || value(form, r.field) === undefined) continue;
    if (r.when && !(r.values || []).includes(val(r.when))) continue;
    if (!RULES[r.rule](val(r.field), r, val)) continue;
    const message = r.rule === "longest" ? r.messages[val(r.by)] : r.message;
    const field = (fields[r.field] || {}).id || (form.elements[r.field].id || r.field);
    found.set(r.field, { name: r.field, field, id: linkTarget(form, r.field, field), message });
  }
  const order = [...form.elements].map((el) => el.name);
  return [...found.values()].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
}

function describedBy(el, id, add) {
  const ids = (el.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && x !== id);
  if (add) ids.push(id);
  if (ids.length) el.setAttribute("aria-describedby", ids.join(" ")); else el.removeAttribute("aria-describedby");
}

/** Remove every message shown next to a field (the server's or the phone's). */
export function clearMarks(form, name = null) {
  const inputs = name ? form.querySelectorAll(`[name="${name}"]`) : form.querySelectorAll("[aria-invalid]");
  for (const el of inputs) {
    const box = el.closest("[data-field]");
    el.removeAttribute("aria-invalid");
    if (!box) continue;
    box.classList.remove("field-error");
    box.querySelectorAll(".error-message").forEach((m) => {
      box.querySelectorAll("[aria-describedby]").forEach((d) => describedBy(d, m.id, false));
      m.remove();
    });
  }
}

/** Show one problem GOV.UK-style: the message above the field, tied to it, the field marked invalid. */
export function markField(form, { name, field, message }) {
  const inputs = [...form.querySelectorAll(`[name="${name}"]`)].filter((el) => el.type !== "hidden");
  const box = inputs.length && inputs[0].closest("[data-field]");
  if (!box) return;
  const group = box.querySelector("fieldset");
  const note = Object.assign(document.createElement("p"), { className: "error-message", textContent: message });
  note.id = `${field || inputs[0].id}-error`;
  box.classList.add("field-error");
  if (group) group.querySelector("legend").after(...[group.querySelector(":scope > .hint")].filter(Boolean), note);
  else inputs[0].before(note);
  for (const el of inputs) el.setAttribute("aria-invalid", "true");
  describedBy(group || inputs[0], note.id, true);
}

/** Warn as soon as text is too long (a paste is never cut short); the message goes when it fits. */
export function watchLengths(form) {
  if (!form.dataset.checks) return;
  const { fields } = JSON.parse(form.dataset.checks);
  const check = (input) => {
    const c = fields[input.name];
    if (!c || c.max === undefined) return;
    clearMarks(form, input.name);
    if ([...input.value].length > c.max) markField(form, { name: input.name, field: c.id, message: c.max_message });
  };
  form.addEventListener("input", (event) => check(event.target));
  // Text typed or pasted before this script was ready (a slow phone) is checked now.
  for (const input of form.elements) {
    const c = fields[input.name];
    if (c && c.max !== undefined && [...(input.value || "")].length > c.max) check(input);
  }
}

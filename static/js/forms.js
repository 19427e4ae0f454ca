// Capture forms: check, seal, sign and keep each submission in the outbox, online or offline.
import { b64, sealAndSign } from "envelope";
import { addItem, getState, withStore } from "outbox";
import { clearMarks, markField, problemsOf, watchLengths } from "checks";
import { loadClock, schoolNow, stamp } from "clock";
import { isLocked } from "pinlock";
import { keyProblem } from "devicekey";
import { askForPin } from "pinprompt";

const SAVED = "Saved on this phone — will send when connected";
const dirty = new WeakSet();

/** Show problems as the page's error summary, each linking to its field. */
export function showErrors(form, problems) {
  let summary = form.parentElement.querySelector("[data-error-summary]");
  if (!summary) {
    summary = document.createElement("div");
    summary.className = "error-summary";
    summary.setAttribute("role", "alert");
    summary.tabIndex = -1;
    summary.dataset.errorSummary = "";
    form.before(summary);
  }
  summary.replaceChildren(Object.assign(document.createElement("h2"), { textContent: "There is a problem" }));
  const list = summary.appendChild(document.createElement("ul"));
  for (const { id, message } of problems) {
    const link = Object.assign(document.createElement("a"), { href: `#${id}`, textContent: message });
    list.appendChild(document.createElement("li")).appendChild(link);
  }
  summary.focus();
}

function clearMessages(form) {
  form.parentElement.querySelectorAll("[data-error-summary], [data-saved-note]").forEach((n) => n.remove());
  clearMarks(form);
}

/** Show what the server would refuse: each message by its field and in the summary at the top. */
export function showProblems(form, problems) {
  clearMarks(form);
  problems.forEach((problem) => markField(form, problem));
  showErrors(form, problems);
}

// The first bytes of each kind of picture the school accepts (the server checks the same way).
const PICTURE_SIGNATURES = [[0xff, 0xd8, 0xff], [0x89, 0x50, 0x4e, 0x47], [0x47, 0x49, 0x46, 0x38]];

function isPicture(bytes) {
  const webp = String.fromCharCode(...bytes.subarray(0, 4)) === "RIFF"
    && String.fromCharCode(...bytes.subarray(8, 12)) === "WEBP";
  return webp || PICTURE_SIGNATURES.some((sig) => sig.every((b, i) => bytes[i] === b));
}

async function readFiles(input) {
  const category = input.form.querySelector("input[name=category]:checked");
  if (input.files.length && category && (input.dataset.noneFor || "").split(" ").includes(category.value)) {
    throw new RangeError("Remove the attachments: suspected illegal images must never be copied, not even as evidence.");
  }
  const maxFiles = Number(input.dataset.maxFiles || 5);
  const maxBytes = Number(input.dataset.maxBytes || 5 * 1024 * 1024);
  const files = [...input.files];
  if (files.length > maxFiles) throw new RangeError(`Choose at most ${maxFiles} pictures.`);
  const out = [];
  for (const file of files) {
    if (file.size > maxBytes) throw new RangeError(`${file.name} is too large: the limit is ${Math.round(maxBytes / 1048576)} MB.`);
    const { picture, data } = await readPicture(file);
    if (!picture) throw new RangeError(`${file.name} is not a picture (JPEG, PNG, WebP or GIF).`);
    out.push({ filename: file.name, content_type: file.type, data });
  }
  return out;
}

// Each chosen file is read and encoded once, as soon as it is chosen, so tapping send does not wait on it.
const readings = new WeakMap();

function readPicture(file) {
  if (!readings.has(file)) {
    readings.set(file, file.arrayBuffer().then((buffer) => {
      const bytes = new Uint8Array(buffer);
      return isPicture(bytes) ? { picture: true, data: b64(bytes) } : { picture: false };
    }));
  }
  return readings.get(file);
}

function readAhead(form) {
  form.querySelectorAll("input[type=file]").forEach((input) => input.addEventListener("change", () => {
    const maxBytes = Number(input.dataset.maxBytes || 5 * 1024 * 1024);
    for (const file of input.files) if (file.size <= maxBytes) readPicture(file).catch(() => {});
  }));
}

/** Turn a form into its payload: contract field names, booleans for checkboxes, files as base64. */
export async function payloadOf(form) {
  const payload = {};
  for (const el of form.elements) {
    if (!el.name || el.name === "csrf_token" || el.disabled || el.type === "submit") continue;
    if (el.type === "checkbox") payload[el.name] = el.checked;
    else if (el.type === "radio") { if (el.checked) payload[el.name] = el.value; else payload[el.name] ??= ""; }
    else if (el.type === "file") { if (el.files.length) payload[el.name] = await readFiles(el); }
    else payload[el.name] = el.value;
  }
  return payload;
}

async function signingContext() {
  const session = await getState("session");
  if (!session) return null;
  const key = await withStore("keys", "readonly", (s) => s.get(session.user.id));
  return key && key.kid ? { session, key } : null;
}

class NotReady extends Error {}

class Locked extends Error {
  constructor(userId) { super("This phone is locked: enter your PIN to save."); this.userId = userId; }
}

const REMOVED = "Your signing key was removed from this phone after too many wrong PINs, so nothing was saved. " +
  "Your typing is still here: sign in while you have signal to save it.";

/** Return who the server says is signed in on this page, if the page was rendered for them. */
function pageUserId() {
  const header = document.querySelector("[data-user-id]");
  return header ? Number(header.dataset.userId) : null;
}

async function keep(form, kind) {
  const context = await signingContext();
  const owner = pageUserId();
  if (!context || (owner !== null && context.session.user.id !== owner)) {
    const session = await getState("session");
    throw new NotReady(await keyProblem(session && session.user.id)
      || "This phone is not ready to keep forms yet: sign in once while you have signal.");
  }
  if (isLocked(context.key)) throw new Locked(context.session.user.id);
  const payload = await payloadOf(form);
  const item = await sealAndSign(
    { id: crypto.randomUUID(), kind, created_at: stamp(), payload },
    context.session.sealing_key, context.key.privateKey, context.key.kid);
  await addItem(item);
  return { id: item.id, kind, reaches: reachesOf(kind, payload) };
}

/** Say where a kept item goes, for the confirmation once it is sent (known only while this page is open). */
export function reachesOf(kind, payload) {
  if (kind !== "concern") return undefined;
  return payload.about_head ? "chair" : "dsl";
}

export function confirmSaved(form, kept) {
  const note = document.createElement("div");
  note.className = "notice notice-success saved-on-phone";
  note.setAttribute("role", "status");
  note.dataset.savedNote = "";
  note.dataset.itemId = kept.id;
  note.textContent = SAVED;
  form.before(note);
  note.scrollIntoView({ block: "nearest" });
}

async function onSubmit(event, onSaved) {
  const form = event.currentTarget;
  event.preventDefault();
  clearMessages(form);
  await loadClock();
  const problems = problemsOf(form);
  if (problems.length) return showProblems(form, problems);
  if (form.dataset.keyRemoved) return showErrors(form, [{ id: form.elements[0].id, message: REMOVED }]);
  let kept;
  try {
    kept = await keep(form, form.dataset.outbox);
  } catch (error) {
    if (error instanceof Locked) {
      if (await askForPin(form, error.userId)) return form.requestSubmit();
      form.dataset.keyRemoved = "1";  // never fall back to posting as the person whose key just went
      return;
    }
    // Online but not yet set up for this person: send the form the ordinary way instead.
    if (error instanceof NotReady && navigator.onLine) return form.submit();
    const message = error.name === "QuotaExceededError"
      ? "This phone is out of storage space, so nothing was saved. Your typing is still here: free some space and try again."
      : error.message || "This could not be saved on the phone. Your typing is still here.";
    return showErrors(form, [{ id: form.elements[0].id, message }]);
  }
  form.reset();
  dirty.delete(form);
  confirmSaved(form, kept);
  onSaved(kept);
}

function fillDefaults(form, params) {
  // "Now" by the school's clock; refilled when the clock is learnt, unless the person changed it.
  for (const el of form.querySelectorAll("[data-default-now]")) {
    if (!el.value || el.value === el.dataset.filledNow) el.value = el.dataset.filledNow = schoolNow();
  }
  for (const el of form.querySelectorAll("input[type=hidden][data-from-query]")) {
    if (!el.value && params.get(el.dataset.fromQuery)) el.value = params.get(el.dataset.fromQuery);
  }
}

/** Fill "now" again in every untouched time field, after the server's clock was learnt. */
export async function refreshDefaults() {
  await loadClock();
  const params = new URLSearchParams(location.search);
  document.querySelectorAll("form[data-outbox]").forEach((form) => fillDefaults(form, params));
}

/** Enhance every capture form on the page; onSaved({id, kind, reaches}) runs after each item is kept. */
export function enhanceForms(onSaved) {
  const forms = document.querySelectorAll("form[data-outbox]");
  const params = new URLSearchParams(location.search);
  forms.forEach((form) => {
    form.setAttribute("autocomplete", "off");  // no copy of what was typed in the browser's autofill
    fillDefaults(form, params);
    form.addEventListener("reset", () => setTimeout(() => fillDefaults(form, params)));
    form.addEventListener("submit", (event) => onSubmit(event, onSaved));
    form.addEventListener("input", () => dirty.add(form));
    watchLengths(form);
    readAhead(form);
  });
  window.addEventListener("beforeunload", (event) => {
    if ([...forms].some((f) => dirty.has(f))) { event.preventDefault(); event.returnValue = ""; }
  });
}

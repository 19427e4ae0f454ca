// An enrolled school phone: its own signing key, the staff names it offers, and concerns logged on it
// by someone who is not signed in. Kept in a database of its own, apart from the people's outbox:
// these items go to /api/sync/push-from-school-phone, which needs no session, only the phone's signature.
import { generateDeviceKey, sealAndSign, sign } from "envelope";
import { addSchoolPhoneItem, deviceId, noteServerClock, onOutboxChange, schoolPhoneItems, schoolPhoneLastPush,
  withSchoolPhoneStore } from "outbox";
import { loadClock, schoolNow, stamp } from "clock";
import { problemsOf } from "checks";
import { confirmSaved, payloadOf, reachesOf, showErrors, showProblems } from "forms";
import { noteKept, showWaiting as showStatusLine, syncNow } from "sending";
import { askForBackgroundSync } from "worker";

const NOT_ENROLLED = "The school did not accept this phone's key: what waits stays on this phone. Ask the office to enrol it again.";
const TOO_BIG = "A concern with very large pictures is too big to send: it stays on this phone. Tell a DSL in person.";
const dirty = new WeakSet();  // a form with typing not yet kept: leaving asks first

/** Return what this phone knows of its enrolment (key, label, staff names, sealing key), or undefined. */
export function enrolment() {
  return withSchoolPhoneStore("phone", "readonly", (s) => s.get("enrolment"));
}

function keepEnrolment(value) {
  return withSchoolPhoneStore("phone", "readwrite", (s) => s.put({ ...value, name: "enrolment" }));
}

/** Make this phone's key and register it to a device on the register (an administrator, signed in). */
export async function enrol(schoolDeviceId, csrf) {
  const { privateKey, publicJwk } = await generateDeviceKey();
  const sentAt = Date.now();
  const response = await fetch("/api/school-phones/enrol", {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify({ school_device_id: schoolDeviceId, device_id: await deviceId(), public_key: publicJwk }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `The server answered ${response.status}.`);
  await noteServerClock(response, sentAt, body.server_time);
  await keepEnrolment({ privateKey, kid: body.kid, label: body.label, staff: body.staff,
    sealing_key: body.sealing_key, ended: null });
  return body;
}

/** Fetch the staff names again (and the sealing key), proving who asks by the phone's signature. */
export async function refreshStaff() {
  const known = await enrolment();
  if (!known || !navigator.onLine) return known;
  await loadClock();
  const proof = await sign({ purpose: "staff-list", at: stamp() }, known.privateKey, known.kid);
  const sentAt = Date.now();
  const response = await fetch("/api/school-phones/staff", {
    method: "POST", credentials: "omit", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ proof }),
  });
  const body = await response.json().catch(() => ({}));
  if (response.status === 403) {
    await keepEnrolment({ ...known, ended: body.error });
  } else if (response.ok) {
    await noteServerClock(response, sentAt, body.server_time);
    await keepEnrolment({ ...known, staff: body.staff, label: body.label, sealing_key: body.sealing_key, ended: null });
  }
  return enrolment();
}

/** Say how many concerns wait on this school phone, and what its last push could not deliver. */
async function showWaiting() {
  const line = document.querySelector("[data-school-phone-waiting]");
  if (!line) return;
  const count = (await schoolPhoneItems()).length;
  const last = await schoolPhoneLastPush();
  const problems = count && last ? [typeof last.not_enrolled === "string" ? last.not_enrolled || NOT_ENROLLED : null,
    last.too_big ? TOO_BIG : null] : [];
  const waitingText = count ? `${count} concern${count === 1 ? "" : "s"} waiting on this phone to send.` : "";
  line.textContent = [...problems, waitingText].filter(Boolean).join(" ");
}

function whoProblem(form, known) {
  const typed = form.elements.logged_by_typed.value.trim();
  const picked = known.staff.find((p) => String(p.id) === form.elements.logged_by_pick.value);
  if (!typed && !picked) return { problem: { id: "logged-by-pick", message: "Choose your name, or type it." } };
  return { who: typed ? { user_id: null, name: typed } : { user_id: picked.id, name: picked.name } };
}

async function keepConcern(form, known, who) {
  const payload = await payloadOf(form);
  delete payload.logged_by_pick;
  delete payload.logged_by_typed;
  payload.logged_by = who;
  await loadClock();
  const item = await sealAndSign({ id: crypto.randomUUID(), kind: "concern", created_at: stamp(), payload },
    known.sealing_key, known.privateKey, known.kid);
  await addSchoolPhoneItem(item);
  return { id: item.id, kind: "concern", reaches: reachesOf("concern", payload) };
}

async function onSubmit(event) {
  const form = event.currentTarget;
  event.preventDefault();
  form.parentElement.querySelectorAll("[data-error-summary], [data-saved-note]").forEach((n) => n.remove());
  const known = await enrolment();
  const { problem, who } = whoProblem(form, known);
  const problems = [...(problem ? [problem] : []), ...problemsOf(form)];
  if (problems.length) return showProblems(form, problems);
  let kept;
  try {
    kept = await keepConcern(form, known, who);
  } catch (error) {
    const message = error.name === "QuotaExceededError"
      ? "This phone is out of storage space, so nothing was saved. Your typing is still here: free some space and try again."
      : error.message || "This could not be saved on the phone. Your typing is still here.";
    return showErrors(form, [{ id: form.elements[0].id, message }]);
  }
  form.reset();
  confirmSaved(form, kept);
  noteKept(kept);  // sent like every waiting item: by this page, any other, or the service worker
  await Promise.all([showWaiting(), showStatusLine()]);
  if (!navigator.onLine) askForBackgroundSync().catch(() => {});
  syncNow();
  return true;
}

function fillStaff(form, known) {
  const select = form.elements.logged_by_pick;
  const chosen = select.value;
  select.replaceChildren(new Option("Choose your name", ""), ...known.staff.map((p) => new Option(p.name, String(p.id))));
  select.value = chosen;
  const label = document.querySelector("[data-phone-label]");
  if (label) label.textContent = `This is ${known.label}.`;
}

async function startForm(form) {
  let known = await enrolment();
  if (known && navigator.onLine) known = await refreshStaff().catch(() => known);
  if (!known || known.ended) {
    const note = document.querySelector("[data-not-enrolled]");
    if (known) note.textContent = known.ended;
    note.hidden = false;
    return;
  }
  fillStaff(form, known);
  form.hidden = false;
  form.addEventListener("submit", async (event) => { if (await onSubmit(event)) dirty.delete(form); });
  form.addEventListener("input", () => dirty.add(form));
  window.addEventListener("beforeunload", (event) => {
    if (dirty.has(form)) { event.preventDefault(); event.returnValue = ""; }
  });
  const fillNow = () => form.querySelectorAll("[data-default-now]").forEach((el) => { el.value = schoolNow(); });
  await loadClock();
  fillNow();
  form.addEventListener("reset", () => setTimeout(fillNow));
  window.addEventListener("online", async () => { fillStaff(form, (await refreshStaff()) || known); });
}

function startEnrol(panel) {
  const status = panel.querySelector("[data-enrol-status]");
  panel.querySelector("[data-enrol-button]").addEventListener("click", async (event) => {
    event.currentTarget.disabled = true;
    status.textContent = "Enrolling this phone…";
    try {
      const { label } = await enrol(Number(panel.dataset.schoolDeviceId), panel.dataset.csrf);
      status.textContent = `This phone is now enrolled as ${label}. Sign out: anyone can then log a concern on it.`;
    } catch (error) {
      status.textContent = `This phone could not be enrolled: ${error.message}`;
      event.currentTarget.disabled = false;
    }
  });
}

async function start() {
  const panel = document.querySelector("[data-enrol]");
  if (panel) startEnrol(panel);
  const form = document.querySelector("form[data-school-phone-form]");
  if (form) await startForm(form);
  const link = document.querySelector("[data-school-phone-link]");
  const known = await enrolment();
  if (link && known) link.hidden = false;
  if (!form && known && navigator.onLine) await refreshStaff().catch(() => {});
  onOutboxChange(showWaiting);
  await showWaiting();
}

start();

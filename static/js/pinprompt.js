// What the person sees of the PIN lock (pinlock.js): choosing a PIN after signing in on a phone,
// entering it when a locked phone is asked to save something, and the "Lock" button.
import { MAX_TRIES, anyPin, lockAll, needsNewPin, pinProblem, setPin, unlock } from "pinlock";
import { getState, putState } from "outbox";
import { wipePulled } from "pulled";
import { say } from "sending";

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function pinField(id, label, hint) {
  const input = el("input", { id, type: "password", inputMode: "numeric", autocomplete: "off", maxLength: 12 });
  input.setAttribute("pattern", "[0-9]*");
  const error = el("p", { id: `${id}-error`, className: "error-message", hidden: true });
  const wrap = el("div", { className: "field" }, el("label", { htmlFor: id, textContent: label }));
  if (hint) wrap.append(el("p", { id: `${id}-hint`, className: "hint", textContent: hint }));
  wrap.append(error, input);
  describe(input, hint ? [`${id}-hint`] : []);
  return { wrap, input, error, hint: Boolean(hint) };
}

function describe(input, ids) {
  if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
  else input.removeAttribute("aria-describedby");
}

/** Show a message by its field (GOV.UK style, tied to the input), or clear it when `message` is "". */
function showFieldError(field, message) {
  const id = field.input.id;
  field.error.hidden = !message;
  field.error.textContent = message;
  field.wrap.classList.toggle("field-error", Boolean(message));
  describe(field.input, [...(field.hint ? [`${id}-hint`] : []), ...(message ? [`${id}-error`] : [])]);
  if (message) {
    field.input.setAttribute("aria-invalid", "true");
    field.input.focus();
  } else {
    field.input.removeAttribute("aria-invalid");
  }
}

/** After a sign-in that made this phone a new key, ask the person to choose the PIN that will guard it. */
export async function offerPin(userId) {
  const main = document.querySelector("main");
  if (!main || main.querySelector("[data-pin-setup]") || !(await needsNewPin(userId))) return;
  const pin = pinField("pin-new", "Choose a PIN (4 to 12 digits)");
  const again = pinField("pin-again", "Enter the PIN again");
  const button = el("button", { type: "submit", className: "button", textContent: "Set the PIN" });
  const form = el("form", { noValidate: true }, pin.wrap, again.wrap, button);
  const panel = el("section", { className: "notice pin-panel" },
    el("h2", { id: "pin-setup-title", textContent: "Choose a PIN for this phone" }),
    el("p", { textContent: "When this phone has been left for a while, or locked, saving anything new here needs " +
      "this PIN. Nobody who picks the phone up can then log something as you." }), form);
  panel.dataset.pinSetup = "";
  panel.setAttribute("aria-labelledby", "pin-setup-title");
  main.prepend(panel);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const first = pinProblem(pin.input.value);
    showFieldError(pin, first);
    const second = first ? "" : pinProblem(pin.input.value, again.input.value);
    showFieldError(again, second);
    if (first || second) return;
    button.disabled = true;
    button.textContent = "Setting the PIN…";
    const done = await setPin(userId, pin.input.value);
    panel.replaceChildren(el("p", { role: "status", textContent: done
      ? "PIN set. You will be asked for it when this phone has been locked."
      : "This phone's key changed while you were choosing: sign out and in again to set a PIN." }));
    showLockButton();
  });
}

/**
 * Ask for the person's PIN beside a form that a locked phone was asked to save. Resolves true once
 * unlocked (the caller saves the form again), false when the key was removed after too many tries.
 */
export function askForPin(form, userId) {
  form.parentElement.querySelectorAll("[data-pin-unlock]").forEach((n) => n.remove());
  return new Promise((resolve) => {
    const pin = pinField("pin-unlock", "Your PIN for this phone",
      "This phone was locked or left unused, so saving needs your PIN.");
    const button = el("button", { type: "submit", className: "button", textContent: "Unlock and save" });
    const box = el("form", { noValidate: true }, pin.wrap, button);
    const panel = el("section", { className: "notice pin-panel" },
      el("h2", { id: "pin-unlock-title", textContent: "This phone is locked" }), box);
    panel.dataset.pinUnlock = "";
    panel.setAttribute("aria-labelledby", "pin-unlock-title");
    form.before(panel);
    pin.input.focus();
    box.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!/^\d{4,12}$/.test(pin.input.value)) return showFieldError(pin, "Enter your PIN: 4 to 12 digits.");
      button.disabled = true;
      const result = await unlock(userId, pin.input.value);
      button.disabled = false;
      if (result.unlocked) { panel.remove(); return resolve(true); }
      if (result.removed) {
        panel.replaceChildren(el("p", { role: "alert", textContent: `${MAX_TRIES} wrong PINs: your signing key has been ` +
          "removed from this phone. Your typing is still here: sign in while you have signal to save it. " +
          "Items saved earlier on this phone will still be sent." }));
        return resolve(false);
      }
      pin.input.value = "";
      showFieldError(pin, `That PIN is not right. ${result.left} ${result.left === 1 ? "try" : "tries"} left before ` +
        "your key is removed from this phone.");
    });
  });
}

/** End the server's session too, so nobody reads pages as the person: now, or at the next signal. */
async function endServerSession() {
  const form = document.querySelector("form[data-sign-out]");
  const session = await getState("session");
  if (!navigator.onLine || !form) {
    await putState("pending-sign-out", { at: Date.now(), user_id: session && session.user.id });
    return false;
  }
  try {
    const fresh = await fetch("/api/session", { credentials: "same-origin", cache: "no-store" });
    if (fresh.ok) form.elements.csrf_token.value = (await fresh.json()).csrf_token;
    // Posted here rather than through the form, whose handler would remove the key from the phone.
    await fetch(form.action, { method: "POST", credentials: "same-origin", body: new FormData(form), redirect: "manual" });
    return true;
  } catch (error) {
    await putState("pending-sign-out", { at: Date.now(), user_id: session && session.user.id });
    return false;
  }
}

async function lockNow() {
  await lockAll();
  await wipePulled();
  document.querySelectorAll("[data-pin-setup]").forEach((n) => n.remove());
  const ended = await endServerSession();
  say("Locked. Saving anything new on this phone needs your PIN" +
    (ended ? ", and reading anything needs you to sign in again." : ".") + " What is waiting will still be sent.");
}

/** Show the header's "Lock" button once someone on this phone has a PIN. */
export async function showLockButton() {
  const button = document.querySelector("[data-lock-phone]");
  if (!button) return;
  button.hidden = !(await anyPin());
  if (!button.dataset.wired) {
    button.dataset.wired = "1";
    button.addEventListener("click", lockNow);
  }
}

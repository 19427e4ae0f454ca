// Passkeys: ask the server for a single-use challenge, let the browser make or use a passkey, and send its
// answer in the page's own form (the server checks everything; this only carries the bytes).

const NOT_ALLOWED = "The passkey was not used: the request was cancelled or timed out. Press the button to try again.";
const UNSUPPORTED = "This browser cannot use passkeys here. Use the code from your authenticator app instead.";

function toBytes(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function toText(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Turn the server's JSON options into what navigator.credentials wants (ids and challenges as bytes). */
function withBytes(options) {
  const decoded = { ...options, challenge: toBytes(options.challenge) };
  if (options.user) decoded.user = { ...options.user, id: toBytes(options.user.id) };
  for (const list of ["excludeCredentials", "allowCredentials"]) {
    if (options[list]) decoded[list] = options[list].map((c) => ({ ...c, id: toBytes(c.id) }));
  }
  return decoded;
}

/** Write a credential as the JSON the server reads (WebAuthn's own toJSON where the browser has it). */
function asJSON(credential) {
  if (typeof credential.toJSON === "function") return credential.toJSON();
  const r = credential.response;
  const response = { clientDataJSON: toText(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = toText(r.attestationObject);
    response.transports = typeof r.getTransports === "function" ? r.getTransports() : [];
  } else {
    response.authenticatorData = toText(r.authenticatorData);
    response.signature = toText(r.signature);
    if (r.userHandle) response.userHandle = toText(r.userHandle);
  }
  return { id: credential.id, rawId: toText(credential.rawId), type: credential.type, response,
           clientExtensionResults: credential.getClientExtensionResults(),
           authenticatorAttachment: credential.authenticatorAttachment ?? undefined };
}

async function challenge(form) {
  const response = await fetch(form.dataset.optionsUrl, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": form.elements.csrf_token.value }, body: "{}" });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || "The server could not start the passkey request. Please try again.");
  return withBytes(body);
}

function say(form, message) {
  const problem = form.querySelector("[data-passkey-problem]");
  problem.textContent = message;
  problem.hidden = !message;
}

/** On a form marked data-passkey-register or data-passkey-sign-in, run the ceremony when it is sent. */
function enhance(form, ceremony) {
  const answer = form.querySelector('input[name="credential"]');
  const button = form.querySelector("[data-passkey-button]");
  if (!window.PublicKeyCredential || !navigator.credentials) { say(form, UNSUPPORTED); button.disabled = true; return; }
  form.addEventListener("submit", async (event) => {
    if (answer.value) return;  // the answer is in: let the form go to the server
    const name = form.elements.namedItem("name");
    if (name && !name.value.trim()) return;  // the server says what is missing
    event.preventDefault();
    say(form, "");
    button.disabled = true;
    try {
      const options = await challenge(form);
      const credential = await ceremony(options);
      answer.value = JSON.stringify(asJSON(credential));
      form.submit();
    } catch (error) {
      say(form, error.name === "NotAllowedError" ? NOT_ALLOWED : error.message || String(error));
      button.disabled = false;
    }
  });
}

document.querySelectorAll("[data-passkey-register]").forEach((form) =>
  enhance(form, (publicKey) => navigator.credentials.create({ publicKey })));
document.querySelectorAll("[data-passkey-sign-in]").forEach((form) =>
  enhance(form, (publicKey) => navigator.credentials.get({ publicKey })));

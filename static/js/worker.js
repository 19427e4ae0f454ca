// The bridge to the service worker: registering it, offering updates, and messages both ways.

/** Send a message to the active service worker, whether or not it controls this page yet. */
export async function tellWorker(message) {
  if (!("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.getRegistration();
  if (registration && registration.active) registration.active.postMessage(message);
}

function watchForUpdates(registration) {
  const banner = document.getElementById("update-ready");
  const offer = (worker) => {
    if (!banner || !worker) return;
    banner.hidden = false;
    banner.querySelector("[data-update-now]").onclick = () => worker.postMessage({ type: "skip-waiting" });
  };
  if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
    });
  });
  let reloaded = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (banner && !banner.hidden && !reloaded) { reloaded = true; location.reload(); }
  });
}

function listen(event) {
  const type = event.data && event.data.type;
  if (type === "shells-ready") document.documentElement.dataset.offlineForms = event.data.count;
  // A worker that has just activated keeps the capture forms now: activating never waits on the network.
  else if (type === "activated") event.source.postMessage({ type: "refresh-shells" });
}

/** Register the service worker and make sure this page is controlled by it. */
export async function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.addEventListener("message", listen);
  const registration = await navigator.serviceWorker.register("/service-worker.js", { scope: "/", type: "module" });
  watchForUpdates(registration);
  // A page that loaded while the worker was still activating is not yet controlled: ask to be.
  const ready = await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller && ready.active) ready.active.postMessage({ type: "claim" });
}

/** Ask the worker for the phone's background sync of the outbox, where the browser has it. */
export async function askForBackgroundSync() {
  if (!navigator.serviceWorker || !("SyncManager" in window)) return;
  const registration = await navigator.serviceWorker.ready;
  registration.sync.register("outbox").catch(() => {});
}

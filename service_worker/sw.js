// The service worker. The server prepends `const CONFIG = {...}` (version, precache list, capture
// forms) and serves it at /service-worker.js. It never caches /api/* or any page with personal data.
import { pushAll } from "__OUTBOX_URL__";

const PREFIX = "app-";
const STATIC_CACHE = `${PREFIX}static-${CONFIG.version}`;
const SHELL_CACHE = `${PREFIX}shells-${CONFIG.version}`;
const NETWORK_TIMEOUT_MS = 6000;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC_CACHE).then((cache) => cache.addAll(CONFIG.precache)));
});

// Activating only drops old caches and takes charge of open pages: it never waits on the network.
// The pages are told, and each answers "refresh-shells", so the capture forms are fetched afterwards.
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const expected = new Set([STATIC_CACHE, SHELL_CACHE]);
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && !expected.has(name)) await caches.delete(name);
    }
    await self.clients.claim();
    for (const client of await self.clients.matchAll({ includeUncontrolled: true })) {
      client.postMessage({ type: "activated" });
    }
  })());
});

let refreshing = null;  // one refresh at a time, however many pages ask

/** Keep each capture form as rendered for the phone (nothing personal); skip any that is refused. */
function refreshShells() {
  refreshing = refreshing || fetchShells().finally(() => { refreshing = null; });
  return refreshing;
}

async function fetchShells() {
  const cache = await caches.open(SHELL_CACHE);
  await Promise.all(CONFIG.shells.map(async (url) => {
    try {
      const response = await withTimeout(fetch(url, { credentials: "same-origin", redirect: "manual",
        headers: { [CONFIG.shellHeader]: "1" } }));
      if (response.ok && response.type === "basic") await cache.put(url, response);
    } catch (error) { /* offline: keep what is cached */ }
  }));
  const count = (await cache.keys()).length;
  for (const client of await self.clients.matchAll()) client.postMessage({ type: "shells-ready", count });
}

self.addEventListener("message", (event) => {
  const type = event.data && event.data.type;
  if (type === "skip-waiting") self.skipWaiting();
  else if (type === "refresh-shells") event.waitUntil(refreshShells());
  else if (type === "sign-out") event.waitUntil(caches.delete(SHELL_CACHE));
  else if (type === "claim") event.waitUntil(self.clients.claim());
});

function withTimeout(promise) {
  return Promise.race([promise, new Promise((_, reject) =>
    setTimeout(() => reject(new Error("timeout")), NETWORK_TIMEOUT_MS))]);
}

/** Name the kept form a page falls back to offline: a case opens the entry form, which shows the kept copy. */
function shellFor(path) {
  const read = CONFIG.readOffline.find(([pattern]) => new RegExp(pattern).test(path));
  return read ? read[1] : path;
}

/** Pages come from the network; with no network, a kept capture form or the "This phone" page. */
async function navigate(request) {
  const path = new URL(request.url).pathname;
  try {
    const response = await withTimeout(fetch(request));
    // A precached page (names nobody) is kept as last seen, so what an admin edits reaches phones too.
    if (response.ok && CONFIG.precache.includes(path)) (await caches.open(STATIC_CACHE)).put(path, response.clone());
    return response;
  } catch (error) {
    const kept = (await caches.match(shellFor(path), { cacheName: SHELL_CACHE }))
      || (await caches.match(path, { cacheName: STATIC_CACHE }));
    return kept || (await caches.match(CONFIG.fallback, { cacheName: STATIC_CACHE })) || Response.error();
  }
}

async function cacheFirst(request) {
  return (await caches.match(request, { cacheName: STATIC_CACHE })) || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname === "/service-worker.js") return;
  if (request.mode === "navigate") event.respondWith(navigate(request));
  else if (CONFIG.precache.includes(url.pathname)) event.respondWith(cacheFirst(request));
});

self.addEventListener("sync", (event) => {
  if (event.tag === "outbox") event.waitUntil(pushAll());
});

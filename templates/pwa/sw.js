// Buurtmarkt's service worker (rendered by marketplace/pwa/routes.py; version {{ version }}).
// Pages: from the network; the ones a resident looks at again (KEPT_PAGES) are kept for offline
// use. Without a network: the kept page, else the offline page. Static files: kept, their addresses change with their content. Kept pages
// belong to one person: when a page says another person (or nobody) uses this device now,
// they are thrown away.
const SHELL = "buurtmarkt-shell-{{ version }}";
const PAGES = "buurtmarkt-pages";
const META = "buurtmarkt-meta";
const SHELL_FILES = {{ shell|tojson }};
const OFFLINE_URL = {{ offline_url|tojson }};
const ICON = {{ icon|tojson }};
const KEPT_PAGES = {{ kept_pages|tojson }}.map((pattern) => new RegExp(pattern));

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_FILES))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names
      .filter((name) => name.startsWith("buurtmarkt-shell-") && name !== SHELL)
      .map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

async function useAccount(key) {
  const meta = await caches.open(META);
  const stored = await meta.match("/__account");
  const previous = stored ? await stored.text() : null;
  if (previous !== key) {
    await caches.delete(PAGES);
    await meta.put("/__account", new Response(key));
  }
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "account" && typeof data.key === "string") {
    event.waitUntil(useAccount(data.key).then(() => event.source && event.source.postMessage({type: "account-ready"})));
  }
});

async function page(request) {
  const keep = KEPT_PAGES.some((pattern) => pattern.test(new URL(request.url).pathname));
  try {
    const response = await fetch(request);
    const type = response.headers.get("content-type") || "";
    if (keep && response.ok && !response.redirected && type.startsWith("text/html")) {
      const copy = response.clone();
      caches.open(PAGES).then((cache) => cache.put(request, copy));
    }
    return response;
  } catch (error) {
    const kept = await caches.match(request, {cacheName: PAGES, ignoreVary: true});
    return kept || (await caches.match(OFFLINE_URL)) || Response.error();
  }
}

async function staticFile(request) {
  const kept = await caches.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) {
    const copy = response.clone();
    caches.open(SHELL).then((cache) => cache.put(request, copy));
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFile(request));
  }
});

self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = {}; }
  event.waitUntil(self.registration.showNotification(data.title || "Buurtmarkt", {
    body: data.body || "", tag: data.tag, icon: ICON, badge: ICON, data: {url: data.url || "/"},
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data.url, self.location.origin);
  if (target.origin !== self.location.origin) return;
  event.waitUntil(self.clients.matchAll({type: "window", includeUncontrolled: true}).then((windows) => {
    const open = windows.find((client) => client.url === target.href);
    return open ? open.focus() : self.clients.openWindow(target.href);
  }));
});

/// <reference lib="webworker" />
// The app's service worker (vite-plugin-pwa builds it from this file and writes the build's file
// list into `self.__WB_MANIFEST`, see vite.config.ts). It has two jobs:
//
// 1. Offline. At install it caches every file of the build; at activation it drops what no
//    longer belongs to the build. The page, its workers, the WebAssembly and the demo corpus then
//    come from the cache: after one visit the app opens and works with no network.
// 2. Cross-origin isolation on any static host (the coi-serviceworker pattern, emscripten
//    #14779): every same-origin response it serves carries COOP `same-origin` and COEP
//    `credentialless`, so the pages it serves may share memory between threads (wllama and
//    onnxruntime use several). `credentialless`, not `require-corp`: requests to other origins
//    (the model hub and its CDN, OpenAI-compatible servers) keep working without those hosts
//    sending a Cross-Origin-Resource-Policy header; they only lose their cookies, which none needs.
//    Requests to other origins pass through untouched.
//
// A new version installs beside the old one and waits until the page asks it to take over
// (workbox-window's SKIP_WAITING message, sent by "Reload to update").

interface ManifestEntry {
  /** Relative to this worker's URL. */
  url: string;
  /** The content's hash, or null when the file name carries it. */
  revision: string | null;
}

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: ManifestEntry[] };
// A module, so the declaration above is this file's own `self`, not the page's.
export {};

const CACHE = 'steps-studio-offline';

/** Each file of the build by its URL, and the key it is cached under. */
const files = new Map<string, { key: string }>(
  self.__WB_MANIFEST.map(({ url, revision }) => {
    const absolute = new URL(url, self.location.href).href;
    // A revision in the key: a file whose name stays across versions is fetched again when its
    // content changes, and the old copy is dropped at activation.
    const key = revision === null ? absolute : `${absolute}?revision=${revision}`;
    return [absolute, { key }];
  }),
);
const appPage = new URL('index.html', self.location.href).href;

self.addEventListener('install', (event) => event.waitUntil(cacheBuild()));

self.addEventListener('activate', (event) =>
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const current = new Set([...files.values()].map(({ key }) => key));
      for (const request of await cache.keys()) {
        if (!current.has(request.url)) await cache.delete(request);
      }
      // A page opened before this worker existed is served by it from now on (offline too); it
      // becomes isolated at its next load (src/ui/shell/serviceWorker.svelte.ts).
      await self.clients.claim();
    })(),
  ),
);

self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(respond(request));
});

/** Fetches what the cache lacks; a file already there (from an earlier version) is kept. */
async function cacheBuild(): Promise<void> {
  const cache = await caches.open(CACHE);
  await Promise.all(
    [...files].map(async ([url, { key }]) => {
      if (await cache.match(key)) return;
      // Past the HTTP cache: a stale copy would be kept under the new revision.
      const response = await fetch(url, { cache: 'reload' });
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      await cache.put(key, response);
    }),
  );
}

async function respond(request: Request): Promise<Response> {
  const url = new URL(request.url);
  url.hash = '';
  const page = `${url.origin}${url.pathname}`;
  // A load of the app's page (its folder or index.html, with any query) gets the cached page.
  const appLoad =
    request.mode === 'navigate' && (page === self.registration.scope || page === appPage);
  const file = files.get(appLoad ? appPage : url.href);
  const cache = await caches.open(CACHE);
  const response = (file && (await cache.match(file.key))) ?? (await fetch(request));
  return isolated(response);
}

/** The response with COOP and COEP set (see the top of this file). */
function isolated(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'credentialless');
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

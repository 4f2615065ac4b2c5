/// <reference lib="webworker" />
/**
 * The offline service worker (built to `dist/sw.js` by scripts/vite/serviceWorker.ts, registered by src/main.tsx in
 * production builds only). On install it stores the app shell, every built asset, models/index.json, the files of
 * the published models and the sample; afterwards the app starts and segments without a network. Strategies are
 * in ./cachePolicy; every answer carries the cross-origin isolation headers, so threaded WASM keeps working.
 */
import { strategyFor, withIsolation } from './cachePolicy';

declare const self: ServiceWorkerGlobalScope;

/** Set by the build (scripts/vite/serviceWorker.ts): the files to precache, relative to the scope, and a hash of them. */
interface BuildInfo {
  files: string[];
  version: string;
}
const build = (self as unknown as { __CINESEG_SW__?: BuildInfo }).__CINESEG_SW__ ?? { files: [], version: 'unbuilt' };
const PRECACHE = build.files;
const CACHE = `cineseg-${build.version}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      // `reload`: bypass the HTTP cache, so a new version never stores a stale copy.
      cache.addAll(PRECACHE.map((path) => new Request(new URL(path, self.registration.scope), { cache: 'reload' }))),
    ),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith('cineseg-') && k !== CACHE).map((k) => caches.delete(k))),
      ),
  );
});

function isolated(res: Response): Response {
  // Opaque or redirected responses cannot be re-created; same-origin ones can.
  if (res.type === 'opaque' || res.type === 'opaqueredirect' || res.status === 0) return res;
  return new Response(res.body, {
    status: res.status,
    statusText: res.statusText,
    headers: withIsolation(res.headers),
  });
}

async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  // ignoreVary: servers send `Vary: Origin`, and a module script's request has an Origin header the precache lacked.
  const hit = await cache.match(request, { ignoreVary: true });
  if (hit) return isolated(hit);
  const res = await fetch(request);
  if (res.ok) await cache.put(request, res.clone());
  return isolated(res);
}

async function networkFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  try {
    const res = await fetch(request);
    if (res.ok) await cache.put(request, res.clone());
    return isolated(res);
  } catch (e) {
    const hit =
      (await cache.match(request, { ignoreSearch: true, ignoreVary: true })) ??
      (request.mode === 'navigate' ? await cache.match(new URL('./', self.registration.scope).href) : undefined);
    if (hit) return isolated(hit);
    throw e;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const strategy = strategyFor(request.method, new URL(request.url), new URL(self.registration.scope));
  if (strategy === 'bypass') return;
  event.respondWith(strategy === 'cache-first' ? cacheFirst(request) : networkFirst(request));
});

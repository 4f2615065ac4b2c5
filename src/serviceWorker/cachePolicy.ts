/**
 * How the service worker answers each request (pure functions, unit-tested in Node):
 * - hashed build assets (`assets/*`) and versioned model folders (`models/<id>/<version>/*`) never change once
 *   published: cache first, fetched and stored on a miss;
 * - the page itself, `models/index.json` and everything else of ours: network first (so a new release and new
 *   models are seen at once), the cached copy when offline;
 * - other origins and non-GET requests: not touched.
 */
export type Strategy = 'cache-first' | 'network-first' | 'bypass';

/** A folder of public/models/ named `<id>/<version>/`: immutable, like a hashed asset. */
const VERSIONED_MODEL_FILE = /^models\/[^/]+\/[^/]+\/[^/]+$/;

export function strategyFor(method: string, url: URL, scope: URL): Strategy {
  if (method !== 'GET' || url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return 'bypass';
  const path = url.pathname.slice(scope.pathname.length);
  if (path.startsWith('assets/') || VERSIONED_MODEL_FILE.test(path)) return 'cache-first';
  return 'network-first';
}

/**
 * The page must stay cross-origin isolated when the service worker answers (threaded WASM needs it), and a static
 * host that cannot send headers gets them this way from the second visit on. Same-origin responses only.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Headers of `original` plus the isolation headers (set, not appended). */
export function withIsolation(original: Headers): Headers {
  const headers = new Headers(original);
  for (const [k, v] of Object.entries(ISOLATION_HEADERS)) headers.set(k, v);
  return headers;
}

import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { serviceWorker } from './scripts/vite/serviceWorker';
import { tfjsThreadedWasm } from './scripts/vite/tfjsThreadedWasm';

/** Built files of the benchmark page (bench/) are named `bench/...` or `assets/bench*`: the service worker skips them. */
const benchDir = fileURLToPath(new URL('./bench/', import.meta.url));
const isBenchEntry = (chunk: { facadeModuleId: string | null }): boolean =>
  chunk.facadeModuleId?.startsWith(benchDir) === true;

/**
 * Cross-origin isolation (COOP + COEP) makes SharedArrayBuffer available, which the tfjs WASM backend needs for
 * its threaded build. Any static host serving `dist/` must send the same two headers (see README).
 */
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Relative base: `dist/` works from any sub-path of a static host (e.g. GitHub Pages project sites).
  base: './',
  // One page, no client-side routes: a missing file is a real 404 (as on a static host), not index.html.
  appType: 'mpa',
  plugins: [
    react(),
    serviceWorker({
      fileName: 'sw.js',
      publicDir: 'public',
      exclude: (f) => f.startsWith('bench/') || f.startsWith('assets/bench'),
    }),
  ],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  // The segmentation worker bundles tfjs's threaded WASM backend: see scripts/vite/tfjsThreadedWasm.ts.
  worker: {
    format: 'es',
    plugins: () => [tfjsThreadedWasm()],
    rolldownOptions: {
      output: { entryFileNames: (chunk) => `assets/${isBenchEntry(chunk) ? 'bench-' : ''}[name]-[hash].js` },
    },
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      // The app, its offline service worker at the root of dist/ (its scope is the whole app), and the benchmark
      // page (dist/bench/index.html, `npm run bench`; not precached).
      input: { index: 'index.html', bench: 'bench/index.html', sw: 'src/serviceWorker/sw.ts' },
      output: { entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
    },
  },
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
});

import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { serviceWorker } from './scripts/vite/serviceWorker';
import { tfjsThreadedWasm } from './scripts/vite/tfjsThreadedWasm';

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
  worker: { format: 'es', plugins: () => [tfjsThreadedWasm()] },
  build: {
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      // The app, and its offline service worker at the root of dist/ (its scope is the whole app).
      input: { index: 'index.html', sw: 'src/serviceWorker/sw.ts' },
      output: { entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
    },
  },
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
});

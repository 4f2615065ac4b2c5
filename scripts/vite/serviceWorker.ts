/**
 * Vite plugin: finishes the offline service worker (src/serviceWorker/sw.ts, built as the `sw` entry to `sw.js`).
 * After bundling it writes into sw.js the list of files to precache (every built file of the app, the app's public
 * files: models/index.json, every published model's files, the sample) and a version hash of all of them, so a new
 * build or a newly published model installs a new service worker. The benchmark page (`bench/`, `assets/bench*`) is
 * left out.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

export interface ServiceWorkerOptions {
  /** The file name of the service worker chunk. */
  fileName: string;
  publicDir: string;
  /** Built files not to precache. */
  exclude: (fileName: string) => boolean;
}

interface IndexJson {
  models?: { path?: string }[];
}

/** Public files the app needs offline: the model list, each listed model's files, the sample. */
function publicFiles(publicDir: string): string[] {
  const files: string[] = [];
  const indexPath = path.join(publicDir, 'models/index.json');
  if (existsSync(indexPath)) {
    files.push('models/index.json');
    const index = JSON.parse(readFileSync(indexPath, 'utf8')) as IndexJson;
    for (const m of index.models ?? []) {
      if (!m.path) continue;
      const manifestPath = path.join(publicDir, 'models', m.path, 'manifest.json');
      if (!existsSync(manifestPath)) throw new Error(`models/index.json lists ${m.path}, which has no manifest.json`);
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { files?: { name: string }[] };
      files.push(`models/${m.path}manifest.json`, ...(manifest.files ?? []).map((f) => `models/${m.path}${f.name}`));
    }
  }
  const sampleDir = path.join(publicDir, 'sample');
  if (existsSync(sampleDir))
    files.push(
      ...readdirSync(sampleDir)
        .sort()
        .map((f) => `sample/${f}`),
    );
  return files;
}

export function serviceWorker(opts: ServiceWorkerOptions): Plugin {
  return {
    name: 'cineseg:service-worker',
    apply: 'build',
    // After Vite's own plugins, so the workers and their .wasm files are in the bundle.
    enforce: 'post',
    generateBundle(_options, bundle) {
      const sw = bundle[opts.fileName];
      if (!sw || sw.type !== 'chunk')
        return this.error(`${opts.fileName} was not built (is it an entry of the build?)`);
      // A classic (non-module) service worker works in every browser: it must not import anything.
      if (sw.imports.length > 0 || sw.dynamicImports.length > 0) {
        return this.error(
          `${opts.fileName} imports ${[...sw.imports, ...sw.dynamicImports].join(', ')}; keep it self-contained`,
        );
      }
      const built = Object.keys(bundle)
        .filter((f) => f !== opts.fileName && !f.endsWith('.map') && !opts.exclude(f))
        .map((f) => (f === 'index.html' ? './' : f))
        .sort();
      const fromPublic = publicFiles(opts.publicDir);
      const hash = createHash('sha256');
      for (const f of built) hash.update(f);
      for (const f of fromPublic) hash.update(f).update(readFileSync(path.join(opts.publicDir, f)));
      const info = { files: [...built, ...fromPublic], version: hash.digest('hex').slice(0, 16) };
      // On the first line, so the source map's lines stay right.
      sw.code = `self.__CINESEG_SW__=${JSON.stringify(info)};${sw.code}`;
    },
  };
}

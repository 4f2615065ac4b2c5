/**
 * Which model folder the batch CLI runs: `--model-dir <folder>` as given, else `--model <id>` = the newest
 * version of that id in public/models/index.json, else the index's default (the app's default too).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ModelError, type ModelIndex, type ModelIndexEntry } from '@/segment/manifest';
import { defaultModel, parseModelIndex } from '@/segment/modelIndex';

/** public/models of this checkout. */
export const DEFAULT_MODELS_DIR = path.resolve(import.meta.dirname, '../../public/models');

/** Compares dotted versions numerically; a pre-release (`1.0.0-dev`) sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const split = (v: string): [number[], string] => {
    const [core = '', pre = ''] = v.split(/-(.*)/s);
    return [core.split('.').map((p) => Number.parseInt(p, 10) || 0), pre];
  };
  const [ca, pa] = split(a);
  const [cb, pb] = split(b);
  for (let i = 0; i < Math.max(ca.length, cb.length); i++) {
    const d = (ca[i] ?? 0) - (cb[i] ?? 0);
    if (d !== 0) return d;
  }
  if (pa === pb) return 0;
  if (pa === '') return 1;
  if (pb === '') return -1;
  return pa < pb ? -1 : 1;
}

/** The entry for `id` (newest version), or the default entry when `id` is undefined. */
export function pickModel(index: ModelIndex, id: string | undefined): ModelIndexEntry {
  if (id === undefined) return defaultModel(index);
  const matching = index.models.filter((m) => m.id === id);
  if (matching.length === 0) {
    const ids = [...new Set(index.models.map((m) => m.id))].join(', ');
    throw new ModelError(`there is no model "${id}" in models/index.json (available: ${ids})`);
  }
  return matching.reduce((best, m) => (compareVersions(m.version, best.version) > 0 ? m : best));
}

export function readModelIndex(modelsDir: string): ModelIndex {
  const file = path.join(modelsDir, 'index.json');
  if (!existsSync(file)) throw new ModelError(`no model list at ${file}; publish a model or pass --model-dir`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new ModelError(`${file} is not valid JSON`);
  }
  return parseModelIndex(json);
}

/** The model folder to load. */
export function resolveModelDir(opts: { modelDir?: string; model?: string; modelsDir?: string }): string {
  if (opts.modelDir !== undefined) {
    const dir = path.resolve(opts.modelDir);
    if (!existsSync(path.join(dir, 'manifest.json'))) {
      throw new ModelError(`${dir} is not a model folder (it has no manifest.json)`);
    }
    return dir;
  }
  const modelsDir = opts.modelsDir ?? DEFAULT_MODELS_DIR;
  return path.join(modelsDir, pickModel(readModelIndex(modelsDir), opts.model).path);
}

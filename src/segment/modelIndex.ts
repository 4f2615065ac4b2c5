/**
 * The list of published models (public/models/index.json) as the app reads it: which models exist, which one is
 * the default, and where each one's folder is. Model ids are strings and cache keys carry the version.
 */
import { ModelError, type ModelIndex, type ModelIndexEntry } from './manifest';

/** `id@version`: the key of a model in caches and worker messages (new weights get a new key). */
export function modelKey(m: { id: string; version: string }): string {
  return `${m.id}@${m.version}`;
}

/** Checks the shape of index.json; throws a ModelError naming what is wrong. */
export function parseModelIndex(json: unknown): ModelIndex {
  const bad = (why: string): never => {
    throw new ModelError(`models/index.json is not a valid model list (${why})`);
  };
  if (typeof json !== 'object' || json === null) return bad('not an object');
  const { default: def, models } = json as { default?: unknown; models?: unknown };
  if (!Array.isArray(models) || models.length === 0) return bad('no models');
  for (const m of models as unknown[]) {
    const e = (m ?? {}) as Partial<ModelIndexEntry>;
    if (typeof e.id !== 'string' || typeof e.version !== 'string' || typeof e.path !== 'string') {
      return bad('an entry lacks id, version or path');
    }
    if (!e.path.endsWith('/')) return bad(`path ${e.path} must end with /`);
  }
  const entries = (models as ModelIndexEntry[]).map((m) => ({ ...m, label: m.label || `${m.id} ${m.version}` }));
  const fallback = entries[0]!.path;
  return { default: typeof def === 'string' && entries.some((m) => m.path === def) ? def : fallback, models: entries };
}

/** The default entry of an index. */
export function defaultModel(index: ModelIndex): ModelIndexEntry {
  return index.models.find((m) => m.path === index.default) ?? index.models[0]!;
}

/** Fetches and checks `<modelsUrl>index.json`; `modelsUrl` is absolute and ends in '/'. */
export async function fetchModelIndex(modelsUrl: string, fetchFn: typeof fetch = fetch): Promise<ModelIndex> {
  let res: Response;
  try {
    res = await fetchFn(new URL('index.json', modelsUrl));
  } catch (e) {
    throw new ModelError(`the list of models could not be downloaded (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!res.ok) throw new ModelError(`the list of models (models/index.json) could not be loaded (HTTP ${res.status})`);
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    throw new ModelError('models/index.json is not valid JSON');
  }
  return parseModelIndex(json);
}

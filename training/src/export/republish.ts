/**
 * A new version of a published model over the same weights with a changed inference set-up (e.g. the heart
 * crop) and the figures measured with it. The old version stays as it was (published folders never change).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ModelIndex, ModelManifest } from '../../../src/segment/manifest';

export interface RepublishOptions {
  modelsDir: string;
  from: { id: string; version: string };
  version: string;
  heartCrop?: { inputSize: number } | null;
  flopsPerImage?: number;
  metrics?: Record<string, unknown>;
  label?: string;
  makeDefault?: boolean;
}

export function republishModel(o: RepublishOptions): ModelManifest {
  const src = path.join(o.modelsDir, o.from.id, o.from.version);
  const dst = path.join(o.modelsDir, o.from.id, o.version);
  if (fs.existsSync(path.join(dst, 'manifest.json'))) throw new Error(`${dst} is already published; choose a new version`);
  const old = JSON.parse(fs.readFileSync(path.join(src, 'manifest.json'), 'utf8')) as ModelManifest;
  fs.mkdirSync(dst, { recursive: true });
  for (const f of old.files) fs.copyFileSync(path.join(src, f.name), path.join(dst, f.name));
  const manifest: ModelManifest = {
    ...old,
    version: o.version,
    ...(o.heartCrop ? { heartCrop: o.heartCrop } : {}),
    flopsPerImage: o.flopsPerImage ?? old.flopsPerImage,
    metrics: o.metrics ?? old.metrics,
    training: { ...old.training, republishedFrom: `${o.from.id}@${o.from.version}` },
    created: new Date().toISOString(),
  };
  if (o.heartCrop === null) delete manifest.heartCrop;
  fs.writeFileSync(path.join(dst, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  const indexFile = path.join(o.modelsDir, 'index.json');
  const index = JSON.parse(fs.readFileSync(indexFile, 'utf8')) as ModelIndex;
  index.models = index.models.filter((m) => !(m.id === o.from.id && m.version === o.version));
  index.models.push({ id: o.from.id, version: o.version, path: `${o.from.id}/${o.version}/`, label: o.label ?? `${o.from.id} ${o.version}` });
  if (o.makeDefault) index.default = `${o.from.id}/${o.version}/`;
  fs.writeFileSync(indexFile, JSON.stringify(index, null, 1) + '\n');
  return manifest;
}

/**
 * Publishes a new version of a published model over its own weights, with a heart crop and fresh figures:
 *
 *   node --import tsx src/commands/republish.ts --from student@1.1.0 --version 1.2.0 --heart-crop 128 \
 *        --metrics reports/evaluation.json --metrics-key student@1.1.0-crop128 --label "..." --default true
 */
import fs from 'node:fs';
import path from 'node:path';
import { graphFlops } from '../../../src/segment/graphFlops';
import type { GraphJson } from '../../../src/segment/graph';
import { republishModel } from '../export/republish';
import { MODELS_DIR } from '../paths';
import { parseArgs } from '../util/args';

const args = parseArgs(process.argv.slice(2), {
  from: '',
  version: '',
  'heart-crop': '0',
  metrics: '',
  'metrics-key': '',
  label: '',
  default: 'false',
  out: MODELS_DIR,
});
if (!args.from.includes('@') || !args.version) throw new Error('--from id@version and --version are required');
const [id, version] = args.from.split('@') as [string, string];
const crop = Number(args['heart-crop']);
let metrics: Record<string, unknown> | undefined;
if (args.metrics) {
  const all = JSON.parse(fs.readFileSync(path.resolve(args.metrics), 'utf8')) as { models?: Record<string, Record<string, unknown>> };
  metrics = { ...(all.models?.[args['metrics-key'] || args.from] ?? {}) };
  delete metrics.acdcPerVolume;
  delete metrics.mnmsPerVolume;
}
const json = JSON.parse(fs.readFileSync(path.join(args.out, id, version, 'model.json'), 'utf8')) as GraphJson;
const manifest = republishModel({
  modelsDir: args.out,
  from: { id, version },
  version: args.version,
  heartCrop: crop > 0 ? { inputSize: crop } : null,
  flopsPerImage: crop > 0 ? graphFlops(json, crop) : undefined,
  metrics,
  label: args.label || undefined,
  makeDefault: args.default === 'true',
});
console.log(JSON.stringify({ event: 'republished', id, version: manifest.version, heartCrop: manifest.heartCrop ?? null, flopsPerImage: manifest.flopsPerImage }));

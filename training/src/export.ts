/**
 * Publishes a trained run to public/models/<id>/<version>/ as a folded graph + manifest, and lists it in
 * public/models/index.json. A published version is never overwritten.
 *
 *   node --import tsx src/export.ts --run runs/student-e8-kd-T2-W0.5 --id student --version 1.0.0 \
 *        --dtype float16 --metrics reports/evaluation.json --teacher teacher@1.0.0
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { LABEL_NAMES, NUM_CLASSES } from '../../src/core/labels';
import { DEFAULT_PREPROCESS, NORM_HIGH_PERCENTILE, NORM_LOW_PERCENTILE, PREPROCESS_VERSION } from '../../src/core/preprocess';
import { loadGraph, runGraph } from '../../src/segment/graph';
import type { ModelIndex, ModelManifest } from '../../src/segment/manifest';
import { initTrainingBackend } from './backend';
import { foldGraph, graphFlops } from './export/foldGraph';
import { packWeights } from './export/pack';
import { buildModel, type ModelSpec } from './models/spec';
import { parseArgs } from './util/args';
import { loadWeights } from './weights';

const args = parseArgs(process.argv.slice(2), {
  run: '',
  id: 'student',
  version: '1.0.0',
  dtype: 'float16',
  metrics: '',
  'metrics-key': '',
  teacher: '',
  label: '',
  default: 'false',
  out: path.resolve(import.meta.dirname, '../../public/models'),
  force: 'false',
  weights: 'final',
});
if (!args.run) throw new Error('--run runs/<name> is required');
await initTrainingBackend();
const runDir = path.resolve(args.run);
// run.json is written when a run ends; spec.json when it starts (for exporting a checkpoint mid-run).
const runFile = fs.existsSync(path.join(runDir, 'run.json')) ? 'run.json' : 'spec.json';
const run = JSON.parse(fs.readFileSync(path.join(runDir, runFile), 'utf8')) as {
  spec: ModelSpec;
  command?: string;
  sources?: string;
  [k: string]: unknown;
};
const model = buildModel(run.spec);
loadWeights(model, path.join(runDir, args.weights));
const folded = foldGraph(model);
const dtype = args.dtype === 'float32' ? 'float32' : 'float16';
const { json, bytes } = packWeights(folded, dtype);

// The exported graph must compute what the trained model computes (float16 rounding aside).
const n = DEFAULT_PREPROCESS.inputSize;
const probe = tf.randomUniform<tf.Rank.R4>([2, n, n, 1], 0, 1, 'float32', 7);
const ref = (model.predict(probe) as tf.Tensor[])[0]!;
const graph = loadGraph(json, bytes);
const got = runGraph(graph, probe);
const maxDiff = tf.max(tf.abs(tf.sub(got, ref))).dataSync()[0]!;
const agree = tf.mean(tf.cast(tf.equal(tf.argMax(got, -1), tf.argMax(ref, -1)), 'float32')).dataSync()[0]!;
console.log(JSON.stringify({ event: 'verify', maxAbsLogitDiff: maxDiff, argmaxAgreement: agree }));
if (agree < 0.999) throw new Error(`exported graph disagrees with the model on ${((1 - agree) * 100).toFixed(2)}% of pixels`);

const dir = path.join(args.out, args.id, args.version);
if (fs.existsSync(path.join(dir, 'manifest.json')) && args.force !== 'true') {
  throw new Error(`${dir} is already published; choose a new --version`);
}
fs.mkdirSync(dir, { recursive: true });
const modelJson = Buffer.from(JSON.stringify(json));
fs.writeFileSync(path.join(dir, 'model.json'), modelJson);
fs.writeFileSync(path.join(dir, 'weights.bin'), bytes);
const sha = (b: Uint8Array): string => crypto.createHash('sha256').update(b).digest('hex');

let metrics: Record<string, unknown> = {};
if (args.metrics) {
  const all = JSON.parse(fs.readFileSync(path.resolve(args.metrics), 'utf8')) as Record<string, unknown>;
  const models = (all.models ?? {}) as Record<string, unknown>;
  metrics = (models[args['metrics-key'] || path.basename(runDir)] as Record<string, unknown>) ?? {};
}
const [teacherId, teacherVersion] = args.teacher ? args.teacher.split('@') : [];
const manifest: ModelManifest = {
  id: args.id,
  version: args.version,
  format: 'cineseg-graph/1',
  inputShape: [n, n, 1],
  spacingMm: DEFAULT_PREPROCESS.spacingMm,
  classes: Array.from({ length: NUM_CLASSES }, (_, c) => LABEL_NAMES[c as 0 | 1 | 2 | 3]),
  preprocessVersion: PREPROCESS_VERSION,
  normalisation: { lowPercentile: NORM_LOW_PERCENTILE, highPercentile: NORM_HIGH_PERCENTILE },
  tta: run.spec.kind === 'teacher',
  parameters: folded.weights.reduce((a, w) => a + w.values.length, 0),
  flopsPerImage: graphFlops(folded, n),
  weightsDtype: dtype,
  teacher: teacherId && teacherVersion ? { id: teacherId, version: teacherVersion } : null,
  training: {
    data: `${run.sources ?? 'checkpoint'} (../shared/data; ACDC: Bernard et al., IEEE TMI 2018; Sunnybrook: Radau et al., MIDAS 2009, CC0)`,
    command: run.command ?? `checkpoint ${args.weights} of ${path.basename(runDir)}`,
    config: Object.fromEntries(Object.entries(run).filter(([k]) => !['history', 'command'].includes(k))),
  },
  metrics: { ...metrics, exportCheck: { maxAbsLogitDiff: maxDiff, argmaxAgreement: agree } },
  files: [
    { name: 'model.json', bytes: modelJson.byteLength, sha256: sha(modelJson) },
    { name: 'weights.bin', bytes: bytes.byteLength, sha256: sha(bytes) },
  ],
  created: new Date().toISOString(),
};
fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');

const indexFile = path.join(args.out, 'index.json');
const index: ModelIndex = fs.existsSync(indexFile)
  ? (JSON.parse(fs.readFileSync(indexFile, 'utf8')) as ModelIndex)
  : { default: '', models: [] };
index.models = index.models.filter((m) => !(m.id === args.id && m.version === args.version));
index.models.push({
  id: args.id,
  version: args.version,
  path: `${args.id}/${args.version}/`,
  label: args.label || `${args.id} ${args.version}`,
});
if (args.default === 'true' || !index.default) index.default = `${args.id}/${args.version}/`;
fs.writeFileSync(indexFile, JSON.stringify(index, null, 1) + '\n');
console.log(JSON.stringify({ event: 'exported', dir, parameters: manifest.parameters, flops: manifest.flopsPerImage, bytes: bytes.byteLength }));

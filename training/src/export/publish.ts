/**
 * Publishes a tf.layers model as the app's deployed format: folded graph (model.json + weights.bin),
 * manifest.json with sha256 of each file, and an entry in <outDir>/index.json. Used by the export CLI
 * and by the training/app contract test.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { LABEL_NAMES, NUM_CLASSES } from '../../../src/core/labels';
import {
  DEFAULT_PREPROCESS,
  NORM_HIGH_PERCENTILE,
  NORM_LOW_PERCENTILE,
  PREPROCESS_VERSION,
  type PreprocessConfig,
} from '../../../src/core/preprocess';
import { loadGraph, runGraph } from '../../../src/segment/graph';
import type { ModelIndex, ModelManifest } from '../../../src/segment/manifest';
import { foldedGraphFlops, foldGraph } from './foldGraph';
import { modelChannels } from '../models/spec';
import { packWeights } from './pack';

export interface PublishOptions {
  id: string;
  version: string;
  dtype: 'float32' | 'float16';
  outDir: string;
  tta: boolean;
  preprocess?: PreprocessConfig;
  /** Heart-centred inference (src/segment/engine planSeries): the crop the second pass runs on. */
  heartCrop?: { inputSize: number };
  teacher?: { id: string; version: string } | null;
  training: ModelManifest['training'];
  metrics?: Record<string, unknown>;
  label?: string;
  makeDefault?: boolean;
  force?: boolean;
}

export interface PublishResult {
  dir: string;
  manifest: ModelManifest;
  check: { maxAbsLogitDiff: number; argmaxAgreement: number };
}

export function publishModel(model: tf.LayersModel, o: PublishOptions): PublishResult {
  const cfg = o.preprocess ?? DEFAULT_PREPROCESS;
  const folded = foldGraph(model);
  const { json, bytes } = packWeights(folded, o.dtype);

  // The exported graph must compute what the trained model computes (float16 rounding aside).
  const n = cfg.inputSize;
  const channels = modelChannels(model);
  const check = tf.tidy(() => {
    const probe = tf.randomUniform<tf.Rank.R4>([2, n, n, channels], 0, 1, 'float32', 7);
    const ref = (model.predict(probe) as tf.Tensor[])[0]!;
    const graph = loadGraph(json, bytes);
    const got = runGraph(graph, probe);
    const maxAbsLogitDiff = tf.max(tf.abs(tf.sub(got, ref))).dataSync()[0]!;
    const argmaxAgreement = tf.mean(tf.cast(tf.equal(tf.argMax(got, -1), tf.argMax(ref, -1)), 'float32')).dataSync()[0]!;
    graph.tensors.forEach((t) => t.dispose());
    return { maxAbsLogitDiff, argmaxAgreement };
  });
  if (check.argmaxAgreement < 0.999) {
    throw new Error(`exported graph disagrees with the model on ${((1 - check.argmaxAgreement) * 100).toFixed(2)}% of pixels`);
  }

  const dir = path.join(o.outDir, o.id, o.version);
  if (fs.existsSync(path.join(dir, 'manifest.json')) && !o.force) {
    throw new Error(`${dir} is already published; choose a new --version`);
  }
  fs.mkdirSync(dir, { recursive: true });
  const modelJson = Buffer.from(JSON.stringify(json));
  fs.writeFileSync(path.join(dir, 'model.json'), modelJson);
  fs.writeFileSync(path.join(dir, 'weights.bin'), bytes);
  const sha = (b: Uint8Array): string => crypto.createHash('sha256').update(b).digest('hex');
  const manifest: ModelManifest = {
    id: o.id,
    version: o.version,
    format: 'cineseg-graph/1',
    inputShape: [n, n, channels],
    spacingMm: cfg.spacingMm,
    ...(o.heartCrop ? { heartCrop: o.heartCrop } : {}),
    classes: Array.from({ length: NUM_CLASSES }, (_, c) => LABEL_NAMES[c as 0 | 1 | 2 | 3]),
    preprocessVersion: PREPROCESS_VERSION,
    normalisation: { lowPercentile: NORM_LOW_PERCENTILE, highPercentile: NORM_HIGH_PERCENTILE },
    tta: o.tta,
    parameters: folded.weights.reduce((a, w) => a + w.values.length, 0),
    // What the app spends per image: the crop pass for heart-centred models (the locator adds a few images per series).
    flopsPerImage: foldedGraphFlops(folded, o.heartCrop?.inputSize ?? n),
    weightsDtype: o.dtype,
    teacher: o.teacher ?? null,
    training: o.training,
    metrics: { ...(o.metrics ?? {}), exportCheck: check },
    files: [
      { name: 'model.json', bytes: modelJson.byteLength, sha256: sha(modelJson) },
      { name: 'weights.bin', bytes: bytes.byteLength, sha256: sha(bytes) },
    ],
    created: new Date().toISOString(),
  };
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');

  const indexFile = path.join(o.outDir, 'index.json');
  const index: ModelIndex = fs.existsSync(indexFile)
    ? (JSON.parse(fs.readFileSync(indexFile, 'utf8')) as ModelIndex)
    : { default: '', models: [] };
  index.models = index.models.filter((m) => !(m.id === o.id && m.version === o.version));
  index.models.push({ id: o.id, version: o.version, path: `${o.id}/${o.version}/`, label: o.label ?? `${o.id} ${o.version}` });
  if (o.makeDefault || !index.default) index.default = `${o.id}/${o.version}/`;
  fs.writeFileSync(indexFile, JSON.stringify(index, null, 1) + '\n');
  return { dir, manifest, check };
}

/**
 * The contract between training and the app: a model trained here, exported by the publish step, and
 * loaded through the app's own src/segment engine gives back the training-time output.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makePhantom } from '../../src/core/phantom';
import { prepareSlice, type PreprocessConfig } from '../../src/core/preprocess';
import { sliceOffset } from '../../src/core/volume';
import { loadModel, planVolume, predictLogits as enginePredict, segmentFrame } from '../../src/segment/engine';
import { ModelError } from '../../src/segment/manifest';
import { phantomTrainVolumes } from './data/phantom';
import { DEFAULT_AUGMENT, makeBatch, sliceRefs } from './data/sampler';
import { publishModel } from './export/publish';
import { defaultHeadWeights, layerwiseLoss } from './losses';
import { buildStudent, studentWithExpansion } from './models/student';
import { predictLogits as trainingPredict } from './predict';
import { makeRng } from './util/random';
import { buildModel } from './models/spec';
import { loadWeights, saveWeights } from './weights';

const cfg: PreprocessConfig = { inputSize: 32, spacingMm: 6 };
let dir = '';
let model: tf.LayersModel;

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = buildStudent(studentWithExpansion(2));
  const vols = phantomTrainVolumes(1);
  const refs = sliceRefs(vols, cfg);
  const rng = makeRng(3);
  const opt = tf.train.adam(1e-3);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  for (let step = 0; step < 3; step++) {
    const b = makeBatch(refs.slice(step * 2, step * 2 + 2), 32, cfg, DEFAULT_AUGMENT, rng);
    tf.tidy(() => {
      const x = tf.tensor4d(b.x, [2, 32, 32, 1]);
      const y = tf.oneHot(tf.tensor1d(b.y, 'int32'), 4).reshape<tf.Tensor4D>([2, 32, 32, 4]).toFloat();
      const { grads } = tf.variableGrads(
        () => layerwiseLoss(model.apply(x, { training: true }) as tf.Tensor4D[], y, null, defaultHeadWeights(4)),
        vars,
      );
      opt.applyGradients(grads as unknown as Parameters<typeof opt.applyGradients>[0]);
    });
  }
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cineseg-contract-'));
  publish(model, 'student');
});

/** Publishes `m` as `id` 0.0.1 under the test's folder. */
const publish = (m: tf.LayersModel, id: string): void => {
  publishModel(m, {
    id,
    version: '0.0.1',
    dtype: 'float32',
    outDir: dir,
    tta: false,
    preprocess: cfg,
    training: { data: 'phantom', command: 'contract test', config: {} },
  });
};

const reader = (folder: string) => (file: string) => Promise.resolve(new Uint8Array(fs.readFileSync(path.join(folder, file))));

describe('training -> export -> app engine', () => {
  it('the engine loads the published model and reproduces the training-time logits', async () => {
    const loaded = await loadModel(reader(path.join(dir, 'student/0.0.1')));
    expect(loaded.manifest.inputShape).toEqual([32, 32, 1]);
    const ph = makePhantom({ seed: 9, slices: 4, frames: 3 });
    const plan = planVolume(ph.volume, loaded.manifest);
    const plane = ph.volume.dims.cols * ph.volume.dims.rows;
    const inputs = new Float32Array(4 * 32 * 32);
    for (let s = 0; s < 4; s++) {
      const o = sliceOffset(ph.volume.dims, s, 1);
      prepareSlice(ph.volume.data.subarray(o, o + plane), plan, inputs.subarray(s * 1024, (s + 1) * 1024));
    }
    const fromApp = enginePredict(loaded, inputs, 4, false);
    const fromTraining = trainingPredict(model, inputs, 4, 32, 4, false);
    let maxDiff = 0;
    let scale = 0;
    for (let i = 0; i < fromApp.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(fromApp[i]! - fromTraining[i]!));
      scale = Math.max(scale, Math.abs(fromTraining[i]!));
    }
    expect(maxDiff / Math.max(scale, 1)).toBeLessThan(1e-4);
    const labels = segmentFrame(loaded, ph.volume, plan, 1);
    expect(labels.length).toBe(4 * plane);
    expect(Math.max(...labels)).toBeLessThanOrEqual(3);
    const before = tf.memory().numTensors;
    segmentFrame(loaded, ph.volume, plan, 2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a model made with other preprocessing, and corrupt weights', async () => {
    const src = path.join(dir, 'student/0.0.1');
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'cineseg-bad-'));
    for (const f of fs.readdirSync(src)) fs.copyFileSync(path.join(src, f), path.join(bad, f));
    const manifest = JSON.parse(fs.readFileSync(path.join(bad, 'manifest.json'), 'utf8')) as { preprocessVersion: number };
    fs.writeFileSync(path.join(bad, 'manifest.json'), JSON.stringify({ ...manifest, preprocessVersion: manifest.preprocessVersion + 1 }));
    await expect(loadModel(reader(bad))).rejects.toThrow(ModelError);
    fs.writeFileSync(path.join(bad, 'manifest.json'), JSON.stringify(manifest));
    const w = fs.readFileSync(path.join(bad, 'weights.bin'));
    w[10] = (w[10]! + 1) % 256;
    fs.writeFileSync(path.join(bad, 'weights.bin'), w);
    await expect(loadModel(reader(bad))).rejects.toThrow(/corrupt/);
  });
});

describe('a model with through-plane context', () => {
  it('starts from a one-channel checkpoint with the same predictions, publishes [n, n, 3] and runs in the engine', async () => {
    const ckpt = fs.mkdtempSync(path.join(os.tmpdir(), 'cineseg-widen-'));
    saveWeights(model, ckpt);
    const wide = buildModel({ kind: 'student', expansion: 2, channels: 3 });
    expect(() => loadWeights(wide, ckpt)).toThrow(/shape/);
    loadWeights(wide, ckpt, { widenInput: true });
    publish(wide, 'student-context');
    const one = await loadModel(reader(path.join(dir, 'student/0.0.1')));
    const three = await loadModel(reader(path.join(dir, 'student-context/0.0.1')));
    expect(three.manifest.inputShape).toEqual([32, 32, 3]);
    const ph = makePhantom({ seed: 9, slices: 5, frames: 2 });
    const plan = planVolume(ph.volume, three.manifest);
    const a = segmentFrame(one, ph.volume, plan, 1);
    const b = segmentFrame(three, ph.volume, plan, 1);
    let same = 0;
    for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
    expect(same / a.length).toBeGreaterThan(0.999);
    // Training's batches and the engine give the wide model the same input: training-time logits on a batch match.
    const refs = sliceRefs(phantomTrainVolumes(1), cfg).slice(2, 4);
    const batch = makeBatch(refs, 32, cfg, { ...DEFAULT_AUGMENT, enabled: false }, makeRng(0), undefined, 3);
    const fromTraining = trainingPredict(wide, batch.x, 2, 32, 2, false);
    const fromApp = enginePredict(three, batch.x, 2, false);
    let maxDiff = 0;
    for (let i = 0; i < fromApp.length; i++) maxDiff = Math.max(maxDiff, Math.abs(fromApp[i]! - fromTraining[i]!));
    expect(maxDiff).toBeLessThan(1e-3);
  });
});

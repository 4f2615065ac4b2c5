import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel, type ModelSpec } from './models/spec';
import { averageCheckpoints, loadWeights, saveWeights } from './weights';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const spec: ModelSpec = { kind: 'student', expansion: 2 };

function saved(seed: number, dir: string): tf.LayersModel {
  const model = buildModel(spec);
  // Deterministic, distinct weights per seed.
  model.setWeights(model.weights.map((w, i) => tf.fill(w.shape as number[], seed + i / 100)));
  saveWeights(model, dir);
  return model;
}

describe('checkpoint averaging (model soup)', () => {
  it('writes the weighted mean of every weight, loadable into the architecture', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cineseg-soup-'));
    saved(1, path.join(root, 'a'));
    saved(3, path.join(root, 'b'));
    averageCheckpoints([path.join(root, 'a'), path.join(root, 'b')], [3, 1], path.join(root, 'soup'), { step: 0 });
    const model = buildModel(spec);
    const meta = loadWeights(model, path.join(root, 'soup'));
    expect(meta.step).toBe(0);
    model.weights.forEach((w, i) => {
      const v = w.read().dataSync();
      // 0.75 * (1 + i/100) + 0.25 * (3 + i/100) = 1.5 + i/100
      expect(v[0]).toBeCloseTo(1.5 + i / 100, 5);
      expect(v[v.length - 1]).toBeCloseTo(1.5 + i / 100, 5);
    });
  });

  it('refuses checkpoints of different architectures and bad weights', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cineseg-soup-'));
    saved(1, path.join(root, 'a'));
    saveWeights(buildModel({ kind: 'student', expansion: 4 }), path.join(root, 'c'));
    expect(() => averageCheckpoints([path.join(root, 'a'), path.join(root, 'c')], [1, 1], path.join(root, 'x'))).toThrow(/weight shapes differ/);
    expect(() => averageCheckpoints([path.join(root, 'a')], [1, 1], path.join(root, 'x'))).toThrow(/1 checkpoints, 2 weights/);
    expect(() => averageCheckpoints([path.join(root, 'a')], [0], path.join(root, 'x'))).toThrow(/positive sum/);
  });
});

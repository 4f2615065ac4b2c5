import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { liveTeacherLogits, loadTeacher } from './liveTeacher';
import { buildModel, type ModelSpec } from './models/spec';
import { saveWeights } from './weights';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function checkpoint(spec: ModelSpec): { dir: string; model: tf.LayersModel } {
  const run = fs.mkdtempSync(path.join(os.tmpdir(), 'cineseg-teacher-'));
  const model = buildModel(spec);
  saveWeights(model, path.join(run, 'last'));
  fs.writeFileSync(path.join(run, 'spec.json'), JSON.stringify({ spec }));
  return { dir: path.join(run, 'last'), model };
}

describe('a teacher run on every batch', () => {
  it('loads a checkpoint with its spec and gives the saved model\'s full-resolution logits', () => {
    const spec: ModelSpec = { kind: 'teacher', features: [4, 8, 8, 16, 16] };
    const { dir, model } = checkpoint(spec);
    const teacher = loadTeacher(dir);
    expect(teacher.spec).toEqual(spec);
    const x = tf.randomUniform<tf.Rank.R4>([2, 32, 32, 1], 0, 1, 'float32', 3);
    const got = tf.tidy(() => liveTeacherLogits(teacher.model, x));
    const want = (model.predict(x) as tf.Tensor[])[0]!;
    expect(got.shape).toEqual([2, 32, 32, 4]);
    expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]).toBeLessThan(1e-5);
    // A freshly built teacher differs: the weights came from the checkpoint.
    const other = (buildModel(spec).predict(x) as tf.Tensor[])[0]!;
    expect(tf.max(tf.abs(tf.sub(other, want))).dataSync()[0]).toBeGreaterThan(1e-3);
  });

  it('refuses a teacher with through-plane context and a folder without a spec', () => {
    const { dir } = checkpoint({ kind: 'student', expansion: 2, channels: 3 });
    expect(() => loadTeacher(dir)).toThrow(/input channels/);
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'cineseg-bare-'));
    fs.mkdirSync(path.join(bare, 'last'));
    fs.writeFileSync(path.join(bare, 'last', 'weights.json'), '{"weights":[]}');
    expect(() => loadTeacher(path.join(bare, 'last'))).toThrow(/spec.json/);
  });
});

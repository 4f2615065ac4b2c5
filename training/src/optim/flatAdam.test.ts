import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeOptimizer, optimisationStep } from './step';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A small conv net with a few differently shaped variables, and a fixed batch. */
function setup(seed: number): { model: tf.LayersModel; vars: tf.Variable[] } {
  const input = tf.input({ shape: [6, 6, 2] });
  let x = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotNormal({ seed }) }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthwiseInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }) }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 2, kernelSize: 1, kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 2 }) }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: x });
  return { model, vars: model.trainableWeights.map((w) => w.read() as tf.Variable) };
}

describe('flat Adam', () => {
  it('follows tf.train.adam step for step, with a changing learning rate', () => {
    const xb = tf.randomNormal([4, 6, 6, 2], 0, 1, 'float32', 7);
    const target = tf.randomNormal([4, 6, 6, 2], 0, 1, 'float32', 8);
    const a = setup(3);
    const b = setup(3);
    const optA = makeOptimizer('adam', a.vars, 0.01);
    const optB = makeOptimizer('flat-adam', b.vars, 0.01);
    const loss = (m: tf.LayersModel) => () => tf.losses.meanSquaredError<tf.Tensor, tf.Scalar>(target, m.apply(xb) as tf.Tensor);
    const before = a.vars.map((v) => v.clone());
    const lossesA: number[] = [];
    const lossesB: number[] = [];
    for (let i = 0; i < 8; i++) {
      const lr = 0.01 * (1 - i / 8);
      optA.setLearningRate(lr);
      optB.setLearningRate(lr);
      lossesA.push(optimisationStep(loss(a.model), a.vars, optA));
      lossesB.push(optimisationStep(loss(b.model), b.vars, optB));
    }
    // Training moved the weights and lowered the loss ...
    expect(lossesA[7]!).toBeLessThan(lossesA[0]!);
    const moved = Math.max(...a.vars.map((v, i) => tf.max(tf.abs(tf.sub(v, before[i]!))).dataSync()[0]!));
    expect(moved).toBeGreaterThan(0.01);
    // ... and both optimisers moved them the same way.
    for (let i = 0; i < a.vars.length; i++) {
      const d = tf.max(tf.abs(tf.sub(a.vars[i]!, b.vars[i]!))).dataSync()[0]!;
      expect(d).toBeLessThan(1e-5);
    }
    lossesA.forEach((l, i) => expect(Math.abs(l - lossesB[i]!)).toBeLessThan(1e-5));
  });

  it('resumes exactly from a saved state (a run continued in a later session)', () => {
    const xb = tf.randomNormal([4, 6, 6, 2], 0, 1, 'float32', 17);
    const target = tf.randomNormal([4, 6, 6, 2], 0, 1, 'float32', 18);
    const a = setup(5);
    const b = setup(5);
    const optA = makeOptimizer('flat-adam', a.vars, 0.01);
    const loss = (m: tf.LayersModel) => () => tf.losses.meanSquaredError<tf.Tensor, tf.Scalar>(target, m.apply(xb) as tf.Tensor);
    for (let i = 0; i < 4; i++) optimisationStep(loss(a.model), a.vars, optA);
    // Session boundary: weights and optimizer state to disk, a fresh process picks both up.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'adam-')), 'optimizer.bin');
    optA.saveState!(file);
    b.vars.forEach((v, i) => v.assign(a.vars[i]!));
    const optB = makeOptimizer('flat-adam', b.vars, 0.01);
    optB.loadState!(file);
    for (let i = 0; i < 4; i++) {
      optimisationStep(loss(a.model), a.vars, optA);
      optimisationStep(loss(b.model), b.vars, optB);
    }
    for (let i = 0; i < a.vars.length; i++) expect(tf.max(tf.abs(tf.sub(a.vars[i]!, b.vars[i]!))).dataSync()[0]!).toBeLessThan(1e-6);
    // Without the state (fresh moments) the same four steps go elsewhere: the check above can fail.
    const c = setup(5);
    const optC = makeOptimizer('flat-adam', c.vars, 0.01);
    for (let i = 0; i < 4; i++) optimisationStep(loss(c.model), c.vars, optC);
    optC.loadState!(file);
    expect(() => makeOptimizer('flat-adam', c.vars.slice(1), 0.01).loadState!(file)).toThrow(/state of/);
  });

  it('leaves a variable without a gradient where it is, as tf.train.adam does', () => {
    const a = setup(1);
    const before = a.vars.map((v) => v.clone());
    const opt = makeOptimizer('flat-adam', a.vars, 0.01);
    const first = a.vars[0]!;
    for (let i = 0; i < 3; i++) opt.apply({ [first.name]: tf.onesLike(first) });
    expect(tf.max(tf.abs(tf.sub(first, before[0]!))).dataSync()[0]!).toBeGreaterThan(0.01);
    for (let i = 1; i < a.vars.length; i++) expect(tf.max(tf.abs(tf.sub(a.vars[i]!, before[i]!))).dataSync()[0]!).toBe(0);
    expect(() => makeOptimizer('sgd', a.vars, 0.01)).toThrow(/unknown optimizer/);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchNormAct, type BatchNormActivation } from './bnAct';

const SHAPE = [2, 5, 6, 3];
const ACTIVATIONS: BatchNormActivation[] = ['relu6', 'leakyRelu', 'linear'];

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

function referenceActivation(z: tf.Tensor, activation: BatchNormActivation): tf.Tensor {
  if (activation === 'relu6') return tf.clipByValue(z, 0, 6);
  if (activation === 'leakyRelu') return tf.leakyRelu(z, 0.01);
  return z;
}

/** The fused layer and tf.layers.batchNormalization with the same random gamma/beta/moving statistics. */
function pair(activation: BatchNormActivation): { fused: BatchNormAct; ref: tf.layers.Layer } {
  const fused = new BatchNormAct({ activation });
  const ref = tf.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-3 });
  fused.build(SHAPE);
  ref.build(SHAPE);
  const weights = [
    tf.randomNormal([3], 1, 0.5),
    tf.randomNormal([3]),
    tf.randomNormal([3]),
    tf.randomUniform([3], 0.5, 2),
  ];
  fused.setWeights(weights);
  ref.setWeights(weights);
  return { fused, ref };
}

function weightByPrefix(grads: tf.NamedTensorMap, prefix: string): tf.Tensor {
  const key = Object.keys(grads).find((k) => k.split('/').pop()!.startsWith(prefix));
  if (!key) throw new Error(`no gradient for ${prefix} in ${Object.keys(grads).join(', ')}`);
  return grads[key]!;
}

describe('BatchNormAct', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const activation of ACTIVATIONS) {
    it(`${activation}: training output and gradients (input, gamma, beta) equal batchNormalization + activation`, () => {
      tf.tidy(() => {
        const { fused, ref } = pair(activation);
        // Spread 3: relu6 sees inputs on both sides of 0 and 6.
        const x = tf.randomNormal(SHAPE, 0, 3);
        // A random upstream gradient so every element's gradient counts.
        const w = tf.randomNormal(SHAPE);
        const lossOf = (layer: tf.layers.Layer, post: (t: tf.Tensor) => tf.Tensor) => (xx: tf.Tensor) =>
          tf.sum<tf.Scalar>(tf.mul(post(layer.apply(xx, { training: true }) as tf.Tensor), w));
        const fusedLoss = lossOf(fused, (t) => t);
        const refLoss = lossOf(ref, (t) => referenceActivation(t, activation));

        const yFused = fused.apply(x, { training: true }) as tf.Tensor;
        const yRef = referenceActivation(ref.apply(x, { training: true }) as tf.Tensor, activation);
        expect(maxAbsDiff(yFused, yRef)).toBeLessThan(1e-4);

        const [dxFused] = tf.grads(fusedLoss)([x]);
        const [dxRef] = tf.grads(refLoss)([x]);
        expect(maxAbsDiff(dxFused!, dxRef!)).toBeLessThan(1e-4);
        expect(maxAbsDiff(dxFused!, tf.zerosLike(dxFused!))).toBeGreaterThan(1e-3);

        const gFused = tf.variableGrads(() => fusedLoss(x));
        const gRef = tf.variableGrads(() => refLoss(x));
        expect(Object.keys(gFused.grads)).toHaveLength(2);
        for (const name of ['gamma', 'beta']) {
          const a = weightByPrefix(gFused.grads, name);
          const b = weightByPrefix(gRef.grads, name);
          expect(maxAbsDiff(a, b)).toBeLessThan(1e-4);
          expect(maxAbsDiff(a, tf.zerosLike(a))).toBeGreaterThan(1e-3);
        }
      });
    });

    it(`${activation}: moving statistics update as batchNormalization's, and inference uses them`, () => {
      tf.tidy(() => {
        const { fused, ref } = pair(activation);
        for (let i = 0; i < 3; i++) {
          const x = tf.randomNormal(SHAPE, 1, 2);
          fused.apply(x, { training: true });
          ref.apply(x, { training: true });
        }
        const [, , meanF, varF] = fused.getWeights();
        const [, , meanR, varR] = ref.getWeights();
        expect(maxAbsDiff(meanF!, meanR!)).toBeLessThan(1e-5);
        expect(maxAbsDiff(varF!, varR!)).toBeLessThan(1e-5);
        // The statistics moved away from their random start.
        expect(maxAbsDiff(meanF!, fused.getWeights()[0]!)).toBeGreaterThan(0);

        const x = tf.randomNormal(SHAPE, 0, 3);
        const yF = fused.apply(x, { training: false }) as tf.Tensor;
        const yR = referenceActivation(ref.apply(x, { training: false }) as tf.Tensor, activation);
        expect(maxAbsDiff(yF, yR)).toBeLessThan(1e-4);
        // Inference changes no statistics.
        expect(maxAbsDiff(fused.getWeights()[2]!, meanF!)).toBe(0);
      });
    });
  }

  it('trains end to end inside a model with tf.variableGrads, names its weights as Keras, serializes', async () => {
    const input = tf.input({ shape: [6, 6, 2] });
    const conv = tf.layers
      .conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false, name: 'c' })
      .apply(input);
    const out = new BatchNormAct({ activation: 'relu6', name: 'c_bn' }).apply(conv) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    tf.tidy(() => {
      expect(model.weights.map((w) => w.name)).toEqual([
        'c/kernel',
        'c_bn/gamma',
        'c_bn/beta',
        'c_bn/moving_mean',
        'c_bn/moving_variance',
      ]);
      expect(model.trainableWeights.map((w) => w.name)).toEqual(['c/kernel', 'c_bn/gamma', 'c_bn/beta']);
      const x = tf.randomNormal([3, 6, 6, 2]);
      const { grads } = tf.variableGrads(() =>
        tf.mean<tf.Scalar>(tf.square(tf.sub(model.apply(x, { training: true }) as tf.Tensor, 1))),
      );
      expect(Object.keys(grads).sort()).toEqual(['c/kernel', 'c_bn/beta', 'c_bn/gamma']);
    });
    const topology = model.toJSON(undefined, false) as tf.io.ModelJSON['modelTopology'];
    const copy = await tf.models.modelFromJSON({ modelTopology: topology });
    const layer = copy.getLayer('c_bn');
    expect(layer).toBeInstanceOf(BatchNormAct);
    expect(layer.getConfig()).toMatchObject({ activation: 'relu6', alpha: 0.01, momentum: 0.9, epsilon: 1e-3 });
  });
});

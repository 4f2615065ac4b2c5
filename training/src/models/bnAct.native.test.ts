/**
 * The native path of BatchNormAct (TensorFlow's FusedBatchNorm / FusedBatchNormGrad / Relu6Grad /
 * LeakyReluGrad through tfjs-node) against tf.layers.batchNormalization + activation on the same backend.
 * Skipped where tfjs-node's native build is missing (CI); bnAct.test.ts covers the tfjs-ops path on cpu.
 */
import { describe, expect, it } from 'vitest';
import { BatchNormAct, batchNormActOptions, type BatchNormActivation } from './bnAct';

process.env.TF_CPP_MIN_LOG_LEVEL = '2';
const tfn = await import('@tensorflow/tfjs-node').catch(() => null);

const SHAPE = [2, 5, 6, 3];

describe.skipIf(tfn == null)('BatchNormAct on the tensorflow backend (native kernels)', () => {
  for (const activation of ['relu6', 'leakyRelu', 'linear'] as BatchNormActivation[]) {
    it(`${activation}: output, gradients, moving statistics and inference equal the reference`, () => {
      const tf = tfn!;
      expect(tf.getBackend()).toBe('tensorflow');
      batchNormActOptions.impl = 'auto';
      tf.tidy(() => {
        const act = (z: import('@tensorflow/tfjs-node').Tensor) =>
          activation === 'relu6' ? tf.clipByValue(z, 0, 6) : activation === 'leakyRelu' ? tf.leakyRelu(z, 0.01) : z;
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
        const x = tf.randomNormal(SHAPE, 0, 3);
        const w = tf.randomNormal(SHAPE);
        const diff = (a: import('@tensorflow/tfjs-node').Tensor, b: import('@tensorflow/tfjs-node').Tensor) =>
          tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
        const run = (layer: import('@tensorflow/tfjs-node').layers.Layer, post: typeof act) =>
          tf.variableGrads(() =>
            tf.sum<import('@tensorflow/tfjs-node').Scalar>(
              tf.mul(post(layer.apply(x, { training: true }) as import('@tensorflow/tfjs-node').Tensor), w),
            ),
          );
        const a = run(fused, (t) => t);
        const b = run(ref, act);
        expect(diff(a.value, b.value)).toBeLessThan(1e-4);
        for (const name of ['gamma', 'beta']) {
          const ka = Object.keys(a.grads).find((k) => k.startsWith(name))!;
          const kb = Object.keys(b.grads).find((k) => k.startsWith(name))!;
          expect(diff(a.grads[ka]!, b.grads[kb]!)).toBeLessThan(1e-4);
        }
        const [dxa] = tf.grads((xx) =>
          tf.sum(tf.mul(fused.apply(xx, { training: true }) as import('@tensorflow/tfjs-node').Tensor, w)),
        )([x]);
        const [dxb] = tf.grads((xx) =>
          tf.sum(tf.mul(act(ref.apply(xx, { training: true }) as import('@tensorflow/tfjs-node').Tensor), w)),
        )([x]);
        expect(diff(dxa!, dxb!)).toBeLessThan(1e-4);
        // Both layers saw two training batches: moving statistics must agree (biased batch variance).
        expect(diff(fused.getWeights()[2]!, ref.getWeights()[2]!)).toBeLessThan(1e-5);
        expect(diff(fused.getWeights()[3]!, ref.getWeights()[3]!)).toBeLessThan(1e-5);
        const yInfer = fused.apply(x, { training: false }) as import('@tensorflow/tfjs-node').Tensor;
        expect(
          diff(yInfer, act(ref.apply(x, { training: false }) as import('@tensorflow/tfjs-node').Tensor)),
        ).toBeLessThan(1e-4);
      });
    });
  }
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultHeadWeights, diceCe, downsample, klDistill, layerwiseLoss, mergedProbs } from './losses';
import { mergeMatrix } from './data/sampler';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const C = 4;
const num = (t: tf.Tensor): number => t.dataSync()[0]!;
/** [1, h, w, C] one-hot of `labels` (h * w). */
const oneHot = (labels: number[], h: number, w: number): tf.Tensor4D =>
  tf.oneHot(tf.tensor1d(labels, 'int32'), C).toFloat().reshape<tf.Tensor4D>([1, h, w, C]);
/** Logits that put `margin` on the given class of every pixel. */
const confident = (labels: number[], h: number, w: number, margin = 8): tf.Tensor4D => tf.mul<tf.Tensor4D>(oneHot(labels, h, w), margin);

describe('marginal loss for partial labels', () => {
  it('merges the unlabelled classes into background', () => {
    const logits = tf.tensor4d([1, 2, 3, 4, 0, 0, 5, 0], [1, 1, 2, C]);
    const m = tf.tensor3d(mergeMatrix([0, 2, 3]), [1, C, C]); // RV unlabelled (Sunnybrook)
    const p = tf.softmax(logits, -1).arraySync();
    const q = mergedProbs(logits, m).arraySync();
    for (let x = 0; x < 2; x++) {
      const [p0, p1, p2, p3] = p[0]![0]![x]!;
      expect(q[0]![0]![x]![0]).toBeCloseTo(p0! + p1!, 6);
      expect(q[0]![0]![x]![1]).toBe(0);
      expect(q[0]![0]![x]![2]).toBeCloseTo(p2!, 6);
      expect(q[0]![0]![x]![3]).toBeCloseTo(p3!, 6);
    }
  });

  it('does not teach "RV = background" on a source without RV labels', () => {
    // Every pixel is "background" in a label map without RV; the network says RV with confidence.
    const h = 4;
    const labels = new Array<number>(h * h).fill(0);
    labels[5] = 3; // one LV pixel keeps the Dice term defined
    const target = oneHot(labels, h, h);
    const predictRv = confident(labels.map((l) => (l === 0 ? 1 : l)), h, h);
    const noRv = tf.tensor3d(mergeMatrix([0, 2, 3]), [1, C, C]);
    const withMerge = num(diceCe(predictRv, target, noRv));
    const withoutMerge = num(diceCe(predictRv, target, null));
    expect(withMerge).toBeLessThan(0.01); // RV folded into background: nothing to correct
    expect(withoutMerge).toBeGreaterThan(1); // plain loss: RV punished as a wrong class
    // The gradient does not push RV logits down under the merge.
    const g = tf.grad((z: tf.Tensor) => diceCe(z as tf.Tensor4D, target, noRv))(predictRv);
    expect(Math.max(...Array.from(tf.abs(g).dataSync()))).toBeLessThan(1e-3);
  });

  it('is the plain loss when every class is labelled', () => {
    const logits = tf.randomNormal<tf.Rank.R4>([2, 4, 4, C], 0, 2, 'float32', 3);
    const target = tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % C), 'int32'), C).toFloat().reshape<tf.Tensor4D>([2, 4, 4, C]);
    const all = tf.tensor3d([...mergeMatrix([0, 1, 2, 3]), ...mergeMatrix([0, 1, 2, 3])], [2, C, C]);
    expect(num(diceCe(logits, target, all))).toBeCloseTo(num(diceCe(logits, target, null)), 5);
  });
});

describe('distillation term', () => {
  it('is KL(softmax(P/T) || softmax(Q/T)) per pixel, averaged', () => {
    const P = [2, 0, -1, 0.5];
    const Q = [0, 1, 0, 0];
    const T = 2;
    const sm = (v: number[]): number[] => {
      const e = v.map((x) => Math.exp(x / T));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((x) => x / s);
    };
    const p = sm(P);
    const q = sm(Q);
    const expected = p.reduce((a, pi, i) => a + pi * Math.log(pi / q[i]!), 0);
    const got = num(klDistill(tf.tensor4d([...P, ...P], [1, 1, 2, C]), tf.tensor4d([...Q, ...Q], [1, 1, 2, C]), T));
    expect(got).toBeCloseTo(expected, 6);
    expect(expected).toBeGreaterThan(0.01);
  });

  it('is zero when the student matches the teacher up to a constant shift', () => {
    const P = tf.randomNormal<tf.Rank.R4>([2, 3, 3, C], 0, 3, 'float32', 5);
    expect(num(klDistill(P, tf.add<tf.Tensor4D>(P, 1.7), 4))).toBeLessThan(1e-6);
  });
});

describe('layer-wise loss', () => {
  const h = 8;
  const labels = Array.from({ length: h * h }, (_, i) => ((i % h) + Math.floor(i / h)) % C);
  const target = oneHot(labels, h, h);
  const heads = [0, 1, 2, 3].map((i) => tf.randomNormal<tf.Rank.R4>([1, h >> i, h >> i, C], 0, 1, 'float32', 10 + i));
  const teacher = tf.randomNormal<tf.Rank.R4>([1, h, h, C], 0, 2, 'float32', 20);
  const w = defaultHeadWeights(4);

  it('weights the heads 1, 1/2, 1/4, 1/8, normalised', () => {
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(w[0]! / w[1]!).toBeCloseTo(2, 12);
    expect(w[2]! / w[3]!).toBeCloseTo(2, 12);
  });

  it('is sum_i w_i ((1-W) hard_i + W KL_i), each head against its own scale', () => {
    const W = 0.3;
    const T = 2;
    const got = num(layerwiseLoss(heads, target, null, w, teacher, { weight: W, temperature: T }));
    let expected = 0;
    heads.forEach((q, i) => {
      const f = h / q.shape[1];
      const hard = num(diceCe(q, downsample(target, f), null));
      const kl = num(klDistill(downsample(teacher, f), q, T));
      expected += w[i]! * ((1 - W) * hard + W * kl);
    });
    expect(got).toBeCloseTo(expected, 5);
    // Without a teacher (or W = 0) it is the deep-supervised hard loss.
    const hardOnly = heads.reduce((a, q, i) => a + w[i]! * num(diceCe(q, downsample(target, h / q.shape[1]), null)), 0);
    expect(num(layerwiseLoss(heads, target, null, w))).toBeCloseTo(hardOnly, 5);
    expect(num(layerwiseLoss(heads, target, null, w, teacher, { weight: 0, temperature: T }))).toBeCloseTo(hardOnly, 5);
  });

  it('multiplies only the KL term by T^2 with scaleT2', () => {
    const T = 4;
    const kdOnly = (scaleT2: boolean): number => num(layerwiseLoss(heads, target, null, w, teacher, { weight: 1, temperature: T, scaleT2 }));
    expect(kdOnly(true)).toBeCloseTo(T * T * kdOnly(false), 4);
    const hardHalf = (scaleT2: boolean): number =>
      num(layerwiseLoss(heads, target, null, w, teacher, { weight: 0.5, temperature: T, scaleT2 }));
    expect(hardHalf(true) - hardHalf(false)).toBeCloseTo(0.5 * (T * T - 1) * kdOnly(false), 4);
  });
});

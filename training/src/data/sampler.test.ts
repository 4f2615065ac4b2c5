import { describe, expect, it } from 'vitest';
import { DEFAULT_PREPROCESS, resampleLabels } from '../../../src/core/preprocess';
import { NUM_CLASSES } from '../../../src/core/labels';
import { makeRng } from '../util/random';
import { phantomTrainVolumes } from './phantom';
import { DEFAULT_AUGMENT, augmentIntensity, biasField, canvasToImage, cropToCanvas, gaussianBlur, makeBatch, planeOf, sharpen, simulateLowRes, sliceRefs } from './sampler';

const cfg = DEFAULT_PREPROCESS;
const C = NUM_CLASSES;

describe('training batches', () => {
  it('move cached teacher logits with the image and labels under the geometric augmentation', () => {
    const vols = phantomTrainVolumes(2, 4242);
    const refs = sliceRefs(vols, cfg).slice(0, 8);
    const n0 = cfg.inputSize;
    // A "teacher" that is the canvas label map itself, as confident logits.
    const cache = new Map<string, Float32Array>();
    for (const r of refs) {
      const len = r.vol.cols * r.vol.rows;
      const lab = resampleLabels(r.vol.labels.subarray(r.slice * len, (r.slice + 1) * len), planeOf(r.vol), canvasToImage(r.vol, cfg), n0);
      const t = new Float32Array(n0 * n0 * C);
      lab.forEach((l, i) => (t[i * C + l] = 10));
      cache.set(r.key, t);
    }
    const n = 96;
    const batch = makeBatch(refs, n, cfg, DEFAULT_AUGMENT, makeRng(3), cache);
    let agree = 0;
    let foreground = 0;
    let fgAgree = 0;
    for (let i = 0; i < refs.length * n * n; i++) {
      let best = 0;
      for (let c = 1; c < C; c++) if (batch.teacher![i * C + c]! > batch.teacher![i * C + best]!) best = c;
      const y = batch.y[i]!;
      if (best === y) agree++;
      if (y > 0) {
        foreground++;
        if (best === y) fgAgree++;
      }
    }
    expect(foreground).toBeGreaterThan(1000); // the heart-centred crops hold the heart
    expect(agree / (refs.length * n * n)).toBeGreaterThan(0.98); // only interpolation seams differ
    expect(fgAgree / foreground).toBeGreaterThan(0.9);
  });

  it('differ from the un-augmented crop, so the check above is not trivial', () => {
    const vols = phantomTrainVolumes(1, 4243);
    const refs = sliceRefs(vols, cfg).slice(0, 4);
    const aug = makeBatch(refs, 96, cfg, DEFAULT_AUGMENT, makeRng(3));
    const plain = makeBatch(refs, 96, cfg, { ...DEFAULT_AUGMENT, enabled: false }, makeRng(3));
    let same = 0;
    for (let i = 0; i < aug.y.length; i++) if (aug.y[i] === plain.y[i]) same++;
    expect(same / aug.y.length).toBeLessThan(0.97);
  });
});

describe('the multi-vendor augmentation', () => {
  const n = 32;
  const ramp = (): Float32Array => Float32Array.from({ length: n * n }, (_, i) => (i % n) / (n - 1));
  it('blur, sharpening and low resolution keep a constant image constant and change an edge', () => {
    for (const op of [(x: Float32Array) => gaussianBlur(x, n, 1), (x: Float32Array) => sharpen(x, n, 0.8), (x: Float32Array) => simulateLowRes(x, n, 2)]) {
      const flat = new Float32Array(n * n).fill(0.4);
      op(flat);
      flat.forEach((v) => expect(v).toBeCloseTo(0.4, 5));
      const edge = Float32Array.from({ length: n * n }, (_, i) => (i % n < n / 2 ? 0 : 1));
      const before = edge.slice();
      op(edge);
      expect(edge.some((v, i) => Math.abs(v - before[i]!) > 0.05)).toBe(true);
    }
  });
  it('blur keeps the mean of a ramp (it redistributes, it does not add)', () => {
    const x = ramp();
    const mean = (a: Float32Array): number => a.reduce((s, v) => s + v, 0) / a.length;
    const m0 = mean(x);
    gaussianBlur(x, n, 1.2);
    expect(mean(x)).toBeCloseTo(m0, 2);
  });
  it('the bias field is smooth and bounded by its strength', () => {
    const x = new Float32Array(n * n).fill(1);
    biasField(x, n, 0.4, makeRng(9));
    for (const v of x) expect(Math.abs(Math.log(v))).toBeLessThan(0.4 * 1.5);
    let maxStep = 0;
    for (let i = 1; i < n; i++) maxStep = Math.max(maxStep, Math.abs(x[i]! - x[i - 1]!));
    expect(maxStep).toBeLessThan(0.05);
  });
  it('intensity augmentation never touches the labels, and shear/scale keep the map invertible', () => {
    const vols = phantomTrainVolumes(1, 4244);
    const refs = sliceRefs(vols, cfg).slice(0, 4);
    const aug = makeBatch(refs, 64, cfg, { ...DEFAULT_AUGMENT, fullRotationProb: 0, smallRotationDeg: 0, flipProb: 0, scaleRange: [1, 1], shearMax: 0, jitterMm: 0 }, makeRng(5));
    const plain = makeBatch(refs, 64, cfg, { ...DEFAULT_AUGMENT, enabled: false }, makeRng(5));
    expect(aug.y).toEqual(plain.y);
    expect(aug.x.some((v, i) => Math.abs(v - plain.x[i]!) > 0.01)).toBe(true);
    const rng = makeRng(11);
    for (let k = 0; k < 50; k++) {
      const m = cropToCanvas(refs[0]!, 64, cfg, DEFAULT_AUGMENT, rng);
      const det = m.a * m.e - m.b * m.d;
      // scale 0.7-1.4 (and 0.8-1.25 more when the spacing is unknown): |det| = 1 / scale^2
      expect(Math.abs(det)).toBeGreaterThan(1 / (1.4 * 1.25) ** 2 - 1e-6);
      expect(Math.abs(det)).toBeLessThan(1 / (0.7 * 0.8) ** 2 + 1e-6);
    }
    const x = ramp();
    augmentIntensity(x, DEFAULT_AUGMENT, makeRng(2), n);
    expect(x.every((v) => Number.isFinite(v))).toBe(true);
  });
});

describe('batches with through-plane context', () => {
  const vols = phantomTrainVolumes(1, 4244);
  const refs = sliceRefs(vols, cfg).filter((r) => r.slice > 0 && r.slice < r.vol.slices - 1).slice(0, 4);
  const n = 64;
  const plainAug = { ...DEFAULT_AUGMENT, enabled: false };
  const channel = (x: Float32Array, b: number, c: number, channels: number): Float32Array =>
    Float32Array.from({ length: n * n }, (_, p) => x[(b * n * n + p) * channels + c]!);

  it('hold slice s in the middle channel and s -+ 1 beside it, on the same crop, with the same labels', () => {
    expect(refs.length).toBe(4);
    const one = makeBatch(refs, n, cfg, plainAug, makeRng(1));
    const three = makeBatch(refs, n, cfg, plainAug, makeRng(1), undefined, 3);
    expect(three.x.length).toBe(3 * one.x.length);
    expect([...three.y]).toEqual([...one.y]);
    refs.forEach((r, b) => {
      expect([...channel(three.x, b, 1, 3)]).toEqual([...one.x.subarray(b * n * n, (b + 1) * n * n)]);
      // The neighbours are the crops of slices s - 1 and s + 1 (the one-channel batch of those slices).
      const above = makeBatch([{ ...r, slice: r.slice - 1 }], n, cfg, plainAug, makeRng(1));
      const below = makeBatch([{ ...r, slice: r.slice + 1 }], n, cfg, plainAug, makeRng(1));
      expect([...channel(three.x, b, 0, 3)]).toEqual([...above.x]);
      expect([...channel(three.x, b, 2, 3)]).toEqual([...below.x]);
      expect([...channel(three.x, b, 0, 3)]).not.toEqual([...channel(three.x, b, 2, 3)]);
    });
  });

  it('show the neighbours in both orders and change every channel by the same intensity augmentation', () => {
    // Only a gamma change: an augmented channel is plain^gamma with one gamma for all three.
    const gammaOnly = { ...DEFAULT_AUGMENT, fullRotationProb: 0, smallRotationDeg: 0, flipProb: 0, scaleRange: [1, 1] as [number, number], unknownSpacingScale: [1, 1] as [number, number], shearMax: 0, jitterMm: 0, blurProb: 0, sharpenProb: 0, lowResProb: 0, biasProb: 0, noiseStdMax: 0, contrastRange: [1, 1] as [number, number], brightness: 0 };
    const plain = makeBatch(refs, n, cfg, plainAug, makeRng(1), undefined, 3);
    const orders: string[] = [];
    for (let seed = 0; seed < 8; seed++) {
      const aug = makeBatch(refs, n, cfg, gammaOnly, makeRng(seed), undefined, 3);
      refs.forEach((_, b) => {
        const mid = channel(plain.x, b, 1, 3);
        const k = mid.findIndex((v) => v > 0.2 && v < 0.8);
        const gamma = Math.log(channel(aug.x, b, 1, 3)[k]!) / Math.log(mid[k]!);
        const pow = (u: Float32Array): Float32Array => u.map((v) => Math.pow(Math.max(v, 0), gamma));
        const near = (u: Float32Array, v: Float32Array): boolean => u.every((x, i) => Math.abs(x - v[i]!) < 1e-4);
        const [a0, a2] = [channel(aug.x, b, 0, 3), channel(aug.x, b, 2, 3)];
        const [p0, p2] = [pow(channel(plain.x, b, 0, 3)), pow(channel(plain.x, b, 2, 3))];
        if (near(a0, p0) && near(a2, p2)) orders.push('forward');
        else if (near(a0, p2) && near(a2, p0)) orders.push('reversed');
        else orders.push('other');
      });
    }
    expect(new Set(orders)).toEqual(new Set(['forward', 'reversed']));
  });
});

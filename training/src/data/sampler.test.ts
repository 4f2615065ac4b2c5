import { describe, expect, it } from 'vitest';
import { DEFAULT_PREPROCESS, resampleLabels } from '../../../src/core/preprocess';
import { NUM_CLASSES } from '../../../src/core/labels';
import { makeRng } from '../util/random';
import { phantomTrainVolumes } from './phantom';
import { DEFAULT_AUGMENT, canvasToImage, makeBatch, planeOf, sliceRefs } from './sampler';

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

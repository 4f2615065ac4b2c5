/** Quick validation during training: Dice per class on whole canvases (labels resampled to the canvas). */
import type * as tf from '@tensorflow/tfjs';
import { resampleLabels, type PreprocessConfig } from '../../src/core/preprocess';
import { NUM_CLASSES } from '../../src/core/labels';
import { DEFAULT_AUGMENT, canvasImage, canvasToImage, makeBatch, planeOf, type SliceRef } from './data/sampler';
import { makeRng } from './util/random';
import { modelChannels } from './models/spec';
import { predictLogits } from './predict';

export function canvasDice(model: tf.LayersModel, refs: SliceRef[], cfg: PreprocessConfig): Record<string, number> {
  const n = cfg.inputSize;
  if (modelChannels(model) !== 1) throw new Error('canvasDice runs one-channel models; use cropDice');
  const inter = new Float64Array(NUM_CLASSES);
  const sum = new Float64Array(NUM_CLASSES);
  const chunk = 16;
  for (let s = 0; s < refs.length; s += chunk) {
    const part = refs.slice(s, s + chunk);
    const images = new Float32Array(part.length * n * n);
    part.forEach((r, i) => images.set(canvasImage(r.vol, r.slice, cfg), i * n * n));
    const logits = predictLogits(model, images, part.length, n, 8, false);
    part.forEach((r, i) => {
      const len = r.vol.cols * r.vol.rows;
      const truth = resampleLabels(r.vol.labels.subarray(r.slice * len, (r.slice + 1) * len), planeOf(r.vol), canvasToImage(r.vol, cfg), n);
      for (let p = 0; p < n * n; p++) {
        const o = (i * n * n + p) * NUM_CLASSES;
        let best = 0;
        for (let c = 1; c < NUM_CLASSES; c++) if (logits[o + c]! > logits[o + best]!) best = c;
        const t = truth[p]!;
        if (best === t) inter[t]! += 1;
        sum[best]! += 1;
        sum[t]! += 1;
      }
    });
  }
  const dice = (c: number): number => +((2 * inter[c]!) / Math.max(sum[c]!, 1)).toFixed(4);
  const rv = dice(1);
  const myo = dice(2);
  const lv = dice(3);
  return { rv, myo, lv, mean: +((rv + myo + lv) / 3).toFixed(4) };
}

/**
 * Validation Dice on heart-centred n x n crops (no augmentation), the input the app's second pass gives the
 * model: pooled over all pixels of `refs` per class.
 */
export function cropDice(model: tf.LayersModel, refs: SliceRef[], n: number, cfg: PreprocessConfig): Record<string, number> {
  const channels = modelChannels(model);
  const inter = new Float64Array(NUM_CLASSES);
  const sum = new Float64Array(NUM_CLASSES);
  const chunk = 16;
  for (let s = 0; s < refs.length; s += chunk) {
    const part = refs.slice(s, s + chunk);
    const batch = makeBatch(part, n, cfg, { ...DEFAULT_AUGMENT, enabled: false }, makeRng(0), undefined, channels);
    const logits = predictLogits(model, batch.x, part.length, n, 8, false);
    for (let p = 0; p < part.length * n * n; p++) {
      const o = p * NUM_CLASSES;
      let best = 0;
      for (let c = 1; c < NUM_CLASSES; c++) if (logits[o + c]! > logits[o + best]!) best = c;
      const t = batch.y[p]!;
      if (best === t) inter[t]! += 1;
      sum[best]! += 1;
      sum[t]! += 1;
    }
  }
  const dice = (c: number): number => +((2 * inter[c]!) / Math.max(sum[c]!, 1)).toFixed(4);
  const rv = dice(1);
  const myo = dice(2);
  const lv = dice(3);
  return { rv, myo, lv, mean: +((rv + myo + lv) / 3).toFixed(4) };
}

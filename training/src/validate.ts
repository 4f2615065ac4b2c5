/** Quick validation during training: Dice per class on heart-centred crops. */
import type * as tf from '@tensorflow/tfjs';
import type { PreprocessConfig } from '../../src/core/preprocess';
import { NUM_CLASSES } from '../../src/core/labels';
import { DEFAULT_AUGMENT, makeBatch, type SliceRef } from './data/sampler';
import { makeRng } from './util/random';
import { modelChannels } from './models/spec';
import { predictLogits } from './predict';

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

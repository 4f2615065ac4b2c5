/**
 * Test-time augmentation over the 8 symmetries of the square (4 quarter turns x optional flip), logits
 * averaged after undoing each transform. Used by the teacher's evaluation, distillation targets and the
 * app when a model's manifest asks for it.
 */
import * as tf from '@tensorflow/tfjs-core';

const DIHEDRAL: { k: number; flip: boolean }[] = [0, 1, 2, 3].flatMap((k) => [
  { k, flip: false },
  { k, flip: true },
]);

function rot90(x: tf.Tensor4D, k: number): tf.Tensor4D {
  let y = x;
  for (let i = 0; i < ((k % 4) + 4) % 4; i++) y = tf.reverse(tf.transpose(y, [0, 2, 1, 3]), 1);
  return y;
}

const forward = (x: tf.Tensor4D, k: number, flip: boolean): tf.Tensor4D => {
  const r = rot90(x, k);
  return flip ? tf.reverse(r, 2) : r;
};

const inverse = (x: tf.Tensor4D, k: number, flip: boolean): tf.Tensor4D => rot90(flip ? tf.reverse(x, 2) : x, 4 - (k % 4));

/** Forward passes per image with and without test-time augmentation. */
export const TTA_VIEWS = DIHEDRAL.length;

/**
 * Logits of `run` on x, averaged over the 8 flips/rotations when `tta`. Call inside tf.tidy. Each view runs
 * in a tidy of its own, so only one view's activations are alive at a time (memory of one pass, not eight).
 */
export function logitsWithTta(run: (x: tf.Tensor4D) => tf.Tensor4D, x: tf.Tensor4D, tta: boolean): tf.Tensor4D {
  if (!tta) return run(x);
  let acc: tf.Tensor4D | null = null;
  for (const { k, flip } of DIHEDRAL) {
    const y = tf.tidy(() => inverse(run(forward(x, k, flip)), k, flip));
    if (acc) {
      const sum: tf.Tensor4D = tf.add<tf.Tensor4D>(acc, y);
      acc.dispose();
      y.dispose();
      acc = sum;
    } else acc = y;
  }
  const out = tf.div<tf.Tensor4D>(acc!, DIHEDRAL.length);
  acc!.dispose();
  return out;
}

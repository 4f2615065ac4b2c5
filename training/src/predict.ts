/** Forward passes on whole canvases (what the app runs), optionally with test-time augmentation. */
import * as tf from '@tensorflow/tfjs';

/** The 8 symmetries of the square: k quarter turns, then an optional horizontal flip. */
const DIHEDRAL: { k: number; flip: boolean }[] = [0, 1, 2, 3].flatMap((k) => [
  { k, flip: false },
  { k, flip: true },
]);

function rot90(x: tf.Tensor4D, k: number): tf.Tensor4D {
  // One quarter turn (counter-clockwise on the [h, w] plane) = transpose h/w + reverse along h.
  let y = x;
  for (let i = 0; i < ((k % 4) + 4) % 4; i++) y = tf.reverse(tf.transpose(y, [0, 2, 1, 3]), 1);
  return y;
}

function apply(x: tf.Tensor4D, k: number, flip: boolean): tf.Tensor4D {
  const r = rot90(x, k);
  return flip ? tf.reverse(r, 2) : r;
}

function undo(x: tf.Tensor4D, k: number, flip: boolean): tf.Tensor4D {
  const f = flip ? tf.reverse(x, 2) : x;
  return rot90(f, 4 - (k % 4));
}

/**
 * Full-resolution logits [N, n, n, C] for images [N, n, n, 1]. With `tta`, logits are averaged over the 8
 * flips/rotations (the teacher's evaluation and the distillation targets); the student runs without.
 */
export function predictLogits(model: tf.LayersModel, images: Float32Array, count: number, n: number, batch = 8, tta = false): Float32Array {
  const C = (model.outputs[0]!.shape[3] as number) ?? 4;
  const out = new Float32Array(count * n * n * C);
  for (let s = 0; s < count; s += batch) {
    const b = Math.min(batch, count - s);
    const logits = tf.tidy(() => {
      const x = tf.tensor4d(images.subarray(s * n * n, (s + b) * n * n), [b, n, n, 1]);
      const head = (t: tf.Tensor4D): tf.Tensor4D => {
        const o = model.predict(t);
        return (Array.isArray(o) ? o[0] : o) as tf.Tensor4D;
      };
      if (!tta) return head(x);
      let acc = tf.zerosLike(x.tile([1, 1, 1, C])) as tf.Tensor4D;
      for (const { k, flip } of DIHEDRAL) acc = tf.add(acc, undo(head(apply(x, k, flip)), k, flip));
      return tf.div(acc, DIHEDRAL.length) as tf.Tensor4D;
    });
    out.set(logits.dataSync(), s * n * n * C);
    logits.dispose();
  }
  return out;
}

/** Forward passes of a training model on whole canvases (what the app runs), optionally with TTA. */
import * as tf from '@tensorflow/tfjs';
import { logitsWithTta } from '../../src/segment/tta';
import { modelChannels } from './models/spec';

/**
 * Full-resolution logits [N, n, n, C] for images [N, n, n, channels]; with `tta`, averaged over the 8
 * flips/rotations (the teacher's evaluation and distillation targets; the student runs without).
 */
export function predictLogits(model: tf.LayersModel, images: Float32Array, count: number, n: number, batch = 8, tta = false): Float32Array {
  const C = model.outputs[0]!.shape[3] as number;
  const ch = modelChannels(model);
  const len = n * n * ch;
  const out = new Float32Array(count * n * n * C);
  const head = (t: tf.Tensor4D): tf.Tensor4D => {
    const o = model.predict(t);
    return (Array.isArray(o) ? o[0] : o) as tf.Tensor4D;
  };
  for (let s = 0; s < count; s += batch) {
    const b = Math.min(batch, count - s);
    const logits = tf.tidy(() => logitsWithTta(head, tf.tensor4d(images.subarray(s * len, (s + b) * len), [b, n, n, ch]), tta));
    out.set(logits.dataSync(), s * n * n * C);
    logits.dispose();
  }
  return out;
}

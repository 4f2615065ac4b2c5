/**
 * Losses. Every function takes logits [B, h, w, C] and returns a scalar; call inside tf.tidy / variableGrads.
 */
import * as tf from '@tensorflow/tfjs';

const EPS = 1e-7;

/** Probabilities after the class merge (marginal loss for partial labels): p' = p M, M [B, C, C]. */
export function mergedProbs(logits: tf.Tensor4D, merge: tf.Tensor3D | null): tf.Tensor4D {
  const p = tf.softmax<tf.Tensor4D>(logits, -1);
  if (!merge) return p;
  const [B, h, w, C] = logits.shape;
  return tf.matMul(p.reshape([B, h * w, C]), merge).reshape([B, h, w, C]);
}

/**
 * nnU-Net's hard-label loss: cross-entropy + (1 - soft Dice over foreground classes, batch Dice).
 * `target` is a (soft) one-hot map in the merged label space; classes absent from a sample's label
 * space have zero merged probability and zero target, so they add nothing.
 */
export function diceCe(logits: tf.Tensor4D, target: tf.Tensor4D, merge: tf.Tensor3D | null): tf.Scalar {
  return tf.tidy(() => {
    const p = mergedProbs(logits, merge);
    const ce = tf.neg(tf.mean(tf.sum(tf.mul(target, tf.log(tf.add(p, EPS))), -1)));
    const C = logits.shape[3];
    const fgP = tf.slice(p, [0, 0, 0, 1], [-1, -1, -1, C - 1]);
    const fgT = tf.slice(target, [0, 0, 0, 1], [-1, -1, -1, C - 1]);
    const inter = tf.sum(tf.mul(fgP, fgT), [0, 1, 2]);
    const denom = tf.add(tf.sum(fgP, [0, 1, 2]), tf.sum(fgT, [0, 1, 2]));
    const dice = tf.div(tf.add(tf.mul(inter, 2), 1), tf.add(denom, 1));
    return tf.add<tf.Scalar>(ce, tf.sub(1, tf.mean(dice)));
  });
}

/** KL(softmax(P/T) || softmax(Q/T)), mean over pixels: ISMRM 2024 #2094's distillation term. */
export function klDistill(teacherLogits: tf.Tensor4D, studentLogits: tf.Tensor4D, temperature: number): tf.Scalar {
  return tf.tidy(() => {
    const pT = tf.softmax(tf.div(teacherLogits, temperature), -1);
    const logPT = tf.logSoftmax(tf.div(teacherLogits, temperature), -1);
    const logQ = tf.logSoftmax(tf.div(studentLogits, temperature), -1);
    return tf.mean<tf.Scalar>(tf.sum(tf.mul(pT, tf.sub(logPT, logQ)), -1));
  });
}

/** Average-pools a map by `factor` (1, 2, 4, 8): targets and teacher logits for the coarser heads. */
export function downsample(t: tf.Tensor4D, factor: number): tf.Tensor4D {
  return factor === 1 ? t : tf.avgPool(t, factor, factor, 'valid');
}

export interface DistillConfig {
  /** W in the paper: weight of the distillation term. 0 = no distillation. */
  weight: number;
  temperature: number;
  /**
   * Multiply the KL term by T^2 (Hinton et al. 2015), so that its gradient does not shrink as 1/T^2 when the
   * temperature rises. The abstract's formula has no such factor: false (the default) is the paper's loss.
   */
  scaleT2?: boolean;
}

/**
 * L = sum_i w_i ((1-W) L_hard_i + W KL(softmax(P/T) || softmax(Q_i/T))) (ISMRM 2024 #2094, Cui et al.),
 * over the model's heads (index 0 full resolution, then 1/2, 1/4, 1/8). Without teacher logits or with
 * W = 0 it is the deep-supervised hard loss used to train the teacher and the non-distilled student.
 */
export function layerwiseLoss(
  outputs: tf.Tensor4D[],
  target: tf.Tensor4D,
  merge: tf.Tensor3D | null,
  headWeights: number[],
  teacher?: tf.Tensor4D,
  distill?: DistillConfig,
): tf.Scalar {
  return tf.tidy(() => {
    const n = target.shape[1];
    let total: tf.Scalar = tf.scalar(0);
    outputs.forEach((q, i) => {
      const w = headWeights[i] ?? 0;
      if (w === 0) return;
      const factor = n / q.shape[1];
      const hard = diceCe(q, downsample(target, factor), merge);
      let term: tf.Scalar = hard;
      if (teacher && distill && distill.weight > 0) {
        const kl0 = klDistill(downsample(teacher, factor), q, distill.temperature);
        const kl = distill.scaleT2 ? tf.mul(kl0, distill.temperature ** 2) : kl0;
        term = tf.add(tf.mul(hard, 1 - distill.weight), tf.mul(kl, distill.weight));
      }
      total = tf.add(total, tf.mul(term, w));
    });
    return total;
  });
}

/** nnU-Net's deep-supervision weights 1, 1/2, 1/4, 1/8, normalised to sum to 1. */
export function defaultHeadWeights(heads: number): number[] {
  const w = Array.from({ length: heads }, (_, i) => 1 / 2 ** i);
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / s);
}

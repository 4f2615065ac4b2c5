/**
 * nnU-Net-style 2D U-Net teacher (Isensee et al., Nat Methods 2021): two 3x3 conv + norm + leaky ReLU per
 * stage, strided-conv downsampling, transposed-conv upsampling, deep-supervision heads on the 4 finest
 * decoder scales. Batch norm (not instance norm) so that it folds into the convolutions at export.
 */
import * as tf from '@tensorflow/tfjs';
import { NUM_CLASSES } from '../../../src/core/labels';
import { BatchNormAct } from './bnAct';

export interface TeacherConfig {
  features: number[];
  classes?: number;
  /** Input channels: 1 (the slice) or the slice with its neighbours (3 or 5). */
  channels?: number;
  /**
   * 'fused' (default): one BatchNormAct layer per norm + activation, with a closed-form gradient (fast
   * training on tfjs-node). 'tfjs': tf.layers.batchNormalization + leakyReLU, as before. Both name the
   * norm layer `<stage>_bn` with the same weights, so weights move between the two by name.
   */
  norm?: 'fused' | 'tfjs';
}

export const DEFAULT_TEACHER: TeacherConfig = { features: [24, 48, 96, 192, 256] };

function convNormAct(x: tf.SymbolicTensor, filters: number, strides: number, name: string, norm: 'fused' | 'tfjs'): tf.SymbolicTensor {
  let y = tf.layers
    .conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false, kernelInitializer: 'heNormal', name: `${name}_conv` })
    .apply(x) as tf.SymbolicTensor;
  if (norm === 'fused') {
    return new BatchNormAct({ activation: 'leakyRelu', alpha: 0.01, momentum: 0.9, epsilon: 1e-3, name: `${name}_bn` }).apply(y) as tf.SymbolicTensor;
  }
  y = tf.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-3, name: `${name}_bn` }).apply(y) as tf.SymbolicTensor;
  return tf.layers.leakyReLU({ alpha: 0.01, name: `${name}_act` }).apply(y) as tf.SymbolicTensor;
}

/** Outputs: logits at full, 1/2, 1/4 and 1/8 resolution (index 0 = full resolution). */
export function buildTeacher(cfg: TeacherConfig = DEFAULT_TEACHER, inputSize: number | null = null): tf.LayersModel {
  const classes = cfg.classes ?? NUM_CLASSES;
  const norm = cfg.norm ?? 'fused';
  const input = tf.input({ shape: [inputSize, inputSize, cfg.channels ?? 1], name: 'image' });
  const skips: tf.SymbolicTensor[] = [];
  let x: tf.SymbolicTensor = input;
  cfg.features.forEach((f, i) => {
    x = convNormAct(x, f, i === 0 ? 1 : 2, `enc${i}a`, norm);
    x = convNormAct(x, f, 1, `enc${i}b`, norm);
    skips.push(x);
  });
  const heads: tf.SymbolicTensor[] = [];
  for (let i = cfg.features.length - 2; i >= 0; i--) {
    const f = cfg.features[i]!;
    x = tf.layers
      .conv2dTranspose({ filters: f, kernelSize: 2, strides: 2, padding: 'same', useBias: false, name: `up${i}` })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.concatenate({ axis: -1, name: `cat${i}` }).apply([x, skips[i]!]) as tf.SymbolicTensor;
    x = convNormAct(x, f, 1, `dec${i}a`, norm);
    x = convNormAct(x, f, 1, `dec${i}b`, norm);
    if (i <= 3) {
      heads.unshift(
        tf.layers.conv2d({ filters: classes, kernelSize: 1, name: `logits${i}` }).apply(x) as tf.SymbolicTensor,
      );
    }
  }
  return tf.model({ inputs: input, outputs: heads, name: 'teacher' });
}

/**
 * MobileNetV2-style student (Sandler et al., CVPR 2018) as in ISMRM 2024 #2094 (Cui, Meyer, Feng):
 * an encoder of inverted residual blocks with a selectable expansion ratio (8 by default) and a light
 * decoder that emits logits at 4 scales for the layer-wise distillation loss.
 */
import * as tf from '@tensorflow/tfjs';
import { NUM_CLASSES } from '../../../src/core/labels';
import { BatchNormAct } from './bnAct';

export interface StudentConfig {
  /** Expansion ratio of the inverted residual blocks: 1, 2, 4, 6 or 8. */
  expansion: number;
  /** Channel widths: stem, then the 4 encoder stages. */
  widths: number[];
  /** Inverted residual blocks per encoder stage. */
  repeats: number[];
  /** Decoder channel widths from coarse to fine (4 upsampling steps). */
  decoder: number[];
  classes?: number;
  /** Input channels: 1 (the slice) or the slice with its neighbours (3 or 5). */
  channels?: number;
  /**
   * 'fused' (default): BatchNormAct layers (relu6 / linear) with a closed-form gradient (fast training on
   * tfjs-node). 'tfjs': tf.layers.batchNormalization + reLU{maxValue: 6}, as before. Layer names and
   * weights are the same in both, so weights move between the two by name.
   */
  norm?: 'fused' | 'tfjs';
}

export const DEFAULT_STUDENT: StudentConfig = {
  expansion: 8,
  widths: [16, 24, 32, 64, 96],
  repeats: [2, 2, 3, 2],
  decoder: [64, 32, 24, 16],
};

export function studentWithExpansion(expansion: number): StudentConfig {
  return { ...DEFAULT_STUDENT, expansion };
}

let uid = 0;
let norm: 'fused' | 'tfjs' = 'fused';
const nm = (s: string): string => `${s}_${uid++}`;

function bnRelu6(x: tf.SymbolicTensor, act = true): tf.SymbolicTensor {
  if (norm === 'fused') {
    const layer = new BatchNormAct({ activation: act ? 'relu6' : 'linear', momentum: 0.9, epsilon: 1e-3, name: nm('bn') });
    // Skip the id the separate relu6 layer takes in 'tfjs' mode, so both modes name every layer alike.
    if (act) uid++;
    return layer.apply(x) as tf.SymbolicTensor;
  }
  let y = tf.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-3, name: nm('bn') }).apply(x) as tf.SymbolicTensor;
  if (act) y = tf.layers.reLU({ maxValue: 6, name: nm('relu6') }).apply(y) as tf.SymbolicTensor;
  return y;
}

function pointwise(x: tf.SymbolicTensor, filters: number, act: boolean): tf.SymbolicTensor {
  const y = tf.layers.conv2d({ filters, kernelSize: 1, useBias: false, kernelInitializer: 'heNormal', name: nm('pw') }).apply(x) as tf.SymbolicTensor;
  return bnRelu6(y, act);
}

/** Inverted residual: 1x1 expand (t x), 3x3 depthwise (stride s), 1x1 linear project; skip when shapes match. */
export function invertedResidual(x: tf.SymbolicTensor, outCh: number, stride: number, t: number): tf.SymbolicTensor {
  const inCh = x.shape[3] as number;
  let y = t === 1 ? x : pointwise(x, inCh * t, true);
  y = tf.layers
    .depthwiseConv2d({ kernelSize: 3, strides: stride, padding: 'same', useBias: false, depthwiseInitializer: 'heNormal', name: nm('dw') })
    .apply(y) as tf.SymbolicTensor;
  y = bnRelu6(y, true);
  y = pointwise(y, outCh, false);
  if (stride === 1 && inCh === outCh) y = tf.layers.add({ name: nm('add') }).apply([x, y]) as tf.SymbolicTensor;
  return y;
}

/** Outputs: logits at full, 1/2, 1/4, 1/8 resolution (index 0 = full), as the teacher's heads. */
export function buildStudent(cfg: StudentConfig = DEFAULT_STUDENT, inputSize: number | null = null): tf.LayersModel {
  uid = 0;
  norm = cfg.norm ?? 'fused';
  const classes = cfg.classes ?? NUM_CLASSES;
  const input = tf.input({ shape: [inputSize, inputSize, cfg.channels ?? 1], name: 'image' });
  // Full-resolution stem: a plain 3x3 conv keeps fine boundaries without expansion-8 cost at full size.
  let x = tf.layers.conv2d({ filters: cfg.widths[0]!, kernelSize: 3, padding: 'same', useBias: false, name: nm('stem') }).apply(input) as tf.SymbolicTensor;
  x = bnRelu6(x, true);
  const skips: tf.SymbolicTensor[] = [x];
  for (let s = 0; s < 4; s++) {
    for (let r = 0; r < cfg.repeats[s]!; r++) {
      // As MobileNetV2's first bottleneck, the block that leaves full resolution has t = 1: an expansion
      // there would run t x 16 channels at the full input size, most of the network's cost.
      const t = s === 0 && r === 0 ? 1 : cfg.expansion;
      x = invertedResidual(x, cfg.widths[s + 1]!, r === 0 ? 2 : 1, t);
    }
    if (s < 3) skips.push(x);
  }
  const heads: tf.SymbolicTensor[] = [];
  for (let d = 0; d < 4; d++) {
    const skip = skips[3 - d]!;
    x = tf.layers.upSampling2d({ size: [2, 2], interpolation: 'bilinear', name: nm('up') }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.concatenate({ axis: -1, name: nm('cat') }).apply([x, skip]) as tf.SymbolicTensor;
    x = pointwise(x, cfg.decoder[d]!, true);
    // Light decoder: a 1x1 fuse then one inverted residual; no expansion at full resolution.
    x = invertedResidual(x, cfg.decoder[d]!, 1, d === 3 ? 1 : Math.min(cfg.expansion, 4));
    heads.unshift(tf.layers.conv2d({ filters: classes, kernelSize: 1, name: nm('logits') }).apply(x) as tf.SymbolicTensor);
  }
  return tf.model({ inputs: input, outputs: heads, name: 'student' });
}

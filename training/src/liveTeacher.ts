/**
 * A teacher for distillation computed on the fly: its full-resolution logits on the very crop the student trains on
 * (no cache on disk, no resampling of stored canvases, any augmentation). Without TTA: about a forward pass of the
 * teacher per step on top of the student's step.
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { buildModel, type ModelSpec } from './models/spec';
import { readRunInfo } from './runInfo';
import { loadWeights } from './weights';

/**
 * `dir`: a checkpoint folder (`checkpoints/<run>/last`, its spec in `checkpoints/<run>/spec.json`) or a run folder
 * (`runs/<run>`: run.json and `final/`).
 */
export function loadTeacher(dir: string): { model: tf.LayersModel; spec: ModelSpec; weights: string } {
  const isCheckpoint = fs.existsSync(path.join(dir, 'weights.json'));
  const weights = isCheckpoint ? dir : path.join(dir, 'final');
  const home = isCheckpoint ? path.dirname(dir) : dir;
  const run = readRunInfo(home);
  if (!run) throw new Error(`teacher ${dir}: no run.json or spec.json in ${home}`);
  if ((run.spec.channels ?? 1) !== 1) throw new Error(`teacher ${dir} takes ${run.spec.channels} input channels; distil from a one-channel teacher`);
  const model = buildModel(run.spec);
  loadWeights(model, weights);
  return { model, spec: run.spec, weights };
}

/** The teacher's full-resolution logits [B, n, n, C] for images [B, n, n, 1] (inference mode). Call inside tf.tidy. */
export function liveTeacherLogits(teacher: tf.LayersModel, x: tf.Tensor4D): tf.Tensor4D {
  const out = teacher.predict(x);
  return (Array.isArray(out) ? out[0] : out) as tf.Tensor4D;
}

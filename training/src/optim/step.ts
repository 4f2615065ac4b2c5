/**
 * One optimisation step, shared by training (src/commands/train.ts) and the speed benchmark (src/commands/benchTrain.ts):
 * gradients of a scalar loss with respect to the trainable variables, then the optimiser's update.
 *
 * Optimisers: 'adam' is tf.train.adam; 'flat-adam' is the same Adam on one flat vector (./flatAdam), fewer
 * tfjs ops per step.
 */
import fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { FlatAdam } from './flatAdam';

export type OptimizerKind = 'adam' | 'flat-adam';

export interface StepOptimizer {
  setLearningRate(lr: number): void;
  /** Applies `grads` (keyed by variable name, as tf.variableGrads returns them) to `vars`. */
  apply(grads: tf.NamedTensorMap): void;
  /** Optimizer state to a file and back (flat-adam), so a resumed run continues exactly. */
  saveState?(file: string): void;
  loadState?(file: string): void;
}

export function makeOptimizer(kind: string, vars: tf.Variable[], learningRate: number): StepOptimizer {
  if (kind === 'adam') {
    const opt = tf.train.adam(learningRate);
    return {
      setLearningRate: (lr) => {
        (opt as unknown as { learningRate: number }).learningRate = lr;
      },
      apply: (grads) => opt.applyGradients(grads as unknown as Parameters<typeof opt.applyGradients>[0]),
    };
  }
  if (kind === 'flat-adam') {
    const opt = new FlatAdam(vars, learningRate);
    return {
      setLearningRate: (lr) => {
        opt.learningRate = lr;
      },
      // A variable the loss does not reach (a head with weight 0) gets a zero gradient: its moments stay 0
      // and so does its update, as with tf.train.adam, which leaves such variables alone.
      apply: (grads) => tf.tidy(() => opt.applyGradients(vars.map((v) => grads[v.name] ?? tf.zerosLike(v)))),
      saveState: (file) => {
        const s = opt.getState();
        fs.writeFileSync(`${file}.tmp`, Buffer.from(s.buffer, s.byteOffset, s.byteLength));
        fs.renameSync(`${file}.tmp`, file);
      },
      loadState: (file) => {
        const b = fs.readFileSync(file);
        opt.setState(new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)));
      },
    };
  }
  throw new Error(`unknown optimizer '${kind}' (adam, flat-adam)`);
}

/** Gradients of `loss()` with respect to `vars`, one update by `opt`; returns the loss before the update. */
export function optimisationStep(loss: () => tf.Scalar, vars: tf.Variable[], opt: StepOptimizer): number {
  const value = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(loss, vars);
    opt.apply(grads);
    return value;
  });
  const v = value.dataSync()[0]!;
  value.dispose();
  return v;
}

/**
 * Adam (Kingma & Ba) over all trainable variables at once: the gradients are concatenated into one flat
 * vector, the moments live in two flat variables, and the update is split back per variable. Same
 * arithmetic as tf.train.adam (bias-corrected moments, epsilon added to sqrt(v_hat)), but about 4 tfjs ops
 * per variable instead of about 16: on tfjs-node each op has a fixed cost, and the student has 134 small
 * variables, so tf.train.adam spent about 0.1 s of every training step on this machine in op overhead.
 */
import * as tf from '@tensorflow/tfjs';

export interface FlatAdamOptions {
  beta1?: number;
  beta2?: number;
  /** tf.train.adam's default is the backend's epsilon (1e-7 in float32). */
  epsilon?: number;
}

export class FlatAdam {
  learningRate: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly sizes: number[];
  private readonly m: tf.Variable;
  private readonly v: tf.Variable;
  private accBeta1 = 1;
  private accBeta2 = 1;

  constructor(
    private readonly vars: tf.Variable[],
    learningRate: number,
    opts: FlatAdamOptions = {},
  ) {
    this.learningRate = learningRate;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.epsilon = opts.epsilon ?? tf.backend().epsilon();
    this.sizes = vars.map((x) => x.size);
    const total = this.sizes.reduce((a, b) => a + b, 0);
    this.m = tf.variable(tf.zeros([total]), false);
    this.v = tf.variable(tf.zeros([total]), false);
  }

  /** One update; `grads[i]` belongs to `vars[i]` (the order given to the constructor). Disposes nothing it is given. */
  applyGradients(grads: tf.Tensor[]): void {
    if (grads.length !== this.vars.length) throw new Error(`FlatAdam: ${grads.length} gradients for ${this.vars.length} variables`);
    this.accBeta1 *= this.beta1;
    this.accBeta2 *= this.beta2;
    const { beta1, beta2, epsilon } = this;
    const c1 = 1 - this.accBeta1;
    const c2 = 1 - this.accBeta2;
    tf.tidy(() => {
      const g = tf.concat(grads.map((x) => tf.reshape(x, [-1])), 0);
      const m = tf.add(tf.mul(this.m, beta1), tf.mul(g, 1 - beta1));
      const v = tf.add(tf.mul(this.v, beta2), tf.mul(tf.square(g), 1 - beta2));
      this.m.assign(m);
      this.v.assign(v);
      const step = tf.mul(tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), epsilon)), -this.learningRate);
      const parts = tf.split(step, this.sizes, 0);
      this.vars.forEach((x, i) => x.assign(tf.add(x, tf.reshape(parts[i]!, x.shape))));
    });
  }

  /** Moments and bias-correction products, for a checkpoint that resumes exactly: [accBeta1, accBeta2, m..., v...]. */
  getState(): Float32Array {
    const total = this.m.size;
    const out = new Float32Array(2 + 2 * total);
    out[0] = this.accBeta1;
    out[1] = this.accBeta2;
    out.set(this.m.dataSync(), 2);
    out.set(this.v.dataSync(), 2 + total);
    return out;
  }

  /** Restores getState()'s output. @throws when it belongs to a different set of variables. */
  setState(state: Float32Array): void {
    const total = this.m.size;
    if (state.length !== 2 + 2 * total) throw new Error(`FlatAdam: state of ${state.length} values for ${total} weights`);
    this.accBeta1 = state[0]!;
    this.accBeta2 = state[1]!;
    tf.tidy(() => {
      this.m.assign(tf.tensor1d(state.subarray(2, 2 + total)));
      this.v.assign(tf.tensor1d(state.subarray(2 + total)));
    });
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}

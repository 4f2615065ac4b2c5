/**
 * Batch norm + activation as one layer with a closed-form gradient (Ioffe & Szegedy, ICML 2015).
 *
 * Why: on tfjs-node, tf.layers.batchNormalization + reLU{maxValue} / leakyReLU train through tfjs's
 * composite gradients (moments, batchNorm, clipByValue/step, ...), about 30 small element-wise kernels per
 * layer that dominate a training step. Here the training forward is one moments pass plus one affine pass
 * and the activation, and the backward is a handful of passes. On the `tensorflow` backend the layer runs
 * TensorFlow's own kernels (FusedBatchNorm, FusedBatchNormGrad, Relu6Grad, LeakyReluGrad); on any other
 * backend (cpu in the tests, the browser) it runs the same closed form with tfjs ops.
 *
 * Weights are named as Keras's BatchNormalization ('gamma', 'beta', 'moving_mean', 'moving_variance') so
 * that export folds them into the preceding convolution exactly as before:
 *   y = act(gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta).
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';

export type BatchNormActivation = 'relu6' | 'leakyRelu' | 'linear';

export interface BatchNormActArgs extends LayerArgs {
  activation: BatchNormActivation;
  /** Slope of leakyRelu for negative inputs. */
  alpha?: number;
  momentum?: number;
  epsilon?: number;
}

/**
 * Which implementation the training path uses: 'auto' takes TensorFlow's native kernels when the active
 * backend is tfjs-node's `tensorflow` and the input is 4-D, else tfjs ops; 'ops' forces the tfjs-ops path
 * (for benchmarks and for checking one against the other).
 */
export const batchNormActOptions: { impl: 'auto' | 'ops' } = { impl: 'auto' };

/** The slice of tfjs-node's NodeJSKernelBackend used here (untyped library edge). */
interface NativeBackend {
  binding: {
    TF_ATTR_TYPE: number;
    TF_ATTR_FLOAT: number;
    TF_ATTR_STRING: number;
    TF_ATTR_BOOL: number;
    TF_FLOAT: number;
  };
  /** Runs any TensorFlow op; the outputs are already tracked tf.Tensors. */
  executeMultipleOutputs(name: string, attrs: unknown[], inputs: tf.Tensor[], numOutputs: number): tf.Tensor[];
}

function nativeBackend(): NativeBackend | null {
  if (batchNormActOptions.impl !== 'auto' || tf.getBackend() !== 'tensorflow') return null;
  const b = tf.backend() as unknown as Partial<NativeBackend>;
  return typeof b.executeMultipleOutputs === 'function' && b.binding ? (b as NativeBackend) : null;
}

function runNative(
  b: NativeBackend,
  op: string,
  attrs: unknown[],
  inputs: tf.Tensor[],
  numOutputs: number,
): tf.Tensor[] {
  return b.executeMultipleOutputs(op, attrs, inputs, numOutputs);
}

/** Activation of the normalized z, native ops only. */
function activate(z: tf.Tensor, activation: BatchNormActivation, alpha: number): tf.Tensor {
  if (activation === 'relu6') return tf.relu6(z);
  if (activation === 'leakyRelu') return tf.leakyRelu(z, alpha);
  return z;
}

/**
 * dL/dz from dL/dy and the activation's output y (y has the sign of z, and relu6's y is in (0, 6) exactly
 * where z is, so y stands in for z and z need not be kept for the backward pass).
 */
function activationBackward(
  dy: tf.Tensor,
  y: tf.Tensor,
  activation: BatchNormActivation,
  alpha: number,
  b: NativeBackend | null,
): tf.Tensor {
  if (activation === 'linear') return dy;
  if (b) {
    const T = { name: 'T', type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT };
    if (activation === 'relu6') return runNative(b, 'Relu6Grad', [T], [dy, y], 1)[0]!;
    return runNative(
      b,
      'LeakyReluGrad',
      [T, { name: 'alpha', type: b.binding.TF_ATTR_FLOAT, value: alpha }],
      [dy, y],
      1,
    )[0]!;
  }
  if (activation === 'relu6') return tf.mul(dy, tf.cast(tf.logicalAnd(tf.greater(y, 0), tf.less(y, 6)), 'float32'));
  return tf.where(tf.greater(y, 0), dy, tf.mul(dy, alpha));
}

export class BatchNormAct extends tf.layers.Layer {
  static className = 'BatchNormAct';
  readonly activation: BatchNormActivation;
  readonly alpha: number;
  readonly momentum: number;
  readonly epsilon: number;
  private gamma: tf.LayerVariable | null = null;
  private beta: tf.LayerVariable | null = null;
  private movingMean: tf.LayerVariable | null = null;
  private movingVariance: tf.LayerVariable | null = null;

  constructor(args: BatchNormActArgs) {
    super(args);
    this.activation = args.activation;
    this.alpha = args.alpha ?? 0.01;
    this.momentum = args.momentum ?? 0.9;
    this.epsilon = args.epsilon ?? 1e-3;
    this.supportsMasking = true;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1];
    if (channels == null) throw new Error(`BatchNormAct ${this.name}: the channel axis must have a known size`);
    this.gamma = this.addWeight('gamma', [channels], 'float32', tf.initializers.ones(), undefined, true);
    this.beta = this.addWeight('beta', [channels], 'float32', tf.initializers.zeros(), undefined, true);
    this.movingMean = this.addWeight('moving_mean', [channels], 'float32', tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight(
      'moving_variance',
      [channels],
      'float32',
      tf.initializers.ones(),
      undefined,
      false,
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tfjs-layers' Kwargs type is {[k: string]: any}
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, any>): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const training = kwargs['training'] === true;
      const gamma = this.gamma!.read();
      const beta = this.beta!.read();
      if (!training) {
        const z = tf.batchNorm(x, this.movingMean!.read(), this.movingVariance!.read(), beta, gamma, this.epsilon);
        return activate(z, this.activation, this.alpha);
      }
      return this.trainingForward(x, gamma, beta);
    });
  }

  /** Batch statistics over every axis but the last, moving-average update, output with a custom gradient. */
  private trainingForward(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
    const { activation, alpha, epsilon } = this;
    const b = x.rank === 4 ? nativeBackend() : null;
    const axes = [...Array(x.rank - 1).keys()];
    const n = x.size / x.shape[x.rank - 1]!;
    const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [xt, gt, bb, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
      let z: tf.Tensor;
      let mean: tf.Tensor1D;
      let variance: tf.Tensor1D;
      if (b) {
        const attrs = [
          { name: 'T', type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT },
          { name: 'epsilon', type: b.binding.TF_ATTR_FLOAT, value: epsilon },
          { name: 'data_format', type: b.binding.TF_ATTR_STRING, value: 'NHWC' },
          { name: 'is_training', type: b.binding.TF_ATTR_BOOL, value: true },
        ];
        // Outputs: y, batch mean, Bessel-corrected batch variance, and (CPU kernel) the mean and biased
        // variance again as reserve spaces, which FusedBatchNormGrad takes back.
        const out = runNative(b, 'FusedBatchNorm', attrs, [xt, gt, bb, tf.tensor1d([]), tf.tensor1d([])], 5);
        z = out[0]!;
        mean = out[3] as tf.Tensor1D;
        variance = out[4] as tf.Tensor1D;
      } else {
        ({ mean, variance } = tf.moments(xt, axes) as { mean: tf.Tensor1D; variance: tf.Tensor1D });
        // z = x * scale + shift with per-channel scale = gamma / sqrt(var + eps), shift = beta - mean * scale.
        const scale = tf.mul(gt, tf.rsqrt(tf.add(variance, epsilon)));
        z = tf.add(tf.mul(xt, scale), tf.sub(bb, tf.mul(mean, scale)));
      }
      // tfjs-layers' BatchNormalization: moving = moving - (moving - batch) * (1 - momentum), biased variance.
      this.updateMoving(this.movingMean!, mean);
      this.updateMoving(this.movingVariance!, variance);
      const y = activate(z, activation, alpha);
      save([xt, y, gt, mean, variance]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
          const [xs, ys, gs, ms, vs] = saved as [tf.Tensor, tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
          const dz = activationBackward(dy as tf.Tensor, ys, activation, alpha, b);
          if (b) {
            const attrs = [
              { name: 'T', type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT },
              { name: 'epsilon', type: b.binding.TF_ATTR_FLOAT, value: epsilon },
              { name: 'data_format', type: b.binding.TF_ATTR_STRING, value: 'NHWC' },
              { name: 'is_training', type: b.binding.TF_ATTR_BOOL, value: true },
            ];
            const [dx, dgamma, dbeta] = runNative(b, 'FusedBatchNormGrad', attrs, [dz, xs, gs, ms, vs], 5);
            return [dx!, dgamma!, dbeta!];
          }
          // xhat = (x - mean) * invstd; dbeta = sum(dz); dgamma = sum(dz * xhat);
          // dx = gamma * invstd / N * (N * dz - dbeta - xhat * dgamma).
          const invstd = tf.rsqrt(tf.add(vs, epsilon));
          const xhat = tf.mul(tf.sub(xs, ms), invstd);
          const dbeta = tf.sum(dz, axes);
          const dgamma = tf.sum(tf.mul(dz, xhat), axes);
          const k = tf.mul(gs, invstd);
          const dx = tf.mul(k, tf.sub(dz, tf.add(tf.div(dbeta, n), tf.mul(xhat, tf.div(dgamma, n)))));
          return [dx, dgamma, dbeta];
        },
      };
    });
    return f(x, gamma, beta);
  }

  private updateMoving(variable: tf.LayerVariable, batch: tf.Tensor): void {
    tf.tidy(() => {
      const orig = variable.read();
      variable.write(tf.sub(orig, tf.mul(tf.sub(orig, batch), 1 - this.momentum)));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      activation: this.activation,
      alpha: this.alpha,
      momentum: this.momentum,
      epsilon: this.epsilon,
    };
  }
}
tf.serialization.registerClass(BatchNormAct);

/** Factory in the style of tf.layers.*. */
export function batchNormAct(args: BatchNormActArgs): BatchNormAct {
  return new BatchNormAct(args);
}

/**
 * The deployed model format: a small folded graph (batch norm already multiplied into the convolutions,
 * activations fused), run with tfjs-core's fused kernels. Written by training/src/commands/export.ts, read here by
 * the worker, the batch CLI, the benchmark and the training contract test: one inference path.
 *
 * model.json: { format: 'cineseg-graph/1', nodes: GraphNode[], output: string, weights: WeightSpec[] }
 * weights.bin: the tensors of `weights` back to back (float32, or float16 when dtype says so).
 */
import * as tf from '@tensorflow/tfjs-core';

export type Activation = 'linear' | 'relu' | 'relu6' | 'leakyrelu';

export type GraphNode =
  | { op: 'input'; name: string }
  | {
      op: 'conv2d' | 'depthwise';
      name: string;
      input: string;
      filter: string;
      bias: string | null;
      strides: number;
      activation: Activation;
      alpha?: number;
    }
  | { op: 'conv2dTranspose'; name: string; input: string; filter: string; bias: string | null; strides: number; outChannels: number }
  | { op: 'add' | 'concat'; name: string; inputs: string[] }
  | { op: 'upsample'; name: string; input: string; factor: number; mode: 'bilinear' | 'nearest' }
  | { op: 'activation'; name: string; input: string; activation: Activation; alpha?: number };

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'float16';
}

export interface GraphJson {
  format: 'cineseg-graph/1';
  nodes: GraphNode[];
  output: string;
  weights: WeightSpec[];
}

export interface Graph {
  json: GraphJson;
  tensors: Map<string, tf.Tensor>;
}

export function float16ToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i]!;
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    out[i] =
      exp === 0 ? sign * 2 ** -14 * (frac / 1024) : exp === 31 ? (frac ? NaN : sign * Infinity) : sign * 2 ** (exp - 15) * (1 + frac / 1024);
  }
  return out;
}

export function float32ToFloat16(values: Float32Array): Uint16Array {
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    f[0] = values[i]!;
    const x = u[0]!;
    const sign = (x >>> 16) & 0x8000;
    const exp = ((x >>> 23) & 0xff) - 127 + 15;
    const mant = x & 0x7fffff;
    if (exp <= 0) out[i] = exp < -10 ? sign : sign | ((mant | 0x800000) >> (1 - exp + 13));
    else if (exp >= 31) out[i] = sign | 0x7c00;
    else out[i] = sign | (exp << 10) | ((mant + 0x1000) >> 13);
  }
  return out;
}

/** Creates the weight tensors of a graph from its model.json and weights.bin bytes. */
export function loadGraph(json: GraphJson, weightBytes: Uint8Array): Graph {
  if (json.format !== 'cineseg-graph/1') throw new Error(`unsupported model format ${String(json.format)}`);
  const tensors = new Map<string, tf.Tensor>();
  let offset = 0;
  // Copy into an aligned buffer: a Uint8Array view from fetch/fs may start at any byte offset.
  const buf = weightBytes.slice().buffer;
  for (const w of json.weights) {
    const size = w.shape.reduce((a, b) => a * b, 1);
    const bytes = size * (w.dtype === 'float16' ? 2 : 4);
    if (offset + bytes > buf.byteLength) throw new Error(`weights.bin is too short for ${w.name}`);
    const values =
      w.dtype === 'float16' ? float16ToFloat32(new Uint16Array(buf, offset, size)) : new Float32Array(buf, offset, size).slice();
    tensors.set(w.name, tf.tensor(values, w.shape, 'float32'));
    offset += bytes;
  }
  return { json, tensors };
}

export function disposeGraph(g: Graph): void {
  g.tensors.forEach((t) => t.dispose());
  g.tensors.clear();
}

function weight(g: Graph, name: string): tf.Tensor {
  const t = g.tensors.get(name);
  if (!t) throw new Error(`model weight ${name} missing`);
  return t;
}

function activate(x: tf.Tensor4D, act: Activation, alpha = 0.2): tf.Tensor4D {
  switch (act) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'leakyrelu':
      return tf.leakyRelu(x, alpha);
  }
}

/** For each node, the index of the last node that reads its output (its own index when none does). */
export function lastUses(nodes: readonly GraphNode[]): Map<string, number> {
  const last = new Map<string, number>();
  nodes.forEach((node, i) => {
    last.set(node.name, i);
    const inputs = 'inputs' in node ? node.inputs : 'input' in node ? [node.input] : [];
    for (const name of inputs) last.set(name, i);
  });
  return last;
}
const lastUseCache = new WeakMap<GraphJson, Map<string, number>>();

/**
 * Runs the graph on [B, n, n, 1] images and returns the logits [B, n, n, C]. Call inside tf.tidy.
 * Each intermediate is disposed as soon as the last node that reads it has run, so the pass holds only
 * the live activations (skip connections and the current layer), not every layer's output.
 */
export function runGraph(g: Graph, input: tf.Tensor4D): tf.Tensor4D {
  const values = new Map<string, tf.Tensor4D>();
  let last = lastUseCache.get(g.json);
  if (!last) {
    last = lastUses(g.json.nodes);
    lastUseCache.set(g.json, last);
  }
  const get = (name: string): tf.Tensor4D => {
    const v = values.get(name);
    if (!v) throw new Error(`graph node ${name} used before it is computed`);
    return v;
  };
  const release = (i: number): void => {
    for (const [name, t] of values) {
      if (name === g.json.output || (last.get(name) ?? i) > i || t === input) continue;
      values.delete(name);
      // A linear activation returns its input tensor: keep it while another name still holds it.
      if (![...values.values()].includes(t)) t.dispose();
    }
  };
  g.json.nodes.forEach((node, i) => {
    let y: tf.Tensor4D;
    switch (node.op) {
      case 'input':
        y = input;
        break;
      case 'conv2d':
      case 'depthwise': {
        const args = {
          x: get(node.input),
          filter: weight(g, node.filter) as tf.Tensor4D,
          strides: node.strides,
          pad: 'same' as const,
          bias: node.bias ? weight(g, node.bias) : undefined,
          activation: node.activation,
          leakyreluAlpha: node.alpha,
        };
        y = node.op === 'conv2d' ? tf.fused.conv2d(args) : tf.fused.depthwiseConv2d(args);
        break;
      }
      case 'conv2dTranspose': {
        const x = get(node.input);
        const [b, h, w] = x.shape;
        const t = tf.conv2dTranspose(x, weight(g, node.filter) as tf.Tensor4D, [b, h * node.strides, w * node.strides, node.outChannels], node.strides, 'same');
        if (node.bias) {
          y = tf.add(t, weight(g, node.bias));
          t.dispose();
        } else y = t;
        break;
      }
      case 'add': {
        const parts = node.inputs.map(get);
        y = parts.reduce((a, b) => {
          const sum = tf.add<tf.Tensor4D>(a, b);
          if (!parts.includes(a)) a.dispose();
          return sum;
        });
        break;
      }
      case 'concat':
        y = tf.concat(node.inputs.map(get), 3);
        break;
      case 'upsample': {
        const x = get(node.input);
        const size: [number, number] = [x.shape[1] * node.factor, x.shape[2] * node.factor];
        y = node.mode === 'bilinear' ? tf.image.resizeBilinear(x, size) : tf.image.resizeNearestNeighbor(x, size);
        break;
      }
      case 'activation':
        y = activate(get(node.input), node.activation, node.alpha);
        break;
    }
    values.set(node.name, y);
    release(i);
  });
  return get(g.json.output);
}

/** Parameter count (for the benchmark and the manifest). */
export function countParameters(json: GraphJson): number {
  return json.weights.reduce((a, w) => a + w.shape.reduce((x, y) => x * y, 1), 0);
}

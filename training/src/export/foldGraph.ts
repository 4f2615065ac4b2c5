/**
 * Turns a trained tf.layers model into the deployed graph (src/segment/graph.ts): batch norm folded into
 * the preceding convolution (w' = w * gamma / sqrt(var + eps), b' = (b - mean) * gamma / sqrt(var + eps) + beta),
 * the following activation fused, and only the full-resolution head kept.
 */
import * as tf from '@tensorflow/tfjs';
import type { Activation, GraphJson, GraphNode } from '../../../src/segment/graph';
import { graphFlops } from '../../../src/segment/graphFlops';

export interface FoldedGraph {
  json: Omit<GraphJson, 'weights'>;
  weights: { name: string; values: Float32Array; shape: number[] }[];
}

/** FLOPs of one image of size n through a folded graph, with the app's counter (src/segment/graphFlops). */
export function foldedGraphFlops(g: FoldedGraph, n: number): number {
  return graphFlops({ nodes: g.json.nodes, weights: g.weights }, n);
}

type ConvNode = Extract<GraphNode, { op: 'conv2d' | 'depthwise' }>;

function inboundNames(layer: tf.layers.Layer): string[] {
  const node = layer.inboundNodes[0];
  return node ? node.inboundLayers.map((l) => l.name) : [];
}

function activationOf(layer: tf.layers.Layer): { act: Activation; alpha?: number } | null {
  const cls = layer.getClassName();
  const cfg = layer.getConfig() as Record<string, unknown>;
  if (cls === 'LeakyReLU') return { act: 'leakyrelu', alpha: Number(cfg.alpha ?? 0.3) };
  if (cls === 'ReLU') return cfg.maxValue === 6 ? { act: 'relu6' } : cfg.maxValue == null ? { act: 'relu' } : null;
  if (cls === 'Activation') {
    const a = String(cfg.activation);
    if (a === 'relu' || a === 'relu6' || a === 'linear') return { act: a };
  }
  return null;
}

export function foldGraph(model: tf.LayersModel): FoldedGraph {
  const consumers = new Map<string, number>();
  for (const l of model.layers) for (const p of inboundNames(l)) consumers.set(p, (consumers.get(p) ?? 0) + 1);
  const alias = new Map<string, string>();
  const resolve = (n: string): string => alias.get(n) ?? n;
  const nodes = new Map<string, GraphNode>();
  const weights = new Map<string, { values: Float32Array; shape: number[] }>();
  const w = (layer: tf.layers.Layer, i: number): { values: Float32Array; shape: number[] } => {
    const t = layer.getWeights()[i]!;
    return { values: t.dataSync().slice() as Float32Array, shape: t.shape };
  };
  const single = (name: string): boolean => (consumers.get(name) ?? 0) === 1;

  for (const layer of model.layers) {
    const cls = layer.getClassName();
    const cfg = layer.getConfig() as Record<string, unknown>;
    const ins = inboundNames(layer).map(resolve);
    const name = layer.name;
    const strides = Array.isArray(cfg.strides) ? Number(cfg.strides[0]) : Number(cfg.strides ?? 1);
    switch (cls) {
      case 'InputLayer':
        nodes.set(name, { op: 'input', name });
        break;
      case 'Conv2D':
      case 'DepthwiseConv2D': {
        const kernel = w(layer, 0);
        const oneByOne = kernel.shape[0] === 1 && kernel.shape[1] === 1;
        if (cfg.padding !== 'same' && !(oneByOne && strides === 1)) throw new Error(`${name}: only 'same' padding is exported`);
        weights.set(`${name}/kernel`, kernel);
        const hasBias = Boolean(cfg.useBias);
        if (hasBias) weights.set(`${name}/bias`, w(layer, 1));
        const act = typeof cfg.activation === 'string' ? cfg.activation : 'linear';
        if (act !== 'linear' && act !== 'relu') throw new Error(`${name}: activation ${act} not exportable`);
        nodes.set(name, {
          op: cls === 'Conv2D' ? 'conv2d' : 'depthwise',
          name,
          input: ins[0]!,
          filter: `${name}/kernel`,
          bias: hasBias ? `${name}/bias` : null,
          strides,
          activation: act as Activation,
        });
        break;
      }
      case 'BatchNormalization':
      case 'BatchNormAct': {
        const prev = nodes.get(ins[0]!);
        if (!prev || (prev.op !== 'conv2d' && prev.op !== 'depthwise') || !single(ins[0]!) || prev.activation !== 'linear') {
          throw new Error(`${name}: batch norm must follow a linear convolution used only by it`);
        }
        const byName = new Map(layer.weights.map((v, i) => [v.name.split('/').pop()!.replace(/_\d+$/, ''), i]));
        const get = (k: string): Float32Array => w(layer, byName.get(k)!).values;
        const gamma = get('gamma');
        const beta = get('beta');
        const mean = get('moving_mean');
        const variance = get('moving_variance');
        const eps = Number(cfg.epsilon ?? 1e-3);
        const scale = gamma.map((g, c) => g / Math.sqrt(variance[c]! + eps));
        const kernel = weights.get(prev.filter)!;
        const C = scale.length;
        // conv2d kernel [kh, kw, in, out]; depthwise [kh, kw, C, 1]: either way the channel is the
        // fastest-varying index of (out) or (in * multiplier) with multiplier 1.
        const step = prev.op === 'conv2d' ? kernel.shape[3]! : kernel.shape[2]!;
        if (step !== C) throw new Error(`${name}: ${C} channels after a kernel with ${step}`);
        for (let i = 0; i < kernel.values.length; i++) kernel.values[i]! *= scale[i % C]!;
        const oldBias = prev.bias ? weights.get(prev.bias)!.values : new Float32Array(C);
        const bias = new Float32Array(C).map((_, c) => (oldBias[c]! - mean[c]!) * scale[c]! + beta[c]!);
        const biasName = `${prev.name}/bias`;
        weights.set(biasName, { values: bias, shape: [C] });
        const conv: ConvNode = prev;
        conv.bias = biasName;
        if (cls === 'BatchNormAct') {
          const a = typeof cfg.activation === 'string' ? cfg.activation : 'linear';
          conv.activation = a === 'relu6' ? 'relu6' : a === 'leakyRelu' ? 'leakyrelu' : 'linear';
          if (conv.activation === 'leakyrelu') conv.alpha = Number(cfg.alpha ?? 0.01);
        }
        alias.set(name, prev.name);
        break;
      }
      case 'LeakyReLU':
      case 'ReLU':
      case 'Activation': {
        const a = activationOf(layer);
        if (!a) throw new Error(`${name}: activation not exportable`);
        const prev = nodes.get(ins[0]!);
        if (prev && (prev.op === 'conv2d' || prev.op === 'depthwise') && prev.activation === 'linear' && single(ins[0]!)) {
          prev.activation = a.act;
          if (a.alpha !== undefined) prev.alpha = a.alpha;
          alias.set(name, prev.name);
        } else {
          nodes.set(name, { op: 'activation', name, input: ins[0]!, activation: a.act, alpha: a.alpha });
        }
        break;
      }
      case 'Conv2DTranspose': {
        const kernel = w(layer, 0);
        weights.set(`${name}/kernel`, kernel);
        const hasBias = Boolean(cfg.useBias);
        if (hasBias) weights.set(`${name}/bias`, w(layer, 1));
        nodes.set(name, {
          op: 'conv2dTranspose',
          name,
          input: ins[0]!,
          filter: `${name}/kernel`,
          bias: hasBias ? `${name}/bias` : null,
          strides,
          outChannels: Number(cfg.filters),
        });
        break;
      }
      case 'Add':
        nodes.set(name, { op: 'add', name, inputs: ins });
        break;
      case 'Concatenate':
        nodes.set(name, { op: 'concat', name, inputs: ins });
        break;
      case 'UpSampling2D': {
        const size = cfg.size as number[];
        nodes.set(name, { op: 'upsample', name, input: ins[0]!, factor: size[0]!, mode: cfg.interpolation === 'bilinear' ? 'bilinear' : 'nearest' });
        break;
      }
      default:
        throw new Error(`layer ${name} (${cls}) cannot be exported`);
    }
  }
  // Keep only what the full-resolution head needs.
  const output = resolve(model.outputs[0]!.sourceLayer.name);
  const needed = new Set<string>();
  const visit = (n: string): void => {
    if (needed.has(n)) return;
    needed.add(n);
    const node = nodes.get(n)!;
    if ('input' in node) visit(node.input);
    if ('inputs' in node) node.inputs.forEach(visit);
  };
  visit(output);
  const ordered = [...nodes.values()].filter((n) => needed.has(n.name));
  const usedWeights = new Set<string>();
  for (const n of ordered) {
    if ('filter' in n) usedWeights.add(n.filter);
    if ('bias' in n && n.bias) usedWeights.add(n.bias);
  }
  return {
    json: { format: 'cineseg-graph/1', nodes: ordered, output },
    weights: [...usedWeights].map((name) => ({ name, ...weights.get(name)! })),
  };
}

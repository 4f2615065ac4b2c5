/**
 * Floating-point operations of one forward pass of a deployed graph (./graph), for the benchmark's efficiency
 * figure (images/s measured against images/s a backend's convolution peak would allow). Counts only the
 * convolutions (conv2d, depthwise, conv2dTranspose) as 2 x multiply-adds; bias, activations, adds, concats and
 * upsampling are memory-bound and left out, as in the usual FLOP counts of CNNs. Training's export (a folded graph's
 * nodes and weights, before packing) and Table 1 count with the same function.
 */
import { lastUses, type GraphJson, type WeightSpec } from './graph';

/** [height, width, channels] of a node's output for one image. */
type Shape = [number, number, number];

/**
 * FLOPs (2 x multiply-adds) for one image of size `inputSize` x `inputSize` x 1. Convolutions use 'same'
 * padding (as runGraph does): a stride s gives ceil(h / s) output rows. A conv2dTranspose with stride s maps
 * h x w to sh x sw and does h * w * k * k * cin * cout multiply-adds (every input pixel scatters one k x k x cout
 * block).
 */
export function graphFlops(json: CostGraph, inputSize: number): number {
  return graphCost(json, inputSize).flops;
}

type CostGraph = Pick<GraphJson, 'nodes'> & { weights: readonly Pick<WeightSpec, 'name' | 'shape'>[] };

/**
 * FLOPs (as graphFlops) and activation memory per image in values: `activationValues`, the sum of every node's
 * output, and `peakLiveValues`, the most that are alive at once when each output is freed after the last node
 * that reads it (what runGraph does), the figure a memory budget divides by.
 */
export function graphCost(json: CostGraph, inputSize: number): { flops: number; activationValues: number; peakLiveValues: number } {
  const shapes = new Map<string, Shape>();
  const weightShapes = new Map(json.weights.map((w) => [w.name, w.shape]));
  const shapeOf = (name: string): Shape => {
    const s = shapes.get(name);
    if (!s) throw new Error(`graph node ${name} used before it is defined`);
    return s;
  };
  const filterOf = (name: string): [number, number, number, number] => {
    const s = weightShapes.get(name);
    if (!s || s.length !== 4) throw new Error(`filter ${name} is missing or not 4-D`);
    return s as [number, number, number, number];
  };
  let flops = 0;
  let activationValues = 0;
  const lastUse = lastUses(json.nodes);
  const live = new Map<string, number>();
  let liveValues = 0;
  let peakLiveValues = 0;
  for (const [i, node] of json.nodes.entries()) {
    switch (node.op) {
      case 'input':
        shapes.set(node.name, [inputSize, inputSize, 1]);
        break;
      case 'conv2d': {
        // filter [kh, kw, cin, cout]
        const [h, w] = shapeOf(node.input);
        const [kh, kw, cin, cout] = filterOf(node.filter);
        const [oh, ow] = [Math.ceil(h / node.strides), Math.ceil(w / node.strides)];
        flops += 2 * oh * ow * kh * kw * cin * cout;
        shapes.set(node.name, [oh, ow, cout]);
        break;
      }
      case 'depthwise': {
        // filter [kh, kw, cin, multiplier]: each input channel gets its own k x k filters.
        const [h, w] = shapeOf(node.input);
        const [kh, kw, cin, mult] = filterOf(node.filter);
        const [oh, ow] = [Math.ceil(h / node.strides), Math.ceil(w / node.strides)];
        flops += 2 * oh * ow * kh * kw * cin * mult;
        shapes.set(node.name, [oh, ow, cin * mult]);
        break;
      }
      case 'conv2dTranspose': {
        // filter [kh, kw, cout, cin]
        const [h, w, cin] = shapeOf(node.input);
        const [kh, kw] = filterOf(node.filter);
        flops += 2 * h * w * kh * kw * cin * node.outChannels;
        shapes.set(node.name, [h * node.strides, w * node.strides, node.outChannels]);
        break;
      }
      case 'add':
        shapes.set(node.name, shapeOf(node.inputs[0] ?? ''));
        break;
      case 'concat': {
        const parts = node.inputs.map(shapeOf);
        const [h, w] = parts[0] ?? [0, 0];
        shapes.set(node.name, [h, w, parts.reduce((c, s) => c + s[2], 0)]);
        break;
      }
      case 'upsample': {
        const [h, w, c] = shapeOf(node.input);
        shapes.set(node.name, [h * node.factor, w * node.factor, c]);
        break;
      }
      case 'activation':
        shapes.set(node.name, shapeOf(node.input));
        break;
    }
    const [h, w, c] = shapeOf(node.name);
    activationValues += h * w * c;
    live.set(node.name, h * w * c);
    liveValues += h * w * c;
    peakLiveValues = Math.max(peakLiveValues, liveValues);
    for (const [name, size] of live) {
      if ((lastUse.get(name) ?? i) <= i && name !== node.name) {
        live.delete(name);
        liveValues -= size;
      }
    }
  }
  return { flops, activationValues, peakLiveValues };
}

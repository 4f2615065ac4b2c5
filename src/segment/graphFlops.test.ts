import { describe, expect, it } from 'vitest';
import type { GraphJson, GraphNode, WeightSpec } from './graph';
import { graphFlops } from './graphFlops';

const w = (name: string, shape: number[]): WeightSpec => ({ name, shape, dtype: 'float32' });

/**
 * 8x8x1 input -> conv 3x3 1->4 (8x8x4) -> depthwise 3x3 stride 2 (4x4x4) -> conv 1x1 4->8 (4x4x8)
 * -> transposed conv 2x2 stride 2 8->4 (8x8x4) -> concat with the first conv (8x8x8); an upsampled copy of the
 * depthwise output added to the first conv; conv 1x1 8->4 at the end.
 */
const nodes: GraphNode[] = [
  { op: 'input', name: 'x' },
  { op: 'conv2d', name: 'c1', input: 'x', filter: 'c1/k', bias: 'c1/b', strides: 1, activation: 'relu' },
  { op: 'depthwise', name: 'd1', input: 'c1', filter: 'd1/k', bias: null, strides: 2, activation: 'relu6' },
  { op: 'conv2d', name: 'p1', input: 'd1', filter: 'p1/k', bias: null, strides: 1, activation: 'linear' },
  { op: 'conv2dTranspose', name: 't1', input: 'p1', filter: 't1/k', bias: 't1/b', strides: 2, outChannels: 4 },
  { op: 'concat', name: 'cat', inputs: ['c1', 't1'] },
  { op: 'upsample', name: 'up', input: 'd1', factor: 2, mode: 'bilinear' },
  { op: 'add', name: 'sum', inputs: ['c1', 'up'] },
  { op: 'activation', name: 'act', input: 'sum', activation: 'relu' },
  { op: 'conv2d', name: 'out', input: 'cat', filter: 'out/k', bias: null, strides: 1, activation: 'linear' },
];

const tiny: GraphJson = {
  format: 'cineseg-graph/1',
  nodes,
  output: 'out',
  weights: [
    w('c1/k', [3, 3, 1, 4]),
    w('c1/b', [4]),
    w('d1/k', [3, 3, 4, 1]),
    w('p1/k', [1, 1, 4, 8]),
    w('t1/k', [2, 2, 4, 8]),
    w('t1/b', [4]),
    w('out/k', [1, 1, 8, 4]),
  ],
};

describe('graphFlops', () => {
  it('counts 2 x multiply-adds of every convolution of a hand-computed graph', () => {
    const c1 = 2 * (8 * 8) * (3 * 3) * 1 * 4; // 4608
    const d1 = 2 * (4 * 4) * (3 * 3) * 4; // 1152
    const p1 = 2 * (4 * 4) * 4 * 8; // 1024
    const t1 = 2 * (4 * 4) * (2 * 2) * 8 * 4; // 4096: per input pixel, a 2x2x4 block from 8 channels
    const out = 2 * (8 * 8) * 8 * 4; // 4096: the concat has 4 + 4 channels
    expect(c1 + d1 + p1 + t1 + out).toBe(14976);
    expect(graphFlops(tiny, 8)).toBe(14976);
  });

  it('rounds strided outputs up (same padding) and scales with the input area', () => {
    const strided: GraphJson = {
      format: 'cineseg-graph/1',
      nodes: [
        { op: 'input', name: 'x' },
        { op: 'conv2d', name: 'c', input: 'x', filter: 'k', bias: null, strides: 2, activation: 'linear' },
        { op: 'depthwise', name: 'd', input: 'c', filter: 'dk', bias: null, strides: 1, activation: 'linear' },
      ],
      output: 'd',
      weights: [w('k', [3, 3, 1, 2]), w('dk', [3, 3, 2, 3])],
    };
    // 7x7 -> 4x4x2 (2*16*9*2 = 576) -> depthwise with multiplier 3 -> 4x4x6 (2*16*9*2*3 = 1728)
    expect(graphFlops(strided, 7)).toBe(576 + 1728);
    expect(graphFlops(tiny, 16)).toBe(4 * 14976);
  });

  it('names a node used before it is defined', () => {
    const broken: GraphJson = { ...tiny, nodes: nodes.filter((n) => n.name !== 'c1') };
    expect(() => graphFlops(broken, 8)).toThrow('graph node c1 used before it is defined');
  });
});

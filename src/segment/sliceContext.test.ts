/**
 * A model with three input channels gets, for slice s, slices s-1, s and s+1 of the same frame (clamped at the
 * stack's ends), through the engine that the app, the CLI and the evaluation share. The model here is a hand-made
 * 1x1 convolution whose class k+1 reads input channel k, so the labels show which slice fed which channel.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PREPROCESS_VERSION } from '@/core/preprocess';
import { diagonalAffine, type Volume } from '@/core/volume';
import { loadGraph, type GraphJson } from './graph';
import { inputChannels, planVolume, segmentSlices, type LoadedModel } from './engine';
import { checkManifest, type ModelManifest } from './manifest';

const N = 32;
const SLICES = 5;
const SQUARE = 4;
/** Top-left corner of slice s's bright square: each slice has its own place. */
const corner = (s: number): number => 2 + 6 * s;

function contextModel(channels: number): LoadedModel {
  // logits = bias + x * W: background 0.5; class c (1..channels) = channel c-1, weights rising so that a tie goes up.
  const classes = 4;
  const filter = new Float32Array(channels * classes);
  for (let c = 0; c < channels && c < classes - 1; c++) filter[c * classes + c + 1] = 1 + 0.1 * c;
  const bias = Float32Array.of(0.5, 0, 0, 0);
  const json: GraphJson = {
    format: 'cineseg-graph/1',
    nodes: [
      { op: 'input', name: 'image' },
      { op: 'conv2d', name: 'logits', input: 'image', filter: 'w', bias: 'b', strides: 1, activation: 'linear' },
    ],
    output: 'logits',
    weights: [
      { name: 'w', shape: [1, 1, channels, classes], dtype: 'float32' },
      { name: 'b', shape: [classes], dtype: 'float32' },
    ],
  };
  const bytes = new Uint8Array(new Float32Array([...filter, ...bias]).buffer);
  const manifest = {
    id: 'context-probe',
    version: '0',
    format: 'cineseg-graph/1',
    inputShape: [N, N, channels],
    spacingMm: 1.5,
    preprocessVersion: PREPROCESS_VERSION,
    tta: false,
  } as ModelManifest;
  return { manifest, graph: loadGraph(json, bytes) };
}

function squaresVolume(): Volume {
  const data = new Float32Array(N * N * SLICES);
  for (let s = 0; s < SLICES; s++)
    for (let r = corner(s); r < corner(s) + SQUARE; r++)
      for (let c = corner(s); c < corner(s) + SQUARE; c++) data[s * N * N + r * N + c] = 1000;
  const spacingMm = { col: 1.5, row: 1.5, slice: 8 };
  return {
    data,
    dims: { cols: N, rows: N, slices: SLICES, frames: 1 },
    spacingMm,
    affine: diagonalAffine(spacingMm),
    frameTimesMs: [0],
    meta: { source: 'nifti', name: 'squares' },
  };
}

/** Label at the centre of slice q's square, on slice s's labels. */
const labelAt = (labels: Uint8Array, s: number, q: number): number => {
  const p = corner(q) + SQUARE / 2;
  return labels[s * N * N + p * N + p]!;
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('through-plane context in the engine', () => {
  it('feeds slice s-1, s and s+1 to channels 0, 1 and 2', () => {
    const model = contextModel(3);
    expect(() => checkManifest({ ...model.manifest, classes: [], normalisation: { lowPercentile: 0.5, highPercentile: 99.5 } })).not.toThrow();
    expect(inputChannels(model)).toBe(3);
    const volume = squaresVolume();
    const plan = planVolume(volume, model.manifest);
    const all = Array.from({ length: SLICES }, (_, s) => s);
    const labels = segmentSlices(model, volume, plan, 0, all);
    for (let s = 1; s < SLICES - 1; s++) {
      expect(labelAt(labels, s, s - 1)).toBe(1);
      expect(labelAt(labels, s, s)).toBe(2);
      expect(labelAt(labels, s, s + 1)).toBe(3);
      // A slice two away is in no channel.
      if (s + 2 < SLICES) expect(labelAt(labels, s, s + 2)).toBe(0);
    }
    // At the ends the missing neighbour is the slice itself: no channel-0 blob of its own on slice 0.
    expect(labelAt(labels, 0, 0)).toBe(2);
    expect(labelAt(labels, 0, 1)).toBe(3);
    expect(labels.subarray(0, N * N).includes(1)).toBe(false);
    expect(labelAt(labels, SLICES - 1, SLICES - 2)).toBe(1);
    expect(labelAt(labels, SLICES - 1, SLICES - 1)).toBe(3);
  });

  it('gives the same labels one slice at a time as for the whole frame', () => {
    const model = contextModel(3);
    const volume = squaresVolume();
    const plan = planVolume(volume, model.manifest);
    const all = Array.from({ length: SLICES }, (_, s) => s);
    const whole = segmentSlices(model, volume, plan, 0, all);
    const oneByOne = segmentSlices(model, volume, plan, 0, all, { batch: 1 });
    expect([...oneByOne]).toEqual([...whole]);
    const picked = segmentSlices(model, volume, plan, 0, [3]);
    expect([...picked]).toEqual([...whole.subarray(3 * N * N, 4 * N * N)]);
  });

  it('a one-channel model sees only its slice', () => {
    const model = contextModel(1);
    const volume = squaresVolume();
    const labels = segmentSlices(model, volume, planVolume(volume, model.manifest), 0, [2]);
    expect(labelAt(labels, 0, 2)).toBe(1);
    expect(labelAt(labels, 0, 1)).toBe(0);
    expect(labelAt(labels, 0, 3)).toBe(0);
  });

  it('refuses an even number of input channels', () => {
    const m = contextModel(3).manifest;
    expect(() => checkManifest({ ...m, inputShape: [N, N, 2], classes: [], normalisation: { lowPercentile: 0.5, highPercentile: 99.5 } })).toThrow(/input shape/);
  });
});

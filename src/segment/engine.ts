/**
 * The one segmentation engine: model loading, preprocessing (src/core/preprocess), inference on the
 * folded graph, mapping back to the image grid and postprocessing. The Web Worker, the batch CLI, the
 * benchmark and training's evaluation all call this; tfjs backends are registered by those entry points.
 */
import * as tf from '@tensorflow/tfjs-core';
import { NUM_CLASSES } from '@/core/labels';
import { postprocessFrame } from '@/core/postprocess';
import {
  DEFAULT_PREPROCESS,
  intensityStats,
  planSlices,
  prepareSlice,
  scoresToImageLabels,
  type SlicePlan,
} from '@/core/preprocess';
import { sliceOffset, type Volume } from '@/core/volume';
import { loadGraph, runGraph, type Graph, type GraphJson } from './graph';
import { checkManifest, ModelError, type ModelManifest } from './manifest';
import { logitsWithTta } from './tta';

export interface LoadedModel {
  manifest: ModelManifest;
  graph: Graph;
}

/** Reads one file of a model folder (fetch in the browser, fs in Node). */
export type FetchBytes = (file: string) => Promise<Uint8Array>;

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes.slice().buffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Loads and checks a model folder (manifest.json, model.json, weights.bin); verifies the shards' sha256. */
export async function loadModel(fetchBytes: FetchBytes): Promise<LoadedModel> {
  const text = (b: Uint8Array): string => new TextDecoder().decode(b);
  const manifest = JSON.parse(text(await fetchBytes('manifest.json'))) as ModelManifest;
  checkManifest(manifest);
  const files = new Map<string, Uint8Array>();
  for (const f of manifest.files) {
    const bytes = await fetchBytes(f.name);
    const hash = await sha256Hex(bytes);
    if (hash !== f.sha256) throw new ModelError(`model file ${f.name} is corrupt (sha256 mismatch); reload the page`);
    files.set(f.name, bytes);
  }
  const json = JSON.parse(text(files.get('model.json')!)) as GraphJson;
  const graph = loadGraph(json, files.get('weights.bin')!);
  return { manifest, graph };
}

export function disposeModel(m: LoadedModel): void {
  m.graph.tensors.forEach((t) => t.dispose());
}

/** Normalisation and geometry of a whole series for this model (intensity percentiles over all voxels). */
export function planVolume(volume: Volume, manifest: ModelManifest): SlicePlan {
  return planSlices(
    { cols: volume.dims.cols, rows: volume.dims.rows, spacingColMm: volume.spacingMm.col, spacingRowMm: volume.spacingMm.row },
    volume.intensity ?? intensityStats(volume.data),
    { ...DEFAULT_PREPROCESS, inputSize: manifest.inputShape[0], spacingMm: manifest.spacingMm },
  );
}

/** Logits [count, n, n, C] for prepared model inputs [count, n, n]. */
export function predictLogits(model: LoadedModel, inputs: Float32Array, count: number, tta = model.manifest.tta): Float32Array {
  const n = model.manifest.inputShape[0];
  const out = tf.tidy(() =>
    logitsWithTta((x) => runGraph(model.graph, x), tf.tensor4d(inputs, [count, n, n, 1]), tta),
  );
  const data = out.dataSync() as Float32Array;
  out.dispose();
  return data;
}

export interface FrameOptions {
  /** Images per forward pass (default: all slices of the frame). */
  batch?: number;
  tta?: boolean;
  postprocess?: boolean;
}

/**
 * Segments every slice of one frame: labels [slice][row][col] on the image's own grid, postprocessed
 * (largest 3D component per structure, holes filled).
 */
export function segmentFrame(model: LoadedModel, volume: Volume, plan: SlicePlan, frame: number, opts: FrameOptions = {}): Uint8Array {
  const { cols, rows, slices } = volume.dims;
  const n = plan.cfg.inputSize;
  const plane = cols * rows;
  const labels = new Uint8Array(slices * plane);
  const batch = Math.max(1, opts.batch ?? slices);
  for (let s0 = 0; s0 < slices; s0 += batch) {
    const count = Math.min(batch, slices - s0);
    const inputs = new Float32Array(count * n * n);
    for (let i = 0; i < count; i++) {
      const o = sliceOffset(volume.dims, s0 + i, frame);
      prepareSlice(volume.data.subarray(o, o + plane), plan, inputs.subarray(i * n * n, (i + 1) * n * n));
    }
    const logits = predictLogits(model, inputs, count, opts.tta ?? model.manifest.tta);
    for (let i = 0; i < count; i++) {
      scoresToImageLabels(
        logits.subarray(i * n * n * NUM_CLASSES, (i + 1) * n * n * NUM_CLASSES),
        n,
        plan.geometry,
        plan.map,
        NUM_CLASSES,
        labels.subarray((s0 + i) * plane, (s0 + i + 1) * plane),
      );
    }
  }
  if (opts.postprocess !== false) postprocessFrame(labels, { cols, rows, slices });
  return labels;
}

/**
 * The one segmentation engine: model loading, preprocessing (src/core/preprocess), inference on the
 * folded graph, mapping back to the image grid and postprocessing. The Web Worker, the batch CLI, the
 * benchmark and training's evaluation all call this; tfjs backends are registered by those entry points.
 */
import * as tf from '@tensorflow/tfjs-core';
import { locateHeartFromLabels, type HeartLocation } from '@/core/heartLocation';
import { NUM_CLASSES } from '@/core/labels';
import { postprocessFrame, type PostprocessMode } from '@/core/postprocess';
import {
  DEFAULT_PREPROCESS,
  contextSlices,
  interleaveChannels,
  intensityStats,
  planSlices,
  prepareSlice,
  scoresToImageLabels,
  type SlicePlan,
} from '@/core/preprocess';
import { sliceOffset, type Volume } from '@/core/volume';
import { loadGraph, runGraph, type Graph, type GraphJson } from './graph';
import { graphCost } from './graphFlops';
import { checkManifest, ModelError, type ModelManifest } from './manifest';
import { logitsWithTta } from './tta';

/**
 * Activation memory one forward pass may take (bytes). tfjs's WASM heap is at most 4 GiB and shares it with
 * the model, the series and the results; with the graph's own estimate (graphCost: the most activations alive
 * at once as runGraph frees them, doubled for workspace) this keeps a pass far below that.
 */
export const PASS_MEMORY_BUDGET_BYTES = 256 * 1024 * 1024;

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

/**
 * Normalisation and geometry of a whole series for this model (intensity percentiles over all voxels): the
 * manifest's input size centred on the image, or, with `crop`, that size centred on `crop.centerPx`.
 */
export function planVolume(
  volume: Volume,
  manifest: ModelManifest,
  crop?: { inputSize: number; centerPx: { x: number; y: number } },
): SlicePlan {
  return planSlices(
    { cols: volume.dims.cols, rows: volume.dims.rows, spacingColMm: volume.spacingMm.col, spacingRowMm: volume.spacingMm.row },
    volume.intensity ?? intensityStats(volume.data),
    { ...DEFAULT_PREPROCESS, inputSize: crop?.inputSize ?? manifest.inputShape[0], spacingMm: manifest.spacingMm },
    crop?.centerPx,
  );
}

const passCost = new WeakMap<GraphJson, Map<number, number>>();

/** Images of size n x n one forward pass may hold within `budgetBytes` (at least 1). */
export function imagesPerPass(model: LoadedModel, n: number, budgetBytes = PASS_MEMORY_BUDGET_BYTES): number {
  let byN = passCost.get(model.graph.json);
  if (!byN) passCost.set(model.graph.json, (byN = new Map<number, number>()));
  let values = byN.get(n);
  if (values === undefined) {
    // Twice the live peak: a convolution's own workspace and the batch's input and output come on top.
    values = 2 * graphCost({ nodes: model.graph.json.nodes, weights: model.graph.json.weights }, n).peakLiveValues;
    byN.set(n, values);
  }
  return Math.max(1, Math.floor(budgetBytes / (4 * values)));
}

/** Input channels of the model: 1, or the slice with its neighbours (manifest inputShape). */
export const inputChannels = (model: LoadedModel): number => model.manifest.inputShape[2];

/**
 * Logits [count, n, n, C] for prepared model inputs [count, n, n, inputChannels] (n from `n`, default the
 * manifest's input size), in passes of at most imagesPerPass images.
 */
export function predictLogits(
  model: LoadedModel,
  inputs: Float32Array,
  count: number,
  tta = model.manifest.tta,
  n = model.manifest.inputShape[0],
): Float32Array {
  const per = imagesPerPass(model, n);
  const C = NUM_CLASSES;
  const ch = inputChannels(model);
  const len = n * n * ch;
  if (inputs.length < count * len) throw new Error(`predictLogits: ${inputs.length} input values for ${count} images of ${n}×${n}×${ch}`);
  const result = new Float32Array(count * n * n * C);
  for (let s = 0; s < count; s += per) {
    const b = Math.min(per, count - s);
    let out: tf.Tensor;
    try {
      out = tf.tidy(() =>
        logitsWithTta((x) => runGraph(model.graph, x), tf.tensor4d(inputs.subarray(s * len, (s + b) * len), [b, n, n, ch]), tta),
      );
    } catch (e) {
      throw asMemoryError(e, model, b, n);
    }
    result.set(out.dataSync(), s * n * n * C);
    out.dispose();
  }
  return result;
}

/**
 * An abort inside the WASM backend (its heap is full) as a message a user can act on; other errors as they are.
 * After such an abort the WASM backend of that worker or process may be unusable until it is restarted.
 */
function asMemoryError(e: unknown, model: LoadedModel, images: number, n: number): unknown {
  const text = e instanceof Error ? e.message : String(e);
  if (!/Aborted\(|out of memory|memory access out of bounds|Cannot enlarge memory/i.test(text)) return e;
  return new BackendMemoryError(
    `${model.manifest.id} ${model.manifest.version} ran out of memory on ${images} images of ${n}×${n} ` +
      `(${text.slice(0, 80)}); try the fast model, or a series with fewer slices`,
  );
}

/** The backend aborted for want of memory: whoever owns it (the app's worker) should start it afresh. */
export class BackendMemoryError extends ModelError {
  readonly backendLost = true;
  constructor(message: string) {
    super(message);
    this.name = 'BackendMemoryError';
  }
}

/** What segmenting a series with one model needs: the slice plan and, for heart-centred models, where the heart is. */
export interface SeriesPlan {
  plan: SlicePlan;
  /** null for models without a heart crop (one image-centred pass). */
  heart: HeartLocation | null;
}

/** Slices the locator looks at: three mid-ventricular ones (35, 50 and 65 % of the stack). */
export function locatorSlices(slices: number): number[] {
  return [...new Set([0.35, 0.5, 0.65].map((q) => Math.min(slices - 1, Math.max(0, Math.round(q * (slices - 1))))))];
}

/**
 * First pass of heart-centred inference: the model on the image-centred canvas (without TTA) on three
 * mid-ventricular slices of frame `frame`, reduced to one heart centre for the whole series
 * (src/core/heartLocation). When those show no LV, every slice of the frame is tried before giving up.
 * Cost: three images on the full canvas per series, a small share of a cine's hundreds.
 */
export function locateHeart(model: LoadedModel, volume: Volume, frame = 0): HeartLocation {
  const plan = planVolume(volume, model.manifest);
  const { slices } = volume.dims;
  const first = locatorSlices(slices);
  const found = locateHeartFromLabels(segmentSlices(model, volume, plan, frame, first, { tta: false }), volume.dims, volume.spacingMm, first);
  if (found.found || first.length === slices) return found;
  const all = Array.from({ length: slices }, (_, s) => s).filter((s) => !first.includes(s));
  return locateHeartFromLabels(segmentSlices(model, volume, plan, frame, all, { tta: false }), volume.dims, volume.spacingMm, all);
}

/**
 * The plan for segmenting `volume` with `model`: heart-centred when the manifest asks for it (or `cropPx`
 * overrides it; 0 forces the image-centred canvas), else the image-centred canvas.
 */
export function planSeries(model: LoadedModel, volume: Volume, opts: { cropPx?: number; frame?: number } = {}): SeriesPlan {
  const size = opts.cropPx ?? model.manifest.heartCrop?.inputSize ?? 0;
  if (!size) return { plan: planVolume(volume, model.manifest), heart: null };
  const heart = locateHeart(model, volume, opts.frame ?? 0);
  return { plan: planVolume(volume, model.manifest, { inputSize: size, centerPx: heart.centerPx }), heart };
}

/**
 * Images per forward pass in the app's workers (and the benchmark's copy of their loop). Measured with WASM SIMD on
 * a 2-core machine (`npm run bench`, three idle runs): per image, batch 1 and a whole 12-slice frame on the 128 crop
 * differed by up to 30 % either way, no faster one within the machine's run-to-run noise; batch 1 is kept because it
 * keeps each worker's WASM heap smallest (two workers hold one each). The batch CLI keeps whole frames.
 */
export const WORKER_IMAGES_PER_PASS = 1;

export interface FrameOptions {
  /** Images per forward pass (default: all slices of the frame). */
  batch?: number;
  tta?: boolean;
  /** false: raw argmax labels; a mode: that clean-up (default: the core's default, anatomical). */
  postprocess?: boolean | PostprocessMode;
  /** Adds the time of each stage to these totals (the benchmark's and the worker's profile). */
  profile?: StageTimes;
}

/** Wall-clock milliseconds by stage of segmentSlices / segmentFrame, summed over calls. */
export interface StageTimes {
  /** Resampling and normalisation onto the model grid (prepareSlice). */
  prepareMs: number;
  /** predictLogits: input tensor, forward pass (with TTA when on), logits read back. */
  forwardMs: number;
  /** Logits back to labels on the image grid (scoresToImageLabels). */
  toLabelsMs: number;
  /** Clean-up (postprocessFrame). */
  postprocessMs: number;
}

export const noStageTimes = (): StageTimes => ({ prepareMs: 0, forwardMs: 0, toLabelsMs: 0, postprocessMs: 0 });

/**
 * Model inputs [picked][n][n][inputChannels] for the listed slices of one frame: each slice resampled onto the
 * plan's grid and normalised, with its through-plane neighbours as further channels when the model takes them.
 * `prepared` caches resampled slices by index across calls for the same volume, plan and frame.
 */
export function modelInputs(
  model: LoadedModel,
  volume: Volume,
  plan: SlicePlan,
  frame: number,
  picked: readonly number[],
  prepared: Map<number, Float32Array> = new Map(),
): Float32Array {
  const n = plan.cfg.inputSize;
  const plane = volume.dims.cols * volume.dims.rows;
  const ch = inputChannels(model);
  const preparedSlice = (s: number): Float32Array => {
    let p = prepared.get(s);
    if (!p) {
      const o = sliceOffset(volume.dims, s, frame);
      prepared.set(s, (p = prepareSlice(volume.data.subarray(o, o + plane), plan)));
    }
    return p;
  };
  const inputs = new Float32Array(picked.length * n * n * ch);
  picked.forEach((s, i) => {
    interleaveChannels(contextSlices(s, volume.dims.slices, ch).map(preparedSlice), inputs.subarray(i * n * n * ch, (i + 1) * n * n * ch));
  });
  return inputs;
}

/**
 * Labels of the listed slices of one frame on the image's own grid, [picked][row][col], no postprocessing.
 * Slices go through the model in passes within the memory budget.
 */
export function segmentSlices(
  model: LoadedModel,
  volume: Volume,
  plan: SlicePlan,
  frame: number,
  picked: readonly number[],
  opts: Pick<FrameOptions, 'batch' | 'tta' | 'profile'> = {},
): Uint8Array {
  const { cols, rows } = volume.dims;
  const n = plan.cfg.inputSize;
  const plane = cols * rows;
  const labels = new Uint8Array(picked.length * plane);
  const batch = Math.max(1, opts.batch ?? picked.length);
  const profile = opts.profile;
  // Each slice is resampled once per call, however many inputs it is a neighbour in.
  const prepared = new Map<number, Float32Array>();
  for (let k0 = 0; k0 < picked.length; k0 += batch) {
    const count = Math.min(batch, picked.length - k0);
    const t0 = performance.now();
    const inputs = modelInputs(model, volume, plan, frame, picked.slice(k0, k0 + count), prepared);
    const t1 = performance.now();
    const logits = predictLogits(model, inputs, count, opts.tta ?? model.manifest.tta, n);
    const t2 = performance.now();
    for (let i = 0; i < count; i++) {
      scoresToImageLabels(
        logits.subarray(i * n * n * NUM_CLASSES, (i + 1) * n * n * NUM_CLASSES),
        n,
        plan.geometry,
        plan.map,
        NUM_CLASSES,
        labels.subarray((k0 + i) * plane, (k0 + i + 1) * plane),
      );
    }
    if (profile) {
      profile.prepareMs += t1 - t0;
      profile.forwardMs += t2 - t1;
      profile.toLabelsMs += performance.now() - t2;
    }
  }
  return labels;
}

/**
 * Segments every slice of one frame: labels [slice][row][col] on the image's own grid, postprocessed
 * (src/core/postprocess). `plan` is planSeries(...).plan (or planVolume for the image-centred canvas).
 */
export function segmentFrame(model: LoadedModel, volume: Volume, plan: SlicePlan, frame: number, opts: FrameOptions = {}): Uint8Array {
  const { cols, rows, slices } = volume.dims;
  const all = Array.from({ length: slices }, (_, s) => s);
  const labels = segmentSlices(model, volume, plan, frame, all, opts);
  if (opts.postprocess !== false) {
    const t0 = performance.now();
    postprocessFrame(labels, { cols, rows, slices }, typeof opts.postprocess === 'string' ? opts.postprocess : undefined);
    if (opts.profile) opts.profile.postprocessMs += performance.now() - t0;
  }
  return labels;
}

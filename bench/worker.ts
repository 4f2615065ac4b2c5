/// <reference lib="webworker" />
/**
 * The benchmark's Web Worker: one backend configuration per worker (tfjs chooses its backend once). It starts the
 * backend with the app's own src/segment/backend (webgl registered here as well, for comparison only; the app does
 * not ship it), loads each model with the app's engine and times the engine's forward pass (predictLogits: input
 * tensor, folded graph, logits read back) at the model's input size. No inference code of its own: the only tfjs
 * call here is the plain convolution that measures the backend's peak.
 */
import '@tensorflow/tfjs-backend-webgl';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@/segment/backend';
import {
  disposeModel,
  inputChannels,
  loadModel,
  noStageTimes,
  planSeries,
  predictLogits,
  segmentFrame,
  WORKER_IMAGES_PER_PASS,
  type LoadedModel,
} from '@/segment/engine';
import { countParameters } from '@/segment/graph';
import { graphFlops } from '@/segment/graphFlops';
import type {
  BackendResult,
  BackendTask,
  BenchRequest,
  BenchResponse,
  ConvPeak,
  ModelFacts,
  ModelTask,
  ModelTiming,
  PipelineTask,
  PipelineWorkerResult,
} from './protocol';

declare const self: DedicatedWorkerGlobalScope;

const post = (m: BenchResponse): void => self.postMessage(m);
const log = (message: string): void => post({ type: 'log', message });
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Deterministic inputs in the range preprocessing produces (about -1..1), never denormal. */
function syntheticInputs(size: number): Float32Array {
  const x = new Float32Array(size);
  let state = 12345;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    x[i] = (state / 2 ** 32) * 2 - 1;
  }
  return x;
}

async function fetchBytes(base: string, file: string): Promise<Uint8Array> {
  const res = await fetch(new URL(file, base));
  if (!res.ok) throw new Error(`${new URL(file, base).pathname}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Why webgl did not start in this worker, as far as a probe can tell; or the renderer when it can. */
function probeWebgl(): { ok: boolean; detail: string } {
  if (typeof OffscreenCanvas === 'undefined')
    return { ok: false, detail: 'OffscreenCanvas is not available in workers' };
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
    if (!gl)
      return {
        ok: false,
        detail: 'no WebGL context could be created (GPU disabled or blocklisted, no software fallback)',
      };
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = info
      ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL))
      : String(gl.getParameter(gl.RENDERER));
    return { ok: true, detail: renderer };
  } catch (e) {
    return { ok: false, detail: `creating a WebGL context failed: ${messageOf(e)}` };
  }
}

/** The canvas the app runs a model's images at: its heart crop when the manifest has one, else its input shape. */
const appInputSize = (m: LoadedModel): number => m.manifest.heartCrop?.inputSize ?? m.manifest.inputShape[0];

function timeModel(model: LoadedModel, task: ModelTask, batch: number): ModelTiming {
  const n = task.inputSize ?? appInputSize(model);
  const inputs = syntheticInputs(batch * n * n * inputChannels(model));
  // One forward pass per call, no test-time augmentation: the model's own cost (TTA multiplies it by 8).
  for (let i = 0; i < task.warmup; i++) predictLogits(model, inputs, batch, false, n);
  const passMs: number[] = [];
  for (let r = 0; r < task.reps; r++) {
    const t0 = performance.now();
    predictLogits(model, inputs, batch, false, n);
    passMs.push(performance.now() - t0);
  }
  const medianPassMs = median(passMs);
  const msPerImage = medianPassMs / batch;
  return {
    key: task.key,
    inputSize: n,
    cropOverride: task.inputSize !== undefined,
    batch,
    warmup: task.warmup,
    reps: task.reps,
    passMs,
    medianPassMs,
    msPerImage,
    imagesPerS: 1000 / msPerImage,
  };
}

/** A 3x3 'same' convolution cin->cout on size x size, fused bias + relu (the kernel the models' convs use). */
function convPeak(size: number, cin: number, cout: number, reps: number): ConvPeak {
  const x = tf.randomUniform<tf.Rank.R4>([1, size, size, cin], -1, 1);
  const filter = tf.randomUniform<tf.Rank.R4>([3, 3, cin, cout], -0.1, 0.1);
  const bias = tf.zeros([cout]);
  const once = (): void => {
    const y = tf.fused.conv2d({ x, filter, strides: 1, pad: 'same', bias, activation: 'relu' });
    y.dataSync();
    y.dispose();
  };
  once();
  const ms: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    once();
    ms.push(performance.now() - t0);
  }
  tf.dispose([x, filter, bias]);
  const flops = 2 * 3 * 3 * cin * cout * size * size;
  const medianMs = median(ms);
  return {
    shape: `conv3x3 ${cin}->${cout} ${size}x${size} batch 1`,
    flops,
    reps,
    medianMs,
    gflopPerS: flops / medianMs / 1e6,
  };
}

async function run(task: BackendTask): Promise<BackendResult> {
  const t0 = performance.now();
  const backend = await initBackend(task.backend);
  const result: BackendResult = {
    config: task.config,
    requested: task.backend,
    backend,
    models: [],
    timings: [],
    peaks: [],
    totalMs: 0,
  };
  const webgl = task.backend.name === 'webgl' ? probeWebgl() : undefined;
  if (webgl?.ok) result.renderer = webgl.detail;
  if (backend.name !== task.backend.name) {
    result.unavailable = [
      backend.note ?? `${task.backend.name} did not start`,
      webgl && !webgl.ok ? webgl.detail : undefined,
    ]
      .filter(Boolean)
      .join('; ');
    result.totalMs = performance.now() - t0;
    return result;
  }
  const what =
    backend.name === 'wasm'
      ? `SIMD ${backend.simd}, ${backend.threads} thread(s)`
      : (webgl?.detail ?? 'plain JavaScript');
  log(`${task.config}: ${backend.name}, ${what}`);

  const peaks = [convPeak(96, 64, 64, task.peakReps), convPeak(48, 128, 128, task.peakReps)];
  result.peaks = peaks;
  result.peak = peaks.reduce((a, b) => (b.gflopPerS > a.gflopPerS ? b : a));
  for (const p of peaks)
    log(`${task.config}: ${p.shape}: ${p.medianMs.toFixed(1)} ms, ${p.gflopPerS.toFixed(2)} GFLOP/s`);

  for (const m of task.models) {
    const l0 = performance.now();
    const model = await loadModel((file) => fetchBytes(m.url, file));
    const loadMs = performance.now() - l0;
    try {
      const { manifest, graph } = model;
      const facts: ModelFacts = {
        key: m.key,
        inputShape: manifest.inputShape,
        parameters: countParameters(graph.json),
        flopsPerImage: graphFlops(graph.json, manifest.inputShape[0]),
        tta: manifest.tta,
        loadMs,
      };
      result.models.push(facts);
      for (const batch of m.batches) {
        const timing = timeModel(model, m, batch);
        result.timings.push(timing);
        log(
          `${task.config}: ${m.key} ${timing.inputSize}x${timing.inputSize} batch ${batch}: ${timing.msPerImage.toFixed(1)} ms/image (${timing.reps} reps)`,
        );
      }
    } finally {
      disposeModel(model);
    }
  }
  result.totalMs = performance.now() - t0;
  return result;
}

/** Waits until `parties` workers have arrived (Atomics on shared memory: workers may block, the page may not). */
function barrier(b: Int32Array, parties: number): void {
  Atomics.add(b, 0, 1);
  Atomics.notify(b, 0);
  for (let seen = Atomics.load(b, 0); seen < parties; seen = Atomics.load(b, 0)) Atomics.wait(b, 0, seen, 60_000);
}

/** The app worker's loop (src/segment/worker.ts step) on this worker's frames, by stage. */
async function pipeline(task: PipelineTask): Promise<PipelineWorkerResult> {
  const backend = await initBackend(task.backend);
  const model = await loadModel((file) => fetchBytes(task.model.url, file));
  try {
    const crop = task.cropPx ?? model.manifest.heartCrop?.inputSize ?? 0;
    // Warm-up at both canvases the series will use (the locator's and the crop's), as the app's load does for one.
    const b = task.volume.dims.slices;
    for (const n of new Set([model.manifest.inputShape[0], crop || model.manifest.inputShape[0]]))
      predictLogits(model, syntheticInputs(b * n * n * inputChannels(model)), b, false, n);
    barrier(task.barrier, task.parties);
    const startMs = performance.timeOrigin + performance.now();
    const t0 = performance.now();
    const { plan } = planSeries(model, task.volume, task.cropPx === undefined ? {} : { cropPx: task.cropPx });
    const planMs = performance.now() - t0;
    const stages = noStageTimes();
    for (const frame of task.frames) segmentFrame(model, task.volume, plan, frame, { profile: stages, batch: WORKER_IMAGES_PER_PASS });
    const endMs = performance.timeOrigin + performance.now();
    return {
      backend,
      frames: task.frames.length,
      images: task.frames.length * task.volume.dims.slices,
      inputSize: plan.cfg.inputSize,
      planMs,
      stages,
      startMs,
      endMs,
    };
  } finally {
    disposeModel(model);
  }
}

self.onmessage = (ev: MessageEvent<BenchRequest>): void => {
  const req = ev.data;
  if (req.type === 'pipeline') {
    pipeline(req.task).then(
      (result) => post({ type: 'pipeline-done', result }),
      (e: unknown) => post({ type: 'error', message: messageOf(e) }),
    );
    return;
  }
  run(req.task).then(
    (result) => post({ type: 'done', result }),
    (e: unknown) => post({ type: 'error', message: messageOf(e) }),
  );
};

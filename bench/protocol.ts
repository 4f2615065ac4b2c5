/**
 * The benchmark's messages between its page (bench/main.ts) and its worker (bench/worker.ts), and the figures
 * they carry. One worker per backend configuration: tfjs picks its backend once per worker.
 * Times are wall-clock milliseconds measured in the worker (performance.now()).
 */
import type { BackendInfo, BackendRequest } from '@/segment/protocol';

/** One model to time: where it is, which batch sizes, how many repetitions. */
export interface ModelTask {
  /** `id@version`. */
  key: string;
  /** Absolute URL of the model folder, ending in '/'. */
  url: string;
  /** Images per forward pass, e.g. [1, 12]. */
  batches: number[];
  warmup: number;
  reps: number;
}

/** One worker's work: a backend configuration, its models and its convolution peak. */
export interface BackendTask {
  /** Short name of the configuration, e.g. `wasm-simd-threads`. */
  config: string;
  backend: BackendRequest;
  models: ModelTask[];
  /** Repetitions of the plain-convolution peak measurement (after one warm-up). */
  peakReps: number;
}

export type BenchRequest = { type: 'run'; task: BackendTask };

export type BenchResponse =
  { type: 'log'; message: string } | { type: 'done'; result: BackendResult } | { type: 'error'; message: string };

/** One timed (model, batch) pair. `msPerImage` = median forward pass time / batch. */
export interface ModelTiming {
  key: string;
  batch: number;
  warmup: number;
  reps: number;
  /** Every repetition's forward pass (one batch), ms. */
  passMs: number[];
  medianPassMs: number;
  msPerImage: number;
  imagesPerS: number;
}

export interface ModelFacts {
  key: string;
  /** [n, n, 1] from the manifest. */
  inputShape: [number, number, number];
  parameters: number;
  /** 2 x multiply-adds of one forward pass (src/segment/graphFlops), one image. */
  flopsPerImage: number;
  /** The manifest's test-time augmentation flag (8 passes per image in the app when true). */
  tta: boolean;
  loadMs: number;
}

/** A plain 3x3 convolution's throughput on this backend: the ceiling the models are compared with. */
export interface ConvPeak {
  /** e.g. `conv3x3 64->64 96x96 batch 1`. */
  shape: string;
  flops: number;
  reps: number;
  medianMs: number;
  gflopPerS: number;
}

export interface BackendResult {
  config: string;
  requested: BackendRequest;
  /** What the worker got (initBackend's report). */
  backend: BackendInfo;
  /** webgl: the WebGL renderer the worker got (SwiftShader = software, on the CPU). */
  renderer?: string;
  /** Set when the backend did not start as asked: the figures are then absent. */
  unavailable?: string;
  models: ModelFacts[];
  timings: ModelTiming[];
  /** Best of the shapes tried. */
  peak?: ConvPeak;
  peaks: ConvPeak[];
  /** Whole-configuration wall time in the worker, ms. */
  totalMs: number;
}

/** What the benchmark page offers its driver (bench/run.ts) as `window.cinesegBench`. */
export interface BenchApi {
  /** The tasks for these options, from the models/index.json the page is served with. */
  plan: (o: { reps: number; quick: boolean }) => Promise<BackendTask[]>;
  /** Runs one task in a fresh worker, which is closed afterwards. */
  runTask: (task: BackendTask) => Promise<BackendResult>;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
}

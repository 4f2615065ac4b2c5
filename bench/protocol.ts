/**
 * The benchmark's messages between its page (bench/main.ts) and its worker (bench/worker.ts), and the figures
 * they carry. One worker per backend configuration: tfjs picks its backend once per worker.
 * Times are wall-clock milliseconds measured in the worker (performance.now()).
 */
import type { Volume } from '@/core/volume';
import type { StageTimes } from '@/segment/engine';
import type { BackendInfo, BackendRequest } from '@/segment/protocol';

/** One model to time: where it is, which batch sizes, how many repetitions. */
export interface ModelTask {
  /** `id@version`. */
  key: string;
  /** Absolute URL of the model folder, ending in '/'. */
  url: string;
  /** Images per forward pass, e.g. [1, 12]. */
  batches: number[];
  /** Canvas size n (n x n) to run at instead of the manifest's input size (`--crop`: a heart crop's size). */
  inputSize?: number;
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

/**
 * The engine alone on a whole series in one worker: the app worker's loop (planSeries once, then segmentFrame per
 * frame) without the page, timed by stage. Several such workers run at once for the threads comparison; `barrier`
 * (an Int32Array on shared memory) starts their timed part together.
 */
export interface PipelineTask {
  config: string;
  backend: BackendRequest;
  model: { key: string; url: string };
  /** The series, voxels in shared memory. */
  volume: Volume;
  frames: number[];
  /** engine planSeries' cropPx (undefined: the manifest's own). */
  cropPx?: number;
  barrier: Int32Array;
  parties: number;
}

export interface PipelineWorkerResult {
  backend: BackendInfo;
  frames: number;
  images: number;
  /** Canvas size the frames ran at (after planning). */
  inputSize: number;
  /** planSeries (the heart locator's first pass when the model crops). */
  planMs: number;
  stages: StageTimes;
  /** Epoch ms (performance.timeOrigin + now) of the timed part's start (after the barrier) and end. */
  startMs: number;
  endMs: number;
}

/** One pipeline configuration: its workers' figures and the wall time of the whole series. */
export interface PipelineResult {
  config: string;
  key: string;
  /** The override asked for (undefined: the manifest's crop, if any). */
  cropPx?: number;
  inputSize: number;
  workers: number;
  threadsPerWorker: number;
  images: number;
  /** First worker's start -> last worker's end: the series' wall time with the model loaded (the fastest run). */
  wallMs: number;
  /** Every run's wall time, in order (bench/run.ts fills it in). */
  runsMs?: number[];
  imagesPerS: number;
  /** Summed over workers (CPU-side time; with several workers these overlap in wall time). */
  planMs: number;
  stages: StageTimes;
  perWorker: PipelineWorkerResult[];
}

export type BenchRequest = { type: 'run'; task: BackendTask } | { type: 'pipeline'; task: PipelineTask };

export type BenchResponse =
  | { type: 'log'; message: string }
  | { type: 'done'; result: BackendResult }
  | { type: 'pipeline-done'; result: PipelineWorkerResult }
  | { type: 'error'; message: string };

/** One timed (model, batch) pair. `msPerImage` = median forward pass time / batch. */
export interface ModelTiming {
  key: string;
  /** Canvas size n of the pass (n x n). */
  inputSize: number;
  /** True when n is a `--crop` override, not the size the app runs the model at. */
  cropOverride: boolean;
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
  /**
   * The engine alone on the series at `volumeUrl` (bench/run.ts serves it): `workers` fresh workers, each on every
   * workers-th frame, started together after loading and warming up.
   */
  runPipeline: (spec: PipelineSpec) => Promise<PipelineResult>;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
}

export interface PipelineSpec {
  config: string;
  key: string;
  /** Absolute URL of the model folder. */
  url: string;
  workers: number;
  /** Threads of each worker's wasm backend (1 = the single-threaded build). */
  threadsPerWorker: number;
  cropPx?: number;
  /** URL of the series: `<volumeUrl>.json` (everything but the voxels) and `<volumeUrl>.f32` (the voxels). */
  volumeUrl: string;
}

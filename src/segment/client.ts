/**
 * The page's side of segmentation: a pool of workers (planWorkers), each spoken to in typed messages (./protocol),
 * promises for model loads and callbacks for the frames of a job. State is real here (workers, pending loads, running
 * jobs), hence classes: WorkerLane for one worker, SegmentationClient for the pool.
 */
import type { Volume } from '@/core/volume';
import type { ModelManifest } from './manifest';
import type { BackendInfo, BackendRequest, WorkerRequest, WorkerResponse } from './protocol';
import { forPosting } from './sharedPixels';

export interface ModelReady {
  modelKey: string;
  manifest: ModelManifest;
  backend: BackendInfo;
  loadMs: number;
  warmupMs: number;
}

export interface FrameResult {
  seriesKey: string;
  modelKey: string;
  frame: number;
  /** Labels [slice][row][col] of the frame. */
  labels: Uint8Array;
  ms: number;
}

export interface JobProgress {
  done: number;
  total: number;
  elapsedMs: number;
  finished: boolean;
  cancelled: boolean;
}

export interface JobHandlers {
  onResult: (r: FrameResult) => void;
  onProgress?: (p: JobProgress) => void;
  onError?: (message: string) => void;
}

/**
 * Developer override of the models' heart crop, `localStorage['cineseg.cropPx']` (e.g. `128`; `0` = the
 * image-centred canvas): the benchmark sets it to measure the crop alone (`npm run bench -- --crop 128`).
 */
export const CROP_OVERRIDE_KEY = 'cineseg.cropPx';

/** An integer developer override in localStorage within [min, max], or undefined (absent, invalid, no storage). */
function storedInteger(key: string, min: number, max: number): number | undefined {
  let value: string | null;
  try {
    value = globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return undefined;
  }
  const n = value === null ? NaN : Number(value);
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

const cropOverride = (): number | undefined => storedInteger(CROP_OVERRIDE_KEY, 0, Infinity);

/**
 * Performance mark per frame result (read by the benchmark, bench/e2e.ts): the worker's time by stage and the
 * message's time in transit (the worker's post to this handler, queueing on the main thread included).
 */
export const FRAME_RESULT_MARK = 'cineseg:frame-result';

/** Every result, also those of jobs replaced since (they are still valid labels of their series and model). */
export type ResultListener = (r: FrameResult) => void;

/**
 * One worker of the pool. When its WASM backend aborts (out of memory: an `error` with `backendLost`) or the worker
 * dies, the job's error is reported as usual, then the worker is replaced by a fresh one that is sent the models
 * loaded so far and the current series again, so the next job (another model, say) runs without a reload of the page.
 */
class WorkerLane {
  private worker!: Worker;
  private readonly loads = new Map<string, { resolve: (r: ModelReady) => void; reject: (e: Error) => void }[]>();
  private readonly jobs = new Map<number, JobHandlers>();
  /** What a replacement worker must be sent again: every model asked for, the latest series. */
  private readonly models = new Map<string, Extract<WorkerRequest, { type: 'load-model' }>>();
  private series: { seriesKey: string; volume: Volume } | undefined;
  private nextRequestId = 1;
  private disposed = false;
  /** Workers started after a lost backend (for the panel and tests). */
  restarts = 0;

  constructor(
    private readonly onAnyResult: ResultListener,
    private readonly createWorker: () => Worker,
  ) {
    this.start();
  }

  private start(): void {
    const worker = this.createWorker();
    this.worker = worker;
    worker.addEventListener('message', (e: MessageEvent<WorkerResponse>) => {
      if (this.worker === worker) this.onMessage(e.data);
    });
    worker.addEventListener('error', (e: ErrorEvent) => {
      if (this.worker !== worker) return;
      this.failAll(`the segmentation worker stopped unexpectedly (${e.message || 'unknown error'})`);
      this.replaceWorker();
    });
  }

  /** A fresh worker in place of one whose backend is lost; models and series are sent to it again. */
  private replaceWorker(): void {
    if (this.disposed) return;
    this.worker.terminate();
    this.restarts++;
    this.start();
    for (const m of this.models.values()) this.send(m);
    if (this.series) this.setVolume(this.series.seriesKey, this.series.volume);
  }

  /** Loads a model (or reuses it); resolves when it is warmed up. */
  loadModel(modelKey: string, modelUrl: string, backend?: BackendRequest): Promise<ModelReady> {
    return new Promise<ModelReady>((resolve, reject) => {
      const waiting = this.loads.get(modelKey) ?? [];
      waiting.push({ resolve, reject });
      this.loads.set(modelKey, waiting);
      const request: Extract<WorkerRequest, { type: 'load-model' }> = {
        type: 'load-model',
        modelKey,
        modelUrl,
        ...(backend ? { backend } : {}),
      };
      this.models.set(modelKey, request);
      this.send(request);
    });
  }

  /**
   * Sends the series to the worker; the worker keeps only the latest. Voxels in shared memory (the loader puts them
   * there when the page is cross-origin isolated) are shared, not copied: nothing on the main thread. Otherwise they
   * go as a transferred copy: one memcpy instead of a structured clone of the whole cine (several times slower).
   */
  setVolume(seriesKey: string, volume: Volume): void {
    this.series = { seriesKey, volume };
    const { data, transfer } = forPosting(volume.data);
    this.send({ type: 'set-volume', seriesKey, volume: { ...volume, data } }, transfer);
  }

  /** Starts segmenting `frames` in order; replaces the running job. Returns the job's id. */
  segment(seriesKey: string, modelKey: string, frames: number[], handlers: JobHandlers, cropPx: number | undefined): number {
    const requestId = this.nextRequestId++;
    this.jobs.clear();
    this.jobs.set(requestId, handlers);
    this.send({ type: 'segment', requestId, seriesKey, modelKey, frames, ...(cropPx === undefined ? {} : { cropPx }) });
    return requestId;
  }

  prioritise(requestId: number, frame: number): void {
    if (this.jobs.has(requestId)) this.send({ type: 'prioritise', requestId, frame });
  }

  cancel(requestId: number): void {
    if (this.jobs.has(requestId)) this.send({ type: 'cancel', requestId });
  }

  /** Cancels whatever this worker runs and forgets its handlers (a new job of the pool has no frames for it). */
  idle(): void {
    for (const requestId of this.jobs.keys()) this.send({ type: 'cancel', requestId });
    this.jobs.clear();
  }

  dispose(): void {
    this.disposed = true;
    this.worker.terminate();
    this.failAll('the segmentation worker was closed');
  }

  private send(m: WorkerRequest, transfer: Transferable[] = []): void {
    if (this.disposed) return;
    this.worker.postMessage(m, transfer);
  }

  private failAll(message: string): void {
    for (const waiting of this.loads.values()) waiting.forEach((w) => w.reject(new Error(message)));
    this.loads.clear();
    for (const h of this.jobs.values()) h.onError?.(message);
    this.jobs.clear();
  }

  private settle(modelKey: string, outcome: { ok: ModelReady } | { error: Error }): void {
    const waiting = this.loads.get(modelKey) ?? [];
    this.loads.delete(modelKey);
    for (const w of waiting) {
      if ('ok' in outcome) w.resolve(outcome.ok);
      else w.reject(outcome.error);
    }
  }

  private onMessage(m: WorkerResponse): void {
    switch (m.type) {
      case 'ready':
        this.settle(m.modelKey, { ok: m });
        break;
      case 'result': {
        const receivedAtMs = performance.timeOrigin + performance.now();
        performance.mark(FRAME_RESULT_MARK, {
          detail: { frame: m.frame, ms: m.ms, stages: m.stages, transitMs: receivedAtMs - m.postedAtMs },
        });
        const r: FrameResult = {
          seriesKey: m.seriesKey,
          modelKey: m.modelKey,
          frame: m.frame,
          labels: m.labels,
          ms: m.ms,
        };
        this.onAnyResult(r);
        this.jobs.get(m.requestId)?.onResult(r);
        break;
      }
      case 'progress': {
        const h = this.jobs.get(m.requestId);
        h?.onProgress?.({
          done: m.done,
          total: m.total,
          elapsedMs: m.elapsedMs,
          finished: m.finished,
          cancelled: m.cancelled,
        });
        if (m.finished) this.jobs.delete(m.requestId);
        break;
      }
      case 'error':
        if (m.modelKey !== undefined) {
          // A failed load is forgotten by the worker; a replacement worker must not retry it either.
          this.models.delete(m.modelKey);
          this.settle(m.modelKey, { error: new Error(m.message) });
        }
        if (m.requestId !== undefined) {
          this.jobs.get(m.requestId)?.onError?.(m.message);
          this.jobs.delete(m.requestId);
        }
        if (m.modelKey === undefined && m.requestId === undefined) this.failAll(m.message);
        if (m.backendLost) this.replaceWorker();
        break;
    }
  }
}

/**
 * Developer override of the number of segmentation workers, `localStorage['cineseg.workers']` (1-8): the benchmark
 * sets it to compare the pool with one threaded worker in the real app.
 */
export const WORKERS_OVERRIDE_KEY = 'cineseg.workers';

const workersOverride = (): number | undefined => storedInteger(WORKERS_OVERRIDE_KEY, 1, 8);

export interface WorkerPlan {
  workers: number;
  /** WASM threads per worker; 1 = the single-threaded SIMD build. */
  threadsPerWorker: number;
}

/**
 * How many workers, with how many threads each. Measured on a 2-core machine (bench/README.md, "engine alone", three
 * idle runs): one single-threaded worker per core finished a 240-image cine at 0.94-1.36x the speed of one worker
 * with 2 threads, equal within that machine's run-to-run noise. Two workers are kept because they also use both
 * cores where the page is not cross-origin isolated (no WASM threads) and run the stages around the forward pass
 * (resampling, labels, clean-up) side by side. So two workers split the frames; each takes half the cores as threads. No more than two: every worker holds its own copy of the model and its own WASM heap (the
 * teacher's passes may use 256 MiB each).
 */
export function planWorkers(cores: number, override?: number): WorkerPlan {
  const c = Math.max(1, Math.floor(cores) || 1);
  const workers = override ?? Math.min(2, c);
  return { workers, threadsPerWorker: Math.max(1, Math.min(8, Math.floor(c / workers))) };
}

interface PoolJob {
  handlers: JobHandlers;
  total: number;
  /** Per lane: its request id in that lane (undefined: no frames for it), its progress. */
  lanes: { requestId: number | undefined; frames: number[]; done: number; elapsedMs: number; finished: boolean; cancelled: boolean }[];
  failed: boolean;
}

/**
 * The page's side of segmentation: a pool of workers (planWorkers) behind one interface. A model is loaded in every
 * worker; the series is sent to every worker (shared memory: no copy); a job's frames are dealt out in turn (frame
 * i to worker i mod n, the frame on screen first), so the workers finish together whatever is prioritised; results
 * stream back per frame and progress is summed over the workers.
 */
export class SegmentationClient {
  private readonly lanes: WorkerLane[];
  private readonly plan: WorkerPlan;
  private readonly jobs = new Map<number, PoolJob>();
  private nextJobId = 1;

  constructor(
    onAnyResult: ResultListener = () => {},
    createWorker: (index: number) => Worker = (index) =>
      new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: `cineseg-segment-${index + 1}` }),
    plan: WorkerPlan = planWorkers(globalThis.navigator?.hardwareConcurrency ?? 1, workersOverride()),
  ) {
    this.plan = plan;
    this.lanes = Array.from({ length: plan.workers }, (_, i) => new WorkerLane(onAnyResult, () => createWorker(i)));
  }

  get workers(): number {
    return this.lanes.length;
  }

  /** Workers replaced after their backend was lost (out of memory) or they died, since the client started. */
  get restarts(): number {
    return this.lanes.reduce((a, l) => a + l.restarts, 0);
  }

  /**
   * Loads a model (or reuses it) in every worker; resolves when all are warmed up. `backend` defaults to WASM with
   * the plan's threads per worker.
   */
  async loadModel(modelKey: string, modelUrl: string, backend?: BackendRequest): Promise<ModelReady> {
    const request: BackendRequest = backend ?? {
      name: 'wasm',
      threads: this.plan.threadsPerWorker === 1 ? false : this.plan.threadsPerWorker,
    };
    const ready = await Promise.all(this.lanes.map((l) => l.loadModel(modelKey, modelUrl, request)));
    const first = ready[0]!;
    const note = ready.find((r) => r.backend.note)?.backend.note;
    return {
      ...first,
      loadMs: Math.max(...ready.map((r) => r.loadMs)),
      warmupMs: Math.max(...ready.map((r) => r.warmupMs)),
      backend: { ...first.backend, workers: this.lanes.length, ...(note === undefined ? {} : { note }) },
    };
  }

  setVolume(seriesKey: string, volume: Volume): void {
    for (const l of this.lanes) l.setVolume(seriesKey, volume);
  }

  /** Starts segmenting `frames` (in this order of priority); replaces the running job. Returns the job's id. */
  segment(seriesKey: string, modelKey: string, frames: number[], handlers: JobHandlers): number {
    const id = this.nextJobId++;
    this.jobs.clear();
    const n = this.lanes.length;
    const job: PoolJob = {
      handlers,
      total: frames.length,
      lanes: this.lanes.map((_, k) => ({
        requestId: undefined,
        frames: frames.filter((_, i) => i % n === k),
        done: 0,
        elapsedMs: 0,
        finished: false,
        cancelled: false,
      })),
      failed: false,
    };
    this.jobs.set(id, job);
    const cropPx = cropOverride();
    const report = (): void => {
      if (job.failed) return;
      const finished = job.lanes.every((l) => l.finished);
      handlers.onProgress?.({
        done: job.lanes.reduce((a, l) => a + l.done, 0),
        total: job.total,
        elapsedMs: Math.max(...job.lanes.map((l) => l.elapsedMs)),
        finished,
        cancelled: job.lanes.some((l) => l.cancelled),
      });
      if (finished && this.jobs.get(id) === job) this.jobs.delete(id);
    };
    job.lanes.forEach((state, k) => {
      const lane = this.lanes[k]!;
      if (state.frames.length === 0) {
        // Nothing for this worker, but a job it may still run is replaced.
        state.finished = true;
        lane.idle();
        return;
      }
      state.requestId = lane.segment(
        seriesKey,
        modelKey,
        state.frames,
        {
          onResult: (r) => {
            if (!job.failed) handlers.onResult(r);
          },
          onProgress: (p) => {
            state.done = p.done;
            state.elapsedMs = p.elapsedMs;
            state.finished = p.finished;
            state.cancelled = p.cancelled;
            report();
          },
          onError: (message) => {
            if (job.failed) return;
            job.failed = true;
            job.lanes.forEach((other, j) => {
              if (j !== k && other.requestId !== undefined) this.lanes[j]!.cancel(other.requestId);
            });
            if (this.jobs.get(id) === job) this.jobs.delete(id);
            handlers.onError?.(message);
          },
        },
        cropPx,
      );
    });
    if (job.lanes.every((l) => l.finished)) queueMicrotask(report);
    return id;
  }

  /** Segments `frame` next in the worker that has it. */
  prioritise(jobId: number, frame: number): void {
    const job = this.jobs.get(jobId);
    const lane = job?.lanes.findIndex((l) => l.frames.includes(frame)) ?? -1;
    if (job && lane >= 0 && job.lanes[lane]!.requestId !== undefined) this.lanes[lane]!.prioritise(job.lanes[lane]!.requestId, frame);
  }

  cancel(jobId: number): void {
    const job = this.jobs.get(jobId);
    if (!job) return;
    job.lanes.forEach((l, k) => {
      if (l.requestId !== undefined) this.lanes[k]!.cancel(l.requestId);
    });
  }

  dispose(): void {
    for (const l of this.lanes) l.dispose();
    this.jobs.clear();
  }
}

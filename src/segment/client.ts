/**
 * The page's side of the segmentation worker: one Worker, typed messages (./protocol), promises for model loads and
 * callbacks for the frames of a job. State is real here (a worker, pending loads, running jobs), hence a class.
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

function cropOverride(): number | undefined {
  let value: string | null;
  try {
    value = globalThis.localStorage?.getItem(CROP_OVERRIDE_KEY) ?? null;
  } catch {
    return undefined;
  }
  const n = value === null ? NaN : Number(value);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * Performance mark per frame result (read by the benchmark, bench/e2e.ts): the worker's time by stage and the
 * message's time in transit (the worker's post to this handler, queueing on the main thread included).
 */
export const FRAME_RESULT_MARK = 'cineseg:frame-result';

/** Every result, also those of jobs replaced since (they are still valid labels of their series and model). */
export type ResultListener = (r: FrameResult) => void;

export class SegmentationClient {
  private readonly worker: Worker;
  private readonly loads = new Map<string, { resolve: (r: ModelReady) => void; reject: (e: Error) => void }[]>();
  private readonly jobs = new Map<number, JobHandlers>();
  private nextRequestId = 1;
  private disposed = false;

  constructor(
    private readonly onAnyResult: ResultListener = () => {},
    createWorker: () => Worker = () =>
      new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'cineseg-segment' }),
  ) {
    this.worker = createWorker();
    this.worker.addEventListener('message', (e: MessageEvent<WorkerResponse>) => this.onMessage(e.data));
    this.worker.addEventListener('error', (e: ErrorEvent) => {
      this.failAll(`the segmentation worker stopped unexpectedly (${e.message || 'unknown error'})`);
    });
  }

  /** Loads a model (or reuses it); resolves when it is warmed up. */
  loadModel(modelKey: string, modelUrl: string, backend?: BackendRequest): Promise<ModelReady> {
    return new Promise<ModelReady>((resolve, reject) => {
      const waiting = this.loads.get(modelKey) ?? [];
      waiting.push({ resolve, reject });
      this.loads.set(modelKey, waiting);
      this.send({ type: 'load-model', modelKey, modelUrl, ...(backend ? { backend } : {}) });
    });
  }

  /**
   * Sends the series to the worker; the worker keeps only the latest. Voxels in shared memory (the loader puts them
   * there when the page is cross-origin isolated) are shared, not copied: nothing on the main thread. Otherwise they
   * go as a transferred copy: one memcpy instead of a structured clone of the whole cine (several times slower).
   */
  setVolume(seriesKey: string, volume: Volume): void {
    const { data, transfer } = forPosting(volume.data);
    this.send({ type: 'set-volume', seriesKey, volume: { ...volume, data } }, transfer);
  }

  /** Starts segmenting `frames` in order; replaces the running job. Returns the job's id. */
  segment(seriesKey: string, modelKey: string, frames: number[], handlers: JobHandlers): number {
    const requestId = this.nextRequestId++;
    this.jobs.clear();
    this.jobs.set(requestId, handlers);
    const cropPx = cropOverride();
    this.send({ type: 'segment', requestId, seriesKey, modelKey, frames, ...(cropPx === undefined ? {} : { cropPx }) });
    return requestId;
  }

  prioritise(requestId: number, frame: number): void {
    if (this.jobs.has(requestId)) this.send({ type: 'prioritise', requestId, frame });
  }

  cancel(requestId: number): void {
    if (this.jobs.has(requestId)) this.send({ type: 'cancel', requestId });
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
        if (m.modelKey !== undefined) this.settle(m.modelKey, { error: new Error(m.message) });
        if (m.requestId !== undefined) {
          this.jobs.get(m.requestId)?.onError?.(m.message);
          this.jobs.delete(m.requestId);
        }
        if (m.modelKey === undefined && m.requestId === undefined) this.failAll(m.message);
        break;
    }
  }
}

/**
 * The only messages between the page and the segmentation worker (src/segment/worker.ts).
 * In: load-model | set-volume | segment | prioritise | cancel. Out: ready | progress | result | error.
 * Every throw inside the worker becomes an `error`; label buffers are transferred, not copied.
 */
import type { Volume } from '@/core/volume';
import type { StageTimes } from './engine';
import type { ModelManifest } from './manifest';

export type BackendName = 'wasm' | 'webgl' | 'cpu';

/** What the page asks for; the worker falls back (wasm -> cpu) and reports what it got in BackendInfo. */
export interface BackendRequest {
  name: BackendName;
  /**
   * wasm only: true (default) = one thread per logical core when the page is cross-origin isolated; a number = that
   * many; false = the single-threaded SIMD build.
   */
  threads?: boolean | number;
}

/** What the worker actually runs on. */
export interface BackendInfo {
  name: string;
  simd: boolean;
  /** Threads XNNPACK uses per worker (1 = single-threaded). */
  threads: number;
  /** Segmentation workers sharing the frames (the page's pool, src/segment/client.ts); absent = one. */
  workers?: number;
  crossOriginIsolated: boolean;
  /** Why the backend runs on fewer threads or another backend than asked (shown to the user), if it does. */
  note?: string;
}

export type WorkerRequest =
  /**
   * Loads (or reuses) a model; the first one also initialises the backend. `modelKey` is `id@version`;
   * `modelUrl` is the absolute URL of the model folder, ending in '/'.
   */
  | { type: 'load-model'; modelKey: string; modelUrl: string; backend?: BackendRequest }
  /**
   * The series to segment; sent once per series (shared when its voxels are in shared memory, else a transferred
   * copy; the worker keeps only the latest).
   */
  | { type: 'set-volume'; seriesKey: string; volume: Volume }
  /**
   * Segments `frames` in this order (all slices of each) with a model loaded before; results stream back frame by
   * frame. A new `segment` replaces the running one.
   */
  | {
      type: 'segment';
      requestId: number;
      seriesKey: string;
      modelKey: string;
      frames: number[];
      /** Heart crop size overriding the manifest's (engine planSeries' cropPx; 0 = the image-centred canvas). */
      cropPx?: number;
    }
  /** Moves a frame to the front of the queue (the frame on screen). */
  | { type: 'prioritise'; requestId: number; frame: number }
  | { type: 'cancel'; requestId: number };

export type WorkerResponse =
  | { type: 'ready'; modelKey: string; manifest: ModelManifest; backend: BackendInfo; loadMs: number; warmupMs: number }
  /** After every frame and once at the end (`finished`: queue empty, or `cancelled`). */
  | {
      type: 'progress';
      requestId: number;
      done: number;
      total: number;
      elapsedMs: number;
      finished: boolean;
      cancelled: boolean;
    }
  /** Labels [slice][row][col] of one frame on the image grid (ACDC convention). */
  | {
      type: 'result';
      requestId: number;
      seriesKey: string;
      modelKey: string;
      frame: number;
      labels: Uint8Array;
      ms: number;
      /** Where the frame's time went; planMs: the series plan (heart locator) made before this frame, else 0. */
      stages: StageTimes & { planMs: number };
      /** performance.timeOrigin + performance.now() when posted (the page's clock is comparable: both epoch ms). */
      postedAtMs: number;
    }
  /**
   * `modelKey` when loading that model failed; `requestId` when that segment job failed. `backendLost`: the WASM
   * backend aborted (out of memory) and may be unusable; the page replaces the worker.
   */
  | { type: 'error'; requestId?: number; modelKey?: string; message: string; backendLost?: boolean };

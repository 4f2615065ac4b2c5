/// <reference lib="webworker" />
/**
 * The segmentation Web Worker: owns tfjs on the WASM backend (SIMD; threads when the page is cross-origin isolated)
 * and runs the one engine (./engine). Speaks only ./protocol: every throw becomes an `error` message.
 *
 * One job at a time: a queue of frames of the current series, segmented in order; `prioritise` moves a frame to the
 * front, `cancel` stops after the frame being computed, a new `segment` replaces the job. Frames are computed one
 * after another with a turn of the event loop between them, so those messages are seen within one frame's time.
 */
import type { SlicePlan } from '@/core/preprocess';
import type { Volume } from '@/core/volume';
import { initBackend } from './backend';
import {
  BackendMemoryError,
  inputChannels,
  loadModel,
  noStageTimes,
  planSeries,
  predictLogits,
  segmentFrame,
  WORKER_IMAGES_PER_PASS,
  type LoadedModel,
} from './engine';
import type { BackendInfo, BackendRequest, WorkerRequest, WorkerResponse } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

interface Job {
  requestId: number;
  seriesKey: string;
  modelKey: string;
  queue: number[];
  cropPx: number | undefined;
  total: number;
  done: number;
  t0: number;
  cancelled: boolean;
}

let backend: Promise<BackendInfo> | undefined;
const models = new Map<string, Promise<{ model: LoadedModel; loadMs: number; warmupMs: number }>>();
let volume: { key: string; value: Volume; plans: Map<string, SlicePlan> } | undefined;
let job: Job | undefined;
let pumping = false;

const post = (m: WorkerResponse, transfer: Transferable[] = []): void => self.postMessage(m, transfer);
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function fetchModelFile(base: URL, file: string): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(new URL(file, base));
  } catch (e) {
    throw new Error(`model file ${file} could not be downloaded (${messageOf(e)}); check the connection and reload`, {
      cause: e,
    });
  }
  if (!res.ok) throw new Error(`model file ${file} could not be loaded (HTTP ${res.status})`);
  return new Uint8Array(await res.arrayBuffer());
}

async function load(
  modelUrl: string,
  request: BackendRequest,
): Promise<{ model: LoadedModel; loadMs: number; warmupMs: number }> {
  const t0 = performance.now();
  backend ??= initBackend(request);
  await backend;
  const base = new URL(modelUrl);
  const model = await loadModel((file) => fetchModelFile(base, file));
  const loadMs = performance.now() - t0;
  // Warm-up: the first forward pass allocates the backend's buffers; pay for it before the user waits on a frame.
  const n = model.manifest.inputShape[0];
  const t1 = performance.now();
  predictLogits(model, new Float32Array(n * n * inputChannels(model)), 1, false);
  return { model, loadMs, warmupMs: performance.now() - t1 };
}

async function onLoadModel(msg: Extract<WorkerRequest, { type: 'load-model' }>): Promise<void> {
  let loading = models.get(msg.modelKey);
  if (!loading) {
    loading = load(msg.modelUrl, msg.backend ?? { name: 'wasm' });
    models.set(msg.modelKey, loading);
  }
  try {
    const { model, loadMs, warmupMs } = await loading;
    post({
      type: 'ready',
      modelKey: msg.modelKey,
      manifest: model.manifest,
      backend: await backend!,
      loadMs,
      warmupMs,
    });
  } catch (e) {
    // A failed load is forgotten, so a later attempt (after a reload of the files, say) starts afresh.
    if (models.get(msg.modelKey) === loading) models.delete(msg.modelKey);
    post({ type: 'error', modelKey: msg.modelKey, message: messageOf(e) });
  }
}

/** A macrotask boundary, so queued prioritise/cancel messages run before the next frame. */
const yieldToEvents = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

function finish(j: Job, cancelled: boolean): void {
  post({
    type: 'progress',
    requestId: j.requestId,
    done: j.done,
    total: j.total,
    elapsedMs: performance.now() - j.t0,
    finished: true,
    cancelled,
  });
  if (job === j) job = undefined;
}

async function step(j: Job): Promise<void> {
  const loading = models.get(j.modelKey);
  if (!loading) throw new Error(`model ${j.modelKey} was not loaded before segmenting`);
  const { model } = await loading;
  // The job may have been cancelled or replaced while its model was still loading.
  if (job !== j || j.cancelled) return;
  if (!volume || volume.key !== j.seriesKey) throw new Error('the series to segment is no longer loaded');
  const planKey = `${j.modelKey} crop ${j.cropPx ?? 'manifest'}`;
  let plan = volume.plans.get(planKey);
  let planMs = 0;
  if (!plan) {
    // Heart-centred models locate the heart once per series (a first pass on frame 0), then crop every frame.
    const tp = performance.now();
    plan = planSeries(model, volume.value, j.cropPx === undefined ? {} : { cropPx: j.cropPx }).plan;
    planMs = performance.now() - tp;
    volume.plans.set(planKey, plan);
  }
  const frame = j.queue.shift()!;
  const t0 = performance.now();
  const profile = noStageTimes();
  const labels = segmentFrame(model, volume.value, plan, frame, { profile, batch: WORKER_IMAGES_PER_PASS });
  j.done++;
  const ms = performance.now() - t0;
  post(
    {
      type: 'result',
      requestId: j.requestId,
      seriesKey: j.seriesKey,
      modelKey: j.modelKey,
      frame,
      labels,
      ms,
      stages: { ...profile, planMs },
      postedAtMs: performance.timeOrigin + performance.now(),
    },
    [labels.buffer],
  );
  post({
    type: 'progress',
    requestId: j.requestId,
    done: j.done,
    total: j.total,
    elapsedMs: performance.now() - j.t0,
    finished: false,
    cancelled: false,
  });
}

/** Runs the current job until its queue is empty, it is cancelled or replaced. One pump at a time. */
async function pump(): Promise<void> {
  if (pumping) return;
  pumping = true;
  try {
    while (job) {
      const j = job;
      if (j.cancelled || j.queue.length === 0) {
        finish(j, j.cancelled);
        continue;
      }
      try {
        await step(j);
      } catch (e) {
        post({
          type: 'error',
          requestId: j.requestId,
          message: messageOf(e),
          ...(e instanceof BackendMemoryError ? { backendLost: true } : {}),
        });
        if (job === j) job = undefined;
      }
      await yieldToEvents();
    }
  } finally {
    pumping = false;
  }
}

self.onmessage = (ev: MessageEvent<WorkerRequest>): void => {
  const msg = ev.data;
  try {
    switch (msg.type) {
      case 'load-model':
        void onLoadModel(msg);
        break;
      case 'set-volume':
        volume = { key: msg.seriesKey, value: msg.volume, plans: new Map() };
        break;
      case 'segment':
        if (!volume || volume.key !== msg.seriesKey)
          throw new Error(`series ${msg.seriesKey} was not sent to the worker`);
        job = {
          requestId: msg.requestId,
          seriesKey: msg.seriesKey,
          modelKey: msg.modelKey,
          queue: [...msg.frames],
          cropPx: msg.cropPx,
          total: msg.frames.length,
          done: 0,
          t0: performance.now(),
          cancelled: false,
        };
        void pump();
        break;
      case 'prioritise':
        if (job?.requestId === msg.requestId) {
          const i = job.queue.indexOf(msg.frame);
          if (i > 0) job.queue.unshift(...job.queue.splice(i, 1));
        }
        break;
      case 'cancel':
        if (job?.requestId === msg.requestId) job.cancelled = true;
        break;
    }
  } catch (e) {
    post({ type: 'error', ...('requestId' in msg ? { requestId: msg.requestId } : {}), message: messageOf(e) });
  }
};

/**
 * The benchmark page: runs each backend task (bench/plan.ts) in a fresh bench/worker.ts and returns its figures.
 * bench/run.ts calls `window.cinesegBench` through Playwright; the button runs the quick plan by hand.
 */
import { fetchModelIndex } from '@/segment/modelIndex';
import { benchPlan, DEFAULT_REPS } from './plan';
import type { Volume } from '@/core/volume';
import type {
  BackendResult,
  BackendTask,
  BenchApi,
  BenchRequest,
  BenchResponse,
  PipelineResult,
  PipelineSpec,
  PipelineWorkerResult,
} from './protocol';

const modelsUrl = new URL('../models/', document.baseURI).href;
const logEl = document.getElementById('log');

function log(line: string): void {
  console.log(`[bench] ${line}`);
  if (logEl) logEl.textContent += `${line}\n`;
}

function runTask(task: BackendTask): Promise<BackendResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), {
      type: 'module',
      name: `cineseg-bench-${task.config}`,
    });
    worker.addEventListener('message', (e: MessageEvent<BenchResponse>) => {
      const m = e.data;
      if (m.type === 'log') return log(m.message);
      worker.terminate();
      if (m.type === 'done') resolve(m.result);
      else reject(new Error(`${task.config}: ${m.type === 'error' ? m.message : 'unexpected reply'}`));
    });
    worker.addEventListener('error', (e: ErrorEvent) => {
      worker.terminate();
      reject(new Error(`${task.config}: the benchmark worker stopped (${e.message || 'unknown error'})`));
    });
    const request: BenchRequest = { type: 'run', task };
    worker.postMessage(request);
  });
}

function newWorker(name: string): Worker {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name });
}

/** The series the driver serves, its voxels in shared memory (as the app's loader leaves them). */
async function fetchVolume(url: string): Promise<Volume> {
  const meta = (await (await fetch(`${url}.json`)).json()) as Omit<Volume, 'data'>;
  const bytes = await (await fetch(`${url}.f32`)).arrayBuffer();
  const data = new Float32Array(new SharedArrayBuffer(bytes.byteLength));
  data.set(new Float32Array(bytes));
  return { ...meta, data };
}

let volumeCache: { url: string; volume: Promise<Volume> } | undefined;

async function runPipeline(spec: PipelineSpec): Promise<PipelineResult> {
  if (volumeCache?.url !== spec.volumeUrl) volumeCache = { url: spec.volumeUrl, volume: fetchVolume(spec.volumeUrl) };
  const volume = await volumeCache.volume;
  const barrier = new Int32Array(new SharedArrayBuffer(4));
  const all = Array.from({ length: volume.dims.frames }, (_, f) => f);
  const runs = Array.from({ length: spec.workers }, (_, w) => {
    const worker = newWorker(`cineseg-bench-pipeline-${w}`);
    return new Promise<PipelineWorkerResult>((resolve, reject) => {
      worker.addEventListener('message', (e: MessageEvent<BenchResponse>) => {
        const m = e.data;
        if (m.type === 'log') return log(m.message);
        worker.terminate();
        if (m.type === 'pipeline-done') resolve(m.result);
        else reject(new Error(`${spec.config}: ${m.type === 'error' ? m.message : 'unexpected reply'}`));
      });
      worker.addEventListener('error', (e: ErrorEvent) => {
        worker.terminate();
        reject(new Error(`${spec.config}: the benchmark worker stopped (${e.message || 'unknown error'})`));
      });
      const request: BenchRequest = {
        type: 'pipeline',
        task: {
          config: spec.config,
          backend: { name: 'wasm', threads: spec.threadsPerWorker > 1 ? spec.threadsPerWorker : false },
          model: { key: spec.key, url: spec.url },
          volume,
          // Interleaved, as a shared queue would hand them out.
          frames: all.filter((f) => f % spec.workers === w),
          ...(spec.cropPx === undefined ? {} : { cropPx: spec.cropPx }),
          barrier,
          parties: spec.workers,
        },
      };
      worker.postMessage(request);
    });
  });
  const perWorker = await Promise.all(runs);
  const wallMs = Math.max(...perWorker.map((r) => r.endMs)) - Math.min(...perWorker.map((r) => r.startMs));
  const images = perWorker.reduce((a, r) => a + r.images, 0);
  // The page does not import the engine (tfjs stays in the workers): the engine's StageTimes, summed.
  const stages = { prepareMs: 0, forwardMs: 0, toLabelsMs: 0, postprocessMs: 0 };
  for (const r of perWorker) for (const k of Object.keys(stages) as (keyof typeof stages)[]) stages[k] += r.stages[k];
  return {
    config: spec.config,
    key: spec.key,
    ...(spec.cropPx === undefined ? {} : { cropPx: spec.cropPx }),
    inputSize: perWorker[0]?.inputSize ?? 0,
    workers: spec.workers,
    threadsPerWorker: perWorker[0]?.backend.threads ?? 0,
    images,
    wallMs,
    imagesPerS: (1000 * images) / wallMs,
    planMs: perWorker.reduce((a, r) => a + r.planMs, 0),
    stages,
    perWorker,
  };
}

const api: BenchApi = {
  plan: async (o) => benchPlan(await fetchModelIndex(modelsUrl), modelsUrl, o),
  runTask,
  runPipeline,
  crossOriginIsolated: globalThis.crossOriginIsolated === true,
  hardwareConcurrency: navigator.hardwareConcurrency,
};
(window as unknown as { cinesegBench: BenchApi }).cinesegBench = api;

const env = document.getElementById('env');
if (env) {
  env.textContent = `${api.hardwareConcurrency} logical cores; ${
    api.crossOriginIsolated
      ? 'cross-origin isolated (threaded WASM available)'
      : 'NOT cross-origin isolated: one thread only'
  }`;
}

document.getElementById('run')?.addEventListener('click', () => {
  void (async () => {
    try {
      for (const task of await api.plan({ reps: DEFAULT_REPS.quick, quick: true })) {
        const r = await runTask(task);
        log(JSON.stringify(r, null, 1));
      }
    } catch (e) {
      log(`error: ${e instanceof Error ? e.message : String(e)}`);
    }
  })();
});

/**
 * The benchmark page: runs each backend task (bench/plan.ts) in a fresh bench/worker.ts and returns its figures.
 * bench/run.ts calls `window.cinesegBench` through Playwright; the button runs the quick plan by hand.
 */
import { fetchModelIndex } from '@/segment/modelIndex';
import { benchPlan, DEFAULT_REPS } from './plan';
import type { BackendResult, BackendTask, BenchApi, BenchRequest, BenchResponse } from './protocol';

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
      else reject(new Error(`${task.config}: ${m.message}`));
    });
    worker.addEventListener('error', (e: ErrorEvent) => {
      worker.terminate();
      reject(new Error(`${task.config}: the benchmark worker stopped (${e.message || 'unknown error'})`));
    });
    const request: BenchRequest = { type: 'run', task };
    worker.postMessage(request);
  });
}

const api: BenchApi = {
  plan: async (o) => benchPlan(await fetchModelIndex(modelsUrl), modelsUrl, o),
  runTask,
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

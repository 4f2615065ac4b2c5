/**
 * tfjs backend set-up for the browser worker entry points (the app's segmentation worker and the benchmark's
 * worker): WASM with SIMD, multi-threaded when the page is cross-origin isolated, else one thread; cpu on request.
 * The benchmark's worker also registers webgl (imports @tensorflow/tfjs-backend-webgl) before asking for it; the app
 * does not ship it. Import this only from a worker entry point: importing it registers the wasm and cpu backends.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendInfo, BackendRequest } from './protocol';

/** Reads a wasm flag without letting a failed feature probe stop the app. */
async function flag(name: string): Promise<boolean> {
  try {
    return Boolean(await tf.env().getAsync(name));
  } catch {
    return false;
  }
}

/**
 * tfjs-backend-wasm sizes XNNPACK's pool as min(requested, hardwareConcurrency / 2, 8): it assumes two hyper-threads
 * per core. A 2-core laptop would get one thread. While the worker segments it is the only busy thread of the page,
 * so it should use every logical core: the Emscripten glue reads `navigator.hardwareConcurrency` once, when the
 * module starts, and this makes it see twice the cores for that moment.
 */
async function withCoresVisibleToTfjs<T>(threads: number, init: () => Promise<T>): Promise<T> {
  const nav = globalThis.navigator as Navigator | undefined;
  if (!nav) return init();
  Object.defineProperty(nav, 'hardwareConcurrency', { configurable: true, get: () => 2 * threads });
  try {
    return await init();
  } finally {
    delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

/**
 * Initialises tfjs once per worker. `threads`: true (default) = one per logical core (at most 8) when the page is
 * cross-origin isolated; a number asks for that many; false = the single-threaded SIMD build.
 */
export async function initBackend(request: BackendRequest): Promise<BackendInfo> {
  const isolated = globalThis.crossOriginIsolated === true;
  const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
  const wanted = request.threads === false ? 1 : typeof request.threads === 'number' ? request.threads : cores;
  const threads = Math.max(1, Math.min(8, Math.round(wanted)));
  let note: string | undefined;
  if (request.name === 'wasm') {
    setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmUrl,
      'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
    });
    if (request.threads === false) {
      // Must be set before the backend initialises: tfjs then loads the single-threaded SIMD build.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    } else if (!isolated) {
      note = 'the page is not cross-origin isolated (COOP/COEP headers missing), so the model runs on one thread';
    }
    setThreadsCount(threads);
  }
  const ok = await withCoresVisibleToTfjs(threads, () => tf.setBackend(request.name).catch(() => false));
  if (!ok) {
    note = `the ${request.name} backend could not start here, so the slow cpu backend is used`;
    await tf.setBackend('cpu');
  }
  await tf.ready();
  const name = tf.getBackend();
  const simd = name === 'wasm' && (await flag('WASM_HAS_SIMD_SUPPORT'));
  const multi = name === 'wasm' && (await flag('WASM_HAS_MULTITHREAD_SUPPORT'));
  return {
    name,
    simd,
    threads: multi ? getThreadsCount() : 1,
    crossOriginIsolated: isolated,
    ...(note === undefined ? {} : { note }),
  };
}

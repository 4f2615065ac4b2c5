/**
 * tfjs backends for the batch CLI in Node, registered only when the CLI starts (never by a library module):
 * tfjs-node (native TensorFlow, fastest) when it is installed and loads, else the WASM backend (the browser's,
 * reading its .wasm from node_modules), else the pure-JS cpu backend.
 */
import * as tf from '@tensorflow/tfjs-core';

export type NodeBackendName = 'auto' | 'node' | 'wasm' | 'cpu';

async function tryNode(): Promise<boolean> {
  // tfjs-node's native library logs its CPU features at load; keep stderr for our own progress.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  try {
    await import('@tensorflow/tfjs-node');
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

async function tryCpu(): Promise<boolean> {
  await import('@tensorflow/tfjs-backend-cpu');
  return tf.setBackend('cpu');
}

/**
 * Sets up `wanted` (or the fastest that works for 'auto') and returns the backend's name.
 * @throws Error when an explicitly requested backend cannot start.
 */
export async function initNodeBackend(wanted: NodeBackendName = 'auto'): Promise<string> {
  const order: (() => Promise<boolean>)[] =
    wanted === 'node'
      ? [tryNode]
      : wanted === 'wasm'
        ? [tryWasm]
        : wanted === 'cpu'
          ? [tryCpu]
          : [tryNode, tryWasm, tryCpu];
  for (const attempt of order) {
    if (await attempt()) {
      await tf.ready();
      return tf.getBackend();
    }
  }
  throw new Error(`the tfjs backend "${wanted}" could not start here (try --backend wasm or --backend cpu)`);
}

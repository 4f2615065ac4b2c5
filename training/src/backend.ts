/**
 * Backend registration for training entry points only (core modules never import a backend).
 * Prefers @tensorflow/tfjs-node (native TensorFlow); falls back to the pure-JS cpu backend so that
 * smoke tests and CI run without the native build.
 */
import * as tf from '@tensorflow/tfjs';

export async function initTrainingBackend(prefer: 'tensorflow' | 'cpu' = 'tensorflow'): Promise<string> {
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  // TensorFlow turns its oneDNN kernels on by default only on CPUs with AVX-512 VNNI / AMX. On this AVX2 machine
  // (AMD EPYC) they were off, and turning them on made a training step 1.5-1.6x faster (bench/train-onednn.json).
  // TensorFlow reads the variable when the library initialises, so it is set before tfjs-node is imported;
  // TF_ENABLE_ONEDNN_OPTS=0 in the environment still turns them off.
  process.env.TF_ENABLE_ONEDNN_OPTS ??= '1';
  if (prefer === 'tensorflow') {
    try {
      await import('@tensorflow/tfjs-node');
      await tf.setBackend('tensorflow');
      await tf.ready();
      return tf.getBackend();
    } catch (e) {
      console.error(`[backend] tfjs-node unavailable (${(e as Error).message.split('\n')[0]}); using cpu. Run \`npm run setup\` in training/.`);
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return tf.getBackend();
}

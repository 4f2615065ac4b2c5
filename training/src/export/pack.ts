/** Packs folded weights into model.json + weights.bin bytes (float32 or float16). */
import { float32ToFloat16, type GraphJson } from '../../../src/segment/graph';
import type { FoldedGraph } from './foldGraph';

export function packWeights(g: FoldedGraph, dtype: 'float32' | 'float16'): { json: GraphJson; bytes: Uint8Array } {
  const parts: Uint8Array[] = g.weights.map((w) =>
    dtype === 'float16' ? new Uint8Array(float32ToFloat16(w.values).buffer) : new Uint8Array(w.values.slice().buffer),
  );
  const total = parts.reduce((a, p) => a + p.byteLength, 0);
  const bytes = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    bytes.set(p, o);
    o += p.byteLength;
  }
  return { json: { ...g.json, weights: g.weights.map((w) => ({ name: w.name, shape: w.shape, dtype })) }, bytes };
}

import type { BackendInfo } from '@/segment/protocol';

/** One line for the status bar: "WASM · SIMD · 2 workers × 1 thread · cross-origin isolated". */
export function describeBackend(b: BackendInfo): string {
  const parts = [b.name === 'wasm' ? 'WASM' : b.name];
  if (b.name === 'wasm') parts.push(b.simd ? 'SIMD' : 'no SIMD');
  const threads = b.threads === 1 ? '1 thread' : `${b.threads} threads`;
  const workers = b.workers ?? 1;
  parts.push(workers > 1 ? `${workers} workers × ${threads}` : threads);
  parts.push(b.crossOriginIsolated ? 'cross-origin isolated' : 'not cross-origin isolated');
  return parts.join(' · ');
}

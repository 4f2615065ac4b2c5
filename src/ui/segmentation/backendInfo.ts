import type { BackendInfo } from '@/segment/protocol';

/** One line for the status bar: "WASM · SIMD · 2 threads · cross-origin isolated". */
export function describeBackend(b: BackendInfo): string {
  const parts = [b.name === 'wasm' ? 'WASM' : b.name];
  if (b.name === 'wasm') parts.push(b.simd ? 'SIMD' : 'no SIMD');
  parts.push(b.threads === 1 ? '1 thread' : `${b.threads} threads`);
  parts.push(b.crossOriginIsolated ? 'cross-origin isolated' : 'not cross-origin isolated');
  return parts.join(' · ');
}

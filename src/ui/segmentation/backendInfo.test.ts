import { describe, expect, it } from 'vitest';
import { describeBackend } from './backendInfo';

describe('describeBackend', () => {
  it('names backend, SIMD, threads and isolation', () => {
    expect(describeBackend({ name: 'wasm', simd: true, threads: 2, crossOriginIsolated: true })).toBe(
      'WASM · SIMD · 2 threads · cross-origin isolated',
    );
    expect(describeBackend({ name: 'cpu', simd: false, threads: 1, crossOriginIsolated: false })).toBe(
      'cpu · 1 thread · not cross-origin isolated',
    );
  });

  it('names the workers of the pool and the threads of each', () => {
    expect(describeBackend({ name: 'wasm', simd: true, threads: 1, workers: 2, crossOriginIsolated: true })).toBe(
      'WASM · SIMD · 2 workers × 1 thread · cross-origin isolated',
    );
    expect(describeBackend({ name: 'wasm', simd: true, threads: 4, workers: 1, crossOriginIsolated: true })).toBe(
      'WASM · SIMD · 4 threads · cross-origin isolated',
    );
  });
});

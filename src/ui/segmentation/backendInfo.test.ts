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
});

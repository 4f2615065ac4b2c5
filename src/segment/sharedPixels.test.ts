import { describe, expect, it } from 'vitest';
import { forPosting, isShared, shareable, sharingAllowed } from './sharedPixels';

describe('shared voxels', () => {
  const data = new Float32Array([0, 1.5, -2, 1e6, 3.25]);

  it('copies into a SharedArrayBuffer when sharing is allowed, values intact', () => {
    const shared = shareable(data, true);
    expect(isShared(shared)).toBe(true);
    expect(isShared(data)).toBe(false);
    expect(shared).not.toBe(data);
    expect(Array.from(shared)).toEqual([0, 1.5, -2, 1e6, 3.25]);
  });

  it('returns shared memory as it is, and plain memory as it is when sharing is not allowed', () => {
    const shared = shareable(data, true);
    expect(shareable(shared, true)).toBe(shared);
    expect(shareable(data, false)).toBe(data);
  });

  it('posts shared memory without a copy or a transfer, plain memory as a transferred copy', () => {
    const shared = shareable(data, true);
    const s = forPosting(shared);
    expect(s.data).toBe(shared);
    expect(s.transfer).toEqual([]);

    const p = forPosting(data);
    expect(p.data).not.toBe(data);
    expect(p.transfer).toEqual([p.data.buffer]);
    expect(Array.from(p.data)).toEqual(Array.from(data));
  });

  it('is not allowed in a page or process that is not cross-origin isolated (Node has no crossOriginIsolated)', () => {
    expect(sharingAllowed()).toBe(false);
  });
});

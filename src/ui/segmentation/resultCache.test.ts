import { describe, expect, it } from 'vitest';
import { cacheKey, emptyEntry, framesToSegment, isComplete, ResultCache, storeFrame } from './resultCache';

const dims = { cols: 3, rows: 2, slices: 2, frames: 4 };

describe('result cache', () => {
  it('stores frames once, at their place, and knows when the series is complete', () => {
    const e = emptyEntry(7, 'student@1.0.0', dims);
    expect(e.key).toBe(cacheKey(7, 'student@1.0.0'));
    const frame2 = new Uint8Array(12).fill(3);
    expect(storeFrame(e, 2, frame2)).toBe(true);
    expect(storeFrame(e, 2, frame2)).toBe(false);
    expect(storeFrame(e, 1, new Uint8Array(5))).toBe(false);
    expect(storeFrame(e, 4, frame2)).toBe(false);
    expect([...e.labels.subarray(24, 36)]).toEqual(Array(12).fill(3));
    expect(e.labels.subarray(0, 24).every((v) => v === 0)).toBe(true);
    expect(e.readyCount).toBe(1);
    for (const f of [0, 1, 3]) storeFrame(e, f, new Uint8Array(12));
    expect(isComplete(e)).toBe(true);
  });

  it('orders the remaining frames from the one on screen, wrapping', () => {
    const e = emptyEntry(1, 'm@1', dims);
    expect(framesToSegment(e, 2)).toEqual([2, 3, 0, 1]);
    storeFrame(e, 3, new Uint8Array(12));
    expect(framesToSegment(e, 2)).toEqual([2, 0, 1]);
    expect(framesToSegment(e, 9)).toEqual([0, 1, 2]);
  });

  it('keeps the most recently used entries only', () => {
    const cache = new ResultCache(2);
    const a = cache.getOrCreate(1, 'a@1', dims);
    cache.getOrCreate(1, 'b@1', dims);
    expect(cache.getOrCreate(1, 'a@1', dims)).toBe(a);
    cache.getOrCreate(2, 'a@1', dims);
    expect(cache.peek(cacheKey(1, 'b@1'))).toBeUndefined();
    expect(cache.peek(cacheKey(1, 'a@1'))).toBe(a);
  });
});

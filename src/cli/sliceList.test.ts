import { describe, expect, it } from 'vitest';
import { parseFrameNumber, parseSliceList } from './sliceList';

describe('parseSliceList', () => {
  it('reads 1-based numbers and ranges', () => {
    expect(parseSliceList('2-4', 5)).toEqual([false, true, true, true, false]);
    expect(parseSliceList('1, 3-3,5', 5)).toEqual([true, false, true, false, true]);
  });
  it('rejects text and out-of-range slices', () => {
    expect(() => parseSliceList('basal', 5)).toThrow(/not a slice list/);
    expect(() => parseSliceList('0-3', 5)).toThrow(/outside 1-5/);
    expect(() => parseSliceList('4-6', 5)).toThrow(/outside 1-5/);
  });
});

describe('parseFrameNumber', () => {
  it('turns a 1-based frame number into an index', () => {
    expect(parseFrameNumber('20', 20, 'ED frame')).toBe(19);
    expect(() => parseFrameNumber('21', 20, 'ED frame')).toThrow(/ED frame 21 is not a frame number in 1-20/);
    expect(() => parseFrameNumber('1.5', 20, 'ES frame')).toThrow(/ES frame/);
  });
});

import { describe, expect, it } from 'vitest';
import { formatMeasure, slicePositionsMm } from './format';

describe('formatMeasure', () => {
  it('writes the number with fixed decimals and its unit, a dash when unknown', () => {
    expect(formatMeasure(61.234, 1, '%')).toBe('61.2 %');
    expect(formatMeasure(-0.01, 1, 'ml')).toBe('0.0 ml');
    expect(formatMeasure(undefined, 1, 'ml')).toBe('—');
    expect(formatMeasure(Number.NaN, 1, 'g')).toBe('—');
  });
});

describe('slicePositionsMm', () => {
  it('projects each slice origin on the unit slice normal', () => {
    expect(slicePositionsMm([2, 0, 0, -127, 0, 2, 0, -127, 0, 0, 8, -36, 0, 0, 0, 1], 3)).toEqual([-36, -28, -20]);
    // Oblique: normal along (0, 0.6, 0.8) × 10 mm, origin (5, 10, 20): position = 0.6·10 + 0.8·20 = 22.
    const p = slicePositionsMm([1, 0, 0, 5, 0, 1, 6, 10, 0, 0, 8, 20, 0, 0, 0, 1], 2);
    expect(p[0]).toBeCloseTo(22, 12);
    expect(p[1]).toBeCloseTo(32, 12);
  });
});

import { describe, expect, it } from 'vitest';
import { findBaseApex } from './baseApex';

describe('findBaseApex', () => {
  it('puts the base at the end with more LV, whichever way the stack runs', () => {
    expect(findBaseApex([0, 900, 800, 600, 300, 100, 0])).toEqual({ base: 1, apex: 5 }); // ACDC: base first
    expect(findBaseApex([100, 300, 600, 800, 900])).toEqual({ base: 4, apex: 0 }); // Sunnybrook: apex first
  });

  it('marks nothing when it cannot tell', () => {
    expect(findBaseApex([0, 500, 500, 0])).toBeUndefined(); // two slices
    expect(findBaseApex([500, 400, 520])).toBeUndefined(); // alike ends
    expect(findBaseApex([])).toBeUndefined();
  });
});

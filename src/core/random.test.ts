import { describe, expect, it } from 'vitest';
import { gaussian, mulberry32 } from './random';

describe('random', () => {
  it('mulberry32 is deterministic, seed-dependent and uniform on [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(mulberry32(43)()).not.toBe(first[0]);
    const r = mulberry32(1);
    const xs = Array.from({ length: 100_000 }, () => r());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 2);
  });

  it('gaussian has mean 0 and variance 1', () => {
    const g = gaussian(mulberry32(7));
    const xs = Array.from({ length: 100_000 }, () => g());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(mean).toBeCloseTo(0, 1);
    expect(variance).toBeCloseTo(1, 1);
  });
});

import { describe, expect, it } from 'vitest';
import { meanBy, pairedSignFlip } from './paired';

describe('paired sign-flip test', () => {
  it('gives the exact p-value: 5 positive differences of equal size -> 2 of 32 patterns as extreme', () => {
    const r = pairedSignFlip([0.1, 0.1, 0.1, 0.1, 0.1]);
    expect(r.p).toBeCloseTo(2 / 32, 12);
    expect(r).toMatchObject({ n: 5, wins: 5, losses: 0 });
    expect(r.meanDiff).toBeCloseTo(0.1, 12);
  });

  it('finds no evidence where differences cancel, and counts wins and losses', () => {
    const r = pairedSignFlip([0.2, -0.2, 0.05, -0.05]);
    expect(r.p).toBe(1);
    expect(r).toMatchObject({ wins: 2, losses: 2, meanDiff: 0 });
  });

  it('one large loss among small wins is not significant; consistent wins are', () => {
    const mixed = pairedSignFlip([0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, -0.3]);
    expect(mixed.p).toBeGreaterThan(0.5);
    const consistent = pairedSignFlip(Array.from({ length: 15 }, (_, i) => 0.005 + 0.001 * i));
    expect(consistent.p).toBeCloseTo(2 / 2 ** 15, 12);
  });

  it('refuses empty or too many pairs', () => {
    expect(() => pairedSignFlip([])).toThrow(/no pairs/);
    expect(() => pairedSignFlip(new Array<number>(25).fill(0.1))).toThrow(/too many/);
  });

  it('averages per key', () => {
    const m = meanBy([{ k: 'a', v: 1 }, { k: 'b', v: 4 }, { k: 'a', v: 3 }], (r) => r.k, (r) => r.v);
    expect([...m]).toEqual([['a', 2], ['b', 4]]);
  });
});

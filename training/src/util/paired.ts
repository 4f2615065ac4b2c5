/**
 * Paired comparison of two models on the same held-out patients: per-patient differences, how many each model
 * wins, and the exact two-sided sign-flip (permutation) test of "the mean difference is 0". Patients, not
 * volumes, are the unit: a patient's ED and ES volumes are not independent.
 */

export interface PairedResult {
  n: number;
  meanDiff: number;
  wins: number;
  losses: number;
  /** Exact two-sided p-value of the sign-flip test (all 2^n sign patterns; n <= 24). */
  p: number;
}

export function pairedSignFlip(diffs: number[]): PairedResult {
  const n = diffs.length;
  if (n === 0) throw new Error('pairedSignFlip: no pairs');
  if (n > 24) throw new Error(`pairedSignFlip: ${n} pairs is too many for the exact test (at most 24)`);
  const observed = Math.abs(diffs.reduce((a, b) => a + b, 0));
  let atLeast = 0;
  const total = 2 ** n;
  for (let mask = 0; mask < total; mask++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += mask & (1 << i) ? -diffs[i]! : diffs[i]!;
    // A relative tolerance counts patterns whose sum equals the observed one up to rounding.
    if (Math.abs(s) >= observed - 1e-12 * (1 + observed)) atLeast++;
  }
  return {
    n,
    meanDiff: diffs.reduce((a, b) => a + b, 0) / n,
    wins: diffs.filter((d) => d > 0).length,
    losses: diffs.filter((d) => d < 0).length,
    p: atLeast / total,
  };
}

/** Mean of `value(row)` per key (e.g. patient), in first-seen order of the keys. */
export function meanBy<T>(rows: T[], key: (r: T) => string, value: (r: T) => number): Map<string, number> {
  const acc = new Map<string, { s: number; c: number }>();
  for (const r of rows) {
    const k = key(r);
    const a = acc.get(k) ?? { s: 0, c: 0 };
    a.s += value(r);
    a.c++;
    acc.set(k, a);
  }
  return new Map([...acc].map(([k, a]) => [k, a.s / a.c]));
}

/** Training's conveniences over the core's seeded generator (src/core/random), so every seed means one thing. */
import { gaussian, mulberry32 } from '../../../src/core/random';

export interface Rng {
  next(): number;
  uniform(lo: number, hi: number): number;
  int(n: number): number;
  normal(): number;
}

export function makeRng(seed: number): Rng {
  const next = mulberry32(seed);
  const normal = gaussian(next);
  return { next, uniform: (lo, hi) => lo + (hi - lo) * next(), int: (n) => Math.floor(next() * n), normal };
}

export function shuffle<T>(items: T[], rng: Rng): T[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/**
 * Training time that a pause does not count: a time-budgeted run's schedule (and the minutes in its checkpoint and
 * manifest) advance with the time the run actually worked. A gap between two ticks longer than `maxGapMs` (the
 * process was stopped with SIGSTOP for a benchmark, the laptop slept) counts as `maxGapMs`.
 */
export interface ActiveClock {
  /** Active milliseconds so far (including `startMs` carried over from earlier sessions). */
  readonly ms: number;
  /** Called once per training step. */
  tick(): void;
}

export function activeClock(startMs: number, maxGapMs: number, now: () => number = Date.now): ActiveClock {
  let active = startMs;
  let last = now();
  return {
    get ms() {
      return active + Math.min(now() - last, maxGapMs);
    },
    tick() {
      const t = now();
      active += Math.min(t - last, maxGapMs);
      last = t;
    },
  };
}

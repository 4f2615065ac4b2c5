/** Time left of a batch from the pace so far, for the cohort's progress lines. */

/** "45 s", "3 min 20 s", "2 h 05 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/**
 * Seconds left when `done` of `total` items took `elapsedS` so far: the observed throughput (which counts
 * parallel jobs) applied to what remains; undefined before the first item is done.
 */
export function secondsLeft(done: number, total: number, elapsedS: number): number | undefined {
  if (done <= 0) return undefined;
  return (elapsedS / done) * (total - done);
}

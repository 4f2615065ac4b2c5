/** Cine playback timing. Pure: no DOM. */

/** Used when the files give no usable frame times: 25 frames per second, a typical cine display rate. */
export const FALLBACK_FRAME_INTERVAL_MS = 40;

/**
 * Acquisition frame interval from the frame trigger times: the median of successive differences, so one odd
 * trigger time does not change the speed. Undefined when the times are missing or implausible (not strictly
 * between 1 ms and 1 s).
 */
export function acquisitionFrameIntervalMs(frameTimesMs: readonly number[]): number | undefined {
  if (frameTimesMs.length < 2) return undefined;
  const diffs: number[] = [];
  for (let i = 1; i < frameTimesMs.length; i++) {
    const d = (frameTimesMs[i] as number) - (frameTimesMs[i - 1] as number);
    if (Number.isFinite(d)) diffs.push(d);
  }
  if (diffs.length === 0) return undefined;
  diffs.sort((a, b) => a - b);
  const median = diffs[Math.floor(diffs.length / 2)] as number;
  return median >= 1 && median < 1000 ? median : undefined;
}

export function playbackIntervalMs(frameTimesMs: readonly number[]): number {
  return acquisitionFrameIntervalMs(frameTimesMs) ?? FALLBACK_FRAME_INTERVAL_MS;
}

/** Wraps around in both directions. */
export function stepWrapped(index: number, delta: number, count: number): number {
  if (count <= 0) return 0;
  return (((index + delta) % count) + count) % count;
}

export function clampIndex(index: number, count: number): number {
  return Math.min(Math.max(0, count - 1), Math.max(0, index));
}

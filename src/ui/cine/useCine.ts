import { useCallback, useEffect, useMemo, useState } from 'react';
import type { VolumeDims } from '@/core/volume';
import { clampIndex, playbackIntervalMs, stepWrapped } from './playback';

export interface CineState {
  slice: number;
  frame: number;
  playing: boolean;
}

export interface Cine extends CineState {
  intervalMs: number;
  setSlice: (slice: number) => void;
  setFrame: (frame: number) => void;
  stepSlice: (delta: number) => void;
  stepFrame: (delta: number) => void;
  togglePlay: () => void;
}

interface Stored extends CineState {
  seriesId: number | undefined;
}

const NO_DIMS: VolumeDims = { cols: 0, rows: 0, slices: 0, frames: 0 };

function initial(seriesId: number | undefined, dims: VolumeDims): Stored {
  // Mid-ventricular slices are the most telling first view of a short-axis stack.
  return { seriesId, slice: Math.floor(dims.slices / 2), frame: 0, playing: false };
}

/** Slice, frame and play state of the series on screen; reset whenever another series loads. */
export function useCine(seriesId: number | undefined, dims: VolumeDims = NO_DIMS, frameTimesMs: number[] = []): Cine {
  const [stored, setStored] = useState<Stored>(() => initial(seriesId, dims));
  const state = stored.seriesId === seriesId ? stored : initial(seriesId, dims);
  const intervalMs = playbackIntervalMs(frameTimesMs);
  const { slices, frames } = dims;

  const update = useCallback(
    (fn: (s: Stored) => Partial<CineState>) => {
      setStored((prev) => {
        const base = prev.seriesId === seriesId ? prev : initial(seriesId, { ...NO_DIMS, slices, frames });
        return { ...base, ...fn(base) };
      });
    },
    [seriesId, slices, frames],
  );

  const setSlice = useCallback(
    (slice: number) => update(() => ({ slice: clampIndex(slice, slices) })),
    [update, slices],
  );
  const setFrame = useCallback(
    (frame: number) => update(() => ({ frame: clampIndex(frame, frames) })),
    [update, frames],
  );
  const stepSlice = useCallback(
    (delta: number) => update((s) => ({ slice: clampIndex(s.slice + delta, slices) })),
    [update, slices],
  );
  const stepFrame = useCallback(
    (delta: number) => update((s) => ({ frame: stepWrapped(s.frame, delta, frames) })),
    [update, frames],
  );
  const togglePlay = useCallback(() => update((s) => ({ playing: !s.playing && frames > 1 })), [update, frames]);

  const playing = state.playing;
  useEffect(() => {
    if (!playing) return;
    const timer = window.setInterval(() => stepFrame(1), intervalMs);
    return () => window.clearInterval(timer);
  }, [playing, intervalMs, stepFrame]);

  // One object per change (not per render of the app), so the controls re-render only when something they show moved.
  const { slice, frame } = state;
  return useMemo(
    () => ({ slice, frame, playing, intervalMs, setSlice, setFrame, stepSlice, stepFrame, togglePlay }),
    [slice, frame, playing, intervalMs, setSlice, setFrame, stepSlice, stepFrame, togglePlay],
  );
}

/**
 * Cardiac function of the active mask, live: counts per (slice, frame) once per newly arrived frame
 * (`frameCounts.ts`), then sums for the slice selection and ED/ES choice (microseconds), so toggling a
 * slice or a phase never re-reads the labels. The user's choices reset when another series loads.
 */
import { useCallback, useMemo, useState } from 'react';
import { computeCardiacFunction, findEdEsFrames, type CardiacFunction } from '@/core/cardiac/function';
import { volumesFromCounts, type FrameVolumes, type LabelCounts } from '@/core/cardiac/volumes';
import type { Volume } from '@/core/volume';
import type { MaskSource } from '@/ui/masks/maskSource';
import { incrementalLabelCounts } from './frameCounts';
import { maskFramesReady } from './maskFrames';

export interface CardiacMeasurements {
  framesReady: boolean[];
  readyCount: number;
  counts: LabelCounts;
  frameVolumes: (FrameVolumes | null)[];
  result: CardiacFunction;
  /** ED/ES the code picks (largest / smallest LV cavity among the ready frames). */
  autoEdFrame: number | undefined;
  autoEsFrame: number | undefined;
  /** The user's choices, 0-based; `undefined` = automatic. Ignored while that frame has no mask. */
  edOverride: number | undefined;
  esOverride: number | undefined;
  /** The RV's own phases; automatic = the LV's automatic ED/ES, so changing the LV's never moves the RV's. */
  rvEdOverride: number | undefined;
  rvEsOverride: number | undefined;
  /** Every frame the source will ever have is there; until then every measure is provisional. */
  complete: boolean;
  includedSlices: boolean[];
  setEdOverride: (frame: number | undefined) => void;
  setEsOverride: (frame: number | undefined) => void;
  setRvEdOverride: (frame: number | undefined) => void;
  setRvEsOverride: (frame: number | undefined) => void;
  resetPhases: () => void;
  setSliceIncluded: (slice: number, included: boolean) => void;
  includeAllSlices: () => void;
}

interface Choices {
  /** The series these choices belong to. */
  volume: Volume | undefined;
  excluded: readonly number[];
  ed: number | undefined;
  es: number | undefined;
  rvEd: number | undefined;
  rvEs: number | undefined;
}

const fresh = (volume: Volume | undefined): Choices => ({
  volume,
  excluded: [],
  ed: undefined,
  es: undefined,
  rvEd: undefined,
  rvEs: undefined,
});

export function useCardiacMeasurements(
  volume: Volume,
  mask: MaskSource,
  labelledFrames: readonly number[] | undefined,
): CardiacMeasurements {
  const { slices, frames } = volume.dims;
  const [stored, setStored] = useState<Choices>(() => fresh(volume));
  const choices = stored.volume === volume ? stored : fresh(volume);
  const update = useCallback(
    (fn: (c: Choices) => Partial<Choices>) =>
      setStored((prev) => {
        const base = prev.volume === volume ? prev : fresh(volume);
        return { ...base, ...fn(base) };
      }),
    [volume],
  );

  // A string key, so a source that fills its buffer in place still triggers a recount of new frames.
  const readyKey = maskFramesReady(mask, frames, labelledFrames)
    .map((r) => (r ? '1' : '0'))
    .join('');
  const labels = mask.labels;
  const { counts, framesReady } = useMemo(() => {
    const ready = [...readyKey].map((c) => c === '1');
    return { counts: incrementalLabelCounts(labels, ready).counts, framesReady: ready };
  }, [labels, readyKey]);

  const includedSlices = useMemo(
    () => Array.from({ length: slices }, (_, s) => !choices.excluded.includes(s)),
    [slices, choices.excluded],
  );
  const frameVolumes = useMemo(
    () => volumesFromCounts(counts, volume, includedSlices),
    [counts, volume, includedSlices],
  );
  const auto = useMemo(() => findEdEsFrames(frameVolumes), [frameVolumes]);
  const usable = (f: number | undefined): number | undefined =>
    f !== undefined && framesReady[f] === true ? f : undefined;
  const edFrame = usable(choices.ed);
  const esFrame = usable(choices.es);
  const rvEdFrame = usable(choices.rvEd) ?? auto.edFrame;
  const rvEsFrame = usable(choices.rvEs) ?? auto.esFrame;
  const heartRateBpm = volume.meta.heartRateBpm;
  const result = useMemo(
    () =>
      computeCardiacFunction(frameVolumes, {
        ...(edFrame !== undefined ? { edFrame } : {}),
        ...(esFrame !== undefined ? { esFrame } : {}),
        ...(rvEdFrame !== undefined ? { rvEdFrame } : {}),
        ...(rvEsFrame !== undefined ? { rvEsFrame } : {}),
        ...(heartRateBpm !== undefined ? { heartRateBpm } : {}),
      }),
    [frameVolumes, edFrame, esFrame, rvEdFrame, rvEsFrame, heartRateBpm],
  );

  const setEdOverride = useCallback((f: number | undefined) => update(() => ({ ed: f })), [update]);
  const setEsOverride = useCallback((f: number | undefined) => update(() => ({ es: f })), [update]);
  const setRvEdOverride = useCallback((f: number | undefined) => update(() => ({ rvEd: f })), [update]);
  const setRvEsOverride = useCallback((f: number | undefined) => update(() => ({ rvEs: f })), [update]);
  const resetPhases = useCallback(
    () => update(() => ({ ed: undefined, es: undefined, rvEd: undefined, rvEs: undefined })),
    [update],
  );
  const setSliceIncluded = useCallback(
    (slice: number, included: boolean) =>
      update((c) => ({
        excluded: included ? c.excluded.filter((s) => s !== slice) : [...c.excluded.filter((s) => s !== slice), slice],
      })),
    [update],
  );
  const includeAllSlices = useCallback(() => update(() => ({ excluded: [] })), [update]);

  const readyCount = framesReady.filter(Boolean).length;
  return {
    framesReady,
    readyCount,
    complete: mask.kind === 'file' || readyCount === frames,
    counts,
    frameVolumes,
    result,
    autoEdFrame: auto.edFrame,
    autoEsFrame: auto.esFrame,
    edOverride: edFrame,
    esOverride: esFrame,
    rvEdOverride: usable(choices.rvEd),
    rvEsOverride: usable(choices.rvEs),
    includedSlices,
    setEdOverride,
    setEsOverride,
    setRvEdOverride,
    setRvEsOverride,
    resetPhases,
    setSliceIncluded,
    includeAllSlices,
  };
}

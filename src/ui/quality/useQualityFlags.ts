/**
 * Quality flags of the masks on screen (src/core/quality), recomputed when the masks change: once a model's
 * masks are complete, and after every committed hand edit. Not while a model is still filling frames in, so
 * the main thread does not re-scan the whole series at every frame.
 */
import { useMemo } from 'react';
import { seriesQualityFlags, type QualityFlag } from '@/core/quality';
import type { Volume } from '@/core/volume';
import type { MaskSource } from '../masks/maskSource';

export type QualityState = { status: 'none' } | { status: 'pending' } | { status: 'ready'; flags: QualityFlag[] };

/** `labelledFrames`: for masks read from files, the frames that carry labels (others are not judged). */
export function useQualityFlags(volume: Volume | undefined, mask: MaskSource | undefined, labelledFrames?: readonly number[]): QualityState {
  return useMemo<QualityState>(() => {
    if (!volume || !mask) return { status: 'none' };
    if (mask.kind !== 'file' && !mask.complete) return { status: 'pending' };
    const framesReady =
      mask.kind === 'file'
        ? labelledFrames
          ? Array.from({ length: volume.dims.frames }, (_, f) => labelledFrames.includes(f))
          : null
        : Array.from(mask.framesReady, (v) => v === 1);
    return { status: 'ready', flags: seriesQualityFlags(mask.labels, volume, framesReady) };
  }, [volume, mask, labelledFrames]);
}

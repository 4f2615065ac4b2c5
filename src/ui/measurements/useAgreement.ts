/**
 * Model masks against the labels from file, live: each frame's overlap is counted once, when both masks have it
 * (a frame, once ready, is final for a label buffer, as in frameCounts.ts), then summed for the slice selection.
 */
import { useMemo } from 'react';
import { agreementFromOverlaps, frameOverlap, type Agreement } from '@/core/cardiac/agreement';
import { voxelVolumeMl } from '@/core/cardiac/volumes';
import type { Volume } from '@/core/volume';
import type { MaskSource } from '@/ui/masks/maskSource';
import { maskFramesReady } from './maskFrames';

/** Per test buffer, per reference buffer: the overlap of each frame counted so far. */
const cache = new WeakMap<Uint8Array, WeakMap<Uint8Array, Map<number, Uint32Array>>>();

function overlapsOf(reference: MaskSource, test: MaskSource, compared: readonly boolean[]): (Uint32Array | null)[] {
  const { cols, rows, slices } = reference.labels.dims;
  const frameSize = cols * rows * slices;
  let byRef = cache.get(test.labels.data);
  if (!byRef) cache.set(test.labels.data, (byRef = new WeakMap<Uint8Array, Map<number, Uint32Array>>()));
  let frames = byRef.get(reference.labels.data);
  if (!frames) byRef.set(reference.labels.data, (frames = new Map<number, Uint32Array>()));
  const store = frames;
  return compared.map((on, f) => {
    if (!on) return null;
    let o = store.get(f);
    if (!o) {
      const at = (m: MaskSource) => m.labels.data.subarray(f * frameSize, (f + 1) * frameSize);
      o = frameOverlap(at(reference), at(test), cols * rows, slices);
      store.set(f, o);
    }
    return o;
  });
}

/** The pair to compare: labels from file against the mask on screen, or, when the file's are on screen, the model's. */
export function comparisonPair(
  sources: readonly MaskSource[],
  active: MaskSource,
): { reference: MaskSource; test: MaskSource } | undefined {
  const reference = sources.find((s) => s.kind === 'file');
  if (!reference) return undefined;
  const test = active.kind !== 'file' ? active : [...sources].reverse().find((s) => s.kind === 'model');
  return test ? { reference, test } : undefined;
}

export function useAgreement(
  volume: Volume,
  sources: readonly MaskSource[] | undefined,
  active: MaskSource,
  labelledFrames: readonly number[] | undefined,
  includedSlices: readonly boolean[],
): { agreement: Agreement; test: MaskSource } | undefined {
  const pair = sources ? comparisonPair(sources, active) : undefined;
  const { slices, frames } = volume.dims;
  const refReady = pair ? maskFramesReady(pair.reference, frames, labelledFrames) : undefined;
  const testReady = pair ? maskFramesReady(pair.test, frames, labelledFrames) : undefined;
  const key = refReady && testReady ? refReady.map((r, f) => (r && testReady[f] ? '1' : '0')).join('') : '';
  const reference = pair?.reference;
  const test = pair?.test;
  return useMemo(() => {
    if (!reference || !test || !key.includes('1')) return undefined;
    const compared = [...key].map((c) => c === '1');
    const overlaps = overlapsOf(reference, test, compared);
    return { agreement: agreementFromOverlaps(overlaps, slices, includedSlices, voxelVolumeMl(volume, slices)), test };
  }, [reference, test, key, slices, includedSlices, volume]);
}

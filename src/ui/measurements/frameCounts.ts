/**
 * Label voxel counts per (slice, frame) that grow with the mask: each frame is counted once, when it
 * becomes ready, so a model result arriving frame by frame costs one frame's pass (≈1 ms for 256×256×12),
 * and toggling slices or phases never re-reads the labels (the sums come from `volumesFromCounts`).
 */
import { COUNTED_LABELS, countFrameLabelVoxels, type LabelCounts } from '@/core/cardiac/volumes';
import type { LabelVolume } from '@/core/volume';

/** What was counted so far for one label buffer. */
export interface CountStore {
  counts: Uint32Array;
  counted: boolean[];
}

/** Per label buffer; dropped with the buffer (a new series or a new model run gives a new buffer). */
const stores = new WeakMap<Uint8Array, CountStore>();

export interface IncrementalCounts {
  counts: LabelCounts;
  /** Frames counted by this call (0 when everything ready was counted before). */
  newlyCounted: number;
}

/**
 * Counts of `labels` for the frames marked ready, counting only frames not counted before for this
 * label buffer. A frame, once ready, is taken as final: a source that rewrites a frame must hand over a
 * new buffer. The returned `LabelCounts` is a copy that later calls do not change.
 */
export function incrementalLabelCounts(
  labels: LabelVolume,
  framesReady: readonly boolean[],
  cache: WeakMap<Uint8Array, CountStore> = stores,
): IncrementalCounts {
  const { cols, rows, slices, frames } = labels.dims;
  if (framesReady.length !== frames) {
    throw new RangeError(`framesReady has ${framesReady.length} entries but the labels have ${frames} frames`);
  }
  let store = cache.get(labels.data);
  if (!store || store.counted.length !== frames) {
    store = {
      counts: new Uint32Array(slices * frames * COUNTED_LABELS),
      counted: new Array<boolean>(frames).fill(false),
    };
    cache.set(labels.data, store);
  }
  const frameSize = cols * rows * slices;
  const todo: (Uint8Array | null)[] = framesReady.map((ready, f) =>
    ready && !store.counted[f] ? labels.data.subarray(f * frameSize, (f + 1) * frameSize) : null,
  );
  const newlyCounted = todo.filter((t) => t !== null).length;
  if (newlyCounted > 0) {
    const fresh = countFrameLabelVoxels(todo, { cols, rows, slices });
    todo.forEach((t, f) => {
      if (t === null) return;
      const o = f * slices * COUNTED_LABELS;
      store.counts.set(fresh.counts.subarray(o, o + slices * COUNTED_LABELS), o);
      store.counted[f] = true;
    });
  }
  return {
    counts: { dims: { ...labels.dims }, counts: store.counts.slice(), framesReady: framesReady.map((r) => r) },
    newlyCounted,
  };
}

/** Voxels of `label` in one (slice, frame). */
export function countAt(counts: LabelCounts, slice: number, frame: number, label: number): number {
  return counts.counts[(slice + counts.dims.slices * frame) * COUNTED_LABELS + label] ?? 0;
}

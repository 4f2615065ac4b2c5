/**
 * Per-frame chamber volumes from a label volume by summation of discs (Simpson's rule as used for
 * short-axis cine MRI): V = Σ over included slices of area × distance between slice centres.
 * Ref: Schulz-Menger J et al., "Standardized image interpretation and post-processing in CMR", JCMR 2020.
 */
import { Label } from '../labels';
import type { LabelVolume, SpacingMm, VolumeDims, VolumeMeta } from '../volume';

/** Chamber volumes of one frame, ml. */
export interface FrameVolumes {
  lvCavityMl: number;
  lvMyocardiumMl: number;
  rvCavityMl: number;
}

/** The part of a `Volume` the volume computation needs; a `Volume` satisfies it. */
export interface VolumeGeometry {
  spacingMm: SpacingMm;
  meta?: Pick<VolumeMeta, 'sliceThicknessMm'>;
}

export interface FrameVolumeOptions {
  /** One flag per slice; `false` slices contribute 0 (e.g. a basal slice above the valve). Default: all. */
  includedSlices?: readonly boolean[] | null;
  /**
   * One flag per frame; `false` frames are not segmented yet and give `null`. Default: all ready.
   * Lets the UI update the curve while masks arrive.
   */
  framesReady?: readonly boolean[] | null;
}

/** Number of label values counted per (slice, frame): 0..3. */
export const COUNTED_LABELS = 4;

/**
 * Voxel counts per label for every (slice, frame), from one pass over the labels.
 * `counts[(slice + slices * frame) * COUNTED_LABELS + label]`; all zero for frames that are not ready.
 * Keep it to recompute volumes when only the slice selection changes, without touching the labels again.
 */
export interface LabelCounts {
  dims: VolumeDims;
  counts: Uint32Array;
  framesReady: boolean[];
}

/**
 * Distance between slice centres used as disc height, mm: `spacingMm.slice`, or with a single slice
 * the slice thickness (`meta.sliceThicknessMm`, falling back to `spacingMm.slice`).
 */
export function discHeightMm(geometry: VolumeGeometry, slices: number): number {
  if (slices === 1) {
    const t = geometry.meta?.sliceThicknessMm;
    if (t !== undefined && Number.isFinite(t) && t > 0) return t;
  }
  return geometry.spacingMm.slice;
}

/** Volume of one voxel used for the disc sum, ml (pixel area × disc height / 1000). */
export function voxelVolumeMl(geometry: VolumeGeometry, slices: number): number {
  return (geometry.spacingMm.col * geometry.spacingMm.row * discHeightMm(geometry, slices)) / 1000;
}

function checkFlags(flags: readonly boolean[] | null | undefined, n: number, what: string): boolean[] {
  if (flags === null || flags === undefined) return new Array<boolean>(n).fill(true);
  if (flags.length !== n) {
    throw new RangeError(`${what} has ${flags.length} entries but the labels have ${n}`);
  }
  return flags.map((f) => f === true);
}

/** Counts label voxels per (slice, frame) in one pass, skipping frames that are not ready. */
export function countLabelVoxels(labels: LabelVolume, framesReady?: readonly boolean[] | null): LabelCounts {
  const { cols, rows, slices, frames } = labels.dims;
  const plane = cols * rows;
  if (labels.data.length !== plane * slices * frames) {
    throw new RangeError(`label data has ${labels.data.length} voxels but dims say ${plane * slices * frames}`);
  }
  const ready = checkFlags(framesReady, frames, 'framesReady');
  const counts = new Uint32Array(slices * frames * COUNTED_LABELS);
  const hist = new Uint32Array(256);
  for (let f = 0; f < frames; f++) {
    if (!ready[f]) continue;
    for (let s = 0; s < slices; s++) {
      countPlane(labels.data, (s + slices * f) * plane, plane, hist, counts, s + slices * f);
    }
  }
  return { dims: { ...labels.dims }, counts, framesReady: ready };
}

/**
 * Like `countLabelVoxels` for labels that arrive one frame at a time: `frameLabels[f]` holds the
 * slices × rows × cols labels of frame f (same layout as a `LabelVolume` frame), or `null` while f is
 * not segmented yet.
 */
export function countFrameLabelVoxels(
  frameLabels: readonly (Uint8Array | null | undefined)[],
  dims: Omit<VolumeDims, 'frames'>,
): LabelCounts {
  const { cols, rows, slices } = dims;
  const plane = cols * rows;
  const frames = frameLabels.length;
  const counts = new Uint32Array(slices * frames * COUNTED_LABELS);
  const hist = new Uint32Array(256);
  const ready: boolean[] = [];
  for (let f = 0; f < frames; f++) {
    const data = frameLabels[f];
    ready.push(data !== null && data !== undefined);
    if (data === null || data === undefined) continue;
    if (data.length !== plane * slices) {
      throw new RangeError(`frame ${f} has ${data.length} label voxels, expected ${plane * slices}`);
    }
    for (let s = 0; s < slices; s++) {
      countPlane(data, s * plane, plane, hist, counts, s + slices * f);
    }
  }
  return { dims: { cols, rows, slices, frames }, counts, framesReady: ready };
}

function countPlane(
  data: Uint8Array,
  start: number,
  length: number,
  hist: Uint32Array,
  counts: Uint32Array,
  planeIndex: number,
): void {
  // A 256-bin histogram: one indexed increment per voxel, no branches; values > 3 are ignored.
  hist.fill(0);
  const end = start + length;
  for (let i = start; i < end; i++) hist[data[i]!]!++;
  const o = planeIndex * COUNTED_LABELS;
  for (let l = 0; l < COUNTED_LABELS; l++) counts[o + l] = hist[l]!;
}

/**
 * Chamber volumes per frame from precomputed counts: Σ_included slices count × Δcol × Δrow × Δz / 1000.
 * Returns `null` for frames that are not ready.
 */
export function volumesFromCounts(
  counts: LabelCounts,
  geometry: VolumeGeometry,
  includedSlices?: readonly boolean[] | null,
): (FrameVolumes | null)[] {
  const { slices, frames } = counts.dims;
  const include = checkFlags(includedSlices, slices, 'includedSlices');
  const voxelMl = voxelVolumeMl(geometry, slices);
  const out: (FrameVolumes | null)[] = [];
  for (let f = 0; f < frames; f++) {
    if (!counts.framesReady[f]) {
      out.push(null);
      continue;
    }
    let rv = 0;
    let myo = 0;
    let lv = 0;
    for (let s = 0; s < slices; s++) {
      if (!include[s]) continue;
      const o = (s + slices * f) * COUNTED_LABELS;
      rv += counts.counts[o + Label.RVCavity]!;
      myo += counts.counts[o + Label.Myocardium]!;
      lv += counts.counts[o + Label.LVCavity]!;
    }
    out.push({ lvCavityMl: lv * voxelMl, lvMyocardiumMl: myo * voxelMl, rvCavityMl: rv * voxelMl });
  }
  return out;
}

/**
 * Chamber volumes (ml) of every frame by summation of discs, in one pass over the labels.
 * Frames marked not ready in `options.framesReady` give `null`; excluded slices contribute 0.
 */
export function frameVolumes(
  labels: LabelVolume,
  geometry: VolumeGeometry,
  options: FrameVolumeOptions = {},
): (FrameVolumes | null)[] {
  return volumesFromCounts(countLabelVoxels(labels, options.framesReady), geometry, options.includedSlices);
}

/**
 * The one image type every loader returns and every consumer takes: pixels plus geometry.
 *
 * Layout: x (column) fastest, then y (row), then slice, then frame:
 * `index = col + cols * (row + rows * (slice + slices * frame))`.
 */
export interface VolumeDims {
  cols: number;
  rows: number;
  slices: number;
  frames: number;
}

export interface SpacingMm {
  /** Width of one pixel along a row (between columns), mm. */
  col: number;
  /** Height of one pixel (between rows), mm. */
  row: number;
  /** Distance between slice centres, mm (slice thickness when there is only one slice). */
  slice: number;
}

export interface VolumeMeta {
  source: 'nifti' | 'dicom' | 'phantom';
  /** File name(s) or series description shown to the user. */
  name: string;
  seriesDescription?: string;
  /** Study or acquisition date as YYYY-MM-DD when the source tells it. */
  date?: string;
  heartRateBpm?: number;
  sliceThicknessMm?: number;
  /**
   * Who and which acquisition, shown on screen and written into export names and the CSV so that files of
   * different patients never collide (DICOM PatientID, PatientName, SeriesNumber). Nothing leaves the machine.
   */
  patientId?: string;
  patientName?: string;
  seriesNumber?: number;
  /** DICOM PatientSex M / F / O. */
  patientSex?: 'M' | 'F' | 'O';
  /** Body size for BSA indexing: DICOM PatientSize (m) × 100 and PatientWeight, or ACDC's Info.cfg. */
  heightCm?: number;
  weightKg?: number;
  /** DICOM only: per (slice, frame) identifiers, index = slice + slices * frame. */
  instanceNumbers?: number[];
  sopInstanceUids?: string[];
  seriesInstanceUid?: string;
}

export interface Volume {
  data: Float32Array;
  dims: VolumeDims;
  spacingMm: SpacingMm;
  /**
   * 4x4 row-major voxel (col, row, slice) -> patient mm in NIfTI's RAS+ convention.
   * DICOM (LPS) is converted at the io edge by negating x and y.
   */
  affine: number[];
  /** Time of each frame from the R wave, ms (length = frames). */
  frameTimesMs: number[];
  meta: VolumeMeta;
  /**
   * Intensity statistics of all voxels (src/core/preprocess intensityStats), computed once by the loader so
   * that the viewer's default window and the model's normalisation need no further pass on the main thread.
   */
  intensity?: { low: number; high: number; min: number; max: number };
}

/** A label map on the same grid as a Volume (values from `Label`). */
export interface LabelVolume {
  data: Uint8Array;
  dims: VolumeDims;
}

export function voxelCount(d: VolumeDims): number {
  return d.cols * d.rows * d.slices * d.frames;
}

export function sliceSize(d: VolumeDims): number {
  return d.cols * d.rows;
}

/** Offset of the first voxel of (slice, frame). */
export function sliceOffset(d: VolumeDims, slice: number, frame: number): number {
  return (slice + d.slices * frame) * d.cols * d.rows;
}

/** A view (no copy) of one 2D image of a volume. */
export function sliceView<T extends Float32Array | Uint8Array>(
  data: T,
  d: VolumeDims,
  slice: number,
  frame: number,
): T {
  const o = sliceOffset(d, slice, frame);
  return data.subarray(o, o + d.cols * d.rows) as T;
}

/** Affine for an axis-aligned grid with the given spacing (used when a source has no geometry). */
export function diagonalAffine(s: SpacingMm): number[] {
  return [s.col, 0, 0, 0, 0, s.row, 0, 0, 0, 0, s.slice, 0, 0, 0, 0, 1];
}

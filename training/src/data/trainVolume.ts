/** A labelled 3D frame (one cardiac phase, all slices) in its native grid, from any training source. */
import type { IntensityStats } from '../../../src/core/preprocess';

export interface TrainVolume {
  /** e.g. `acdc/patient002/ED`. */
  id: string;
  source: 'acdc' | 'sunnybrook' | 'phantom' | 'nifti' | 'mnms';
  patient: string;
  phase: string;
  cols: number;
  rows: number;
  slices: number;
  spacingColMm: number;
  spacingRowMm: number;
  spacingSliceMm: number;
  /**
   * False when the files do not carry the real pixel spacing (the shared M&Ms crops): the spacing fields
   * then hold a nominal value, the sampler widens its scale range, and no volume may be computed from it.
   */
  spacingKnown?: boolean;
  /** Scanner vendor code where the source gives one (M&Ms: A Siemens, B Philips). */
  vendor?: string;
  /** [slice][row][col] raw intensities. */
  image: Float32Array;
  /** [slice][row][col] labels (ACDC convention). */
  labels: Uint8Array;
  /** Which slices carry labels (partially contoured sources label only some). */
  labelledSlices: boolean[];
  /**
   * Classes that the labels distinguish. Others (e.g. RV in Sunnybrook) are unknown: the loss merges their
   * probability with background instead of teaching "RV = background".
   */
  labelledClasses: number[];
  stats: IntensityStats;
}

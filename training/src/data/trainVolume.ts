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

import type { LabelVolume, Volume } from '@/core/volume';

/** A file handed to the loaders: bytes already read in the browser (or from disk in Node). */
export interface InputFile {
  /** Base name, e.g. `patient001_frame01.nii.gz` or `12.dcm`. */
  name: string;
  /** Path relative to a dropped folder when known (`dicom/12.dcm`), else the name. */
  path: string;
  bytes: Uint8Array;
}

/** One image series ready to view, with its expert / previously saved labels when present. */
export interface LoadedSeries {
  volume: Volume;
  labels?: LabelVolume;
  /**
   * Frames (0-based indices into the volume) that `labels` really labels; the other frames of
   * `labels` are 0 everywhere because no label file covered them. Present whenever `labels` is.
   */
  labelledFrames?: number[];
  /**
   * NIfTI frame sets only: each frame's number from its file name (`patient001_frame12` -> 12), in
   * volume frame order. ACDC names its ED and ES frames this way.
   */
  frameNumbers?: number[];
  /** Non-fatal remarks for the user (e.g. "3 files were not DICOM and were skipped"). */
  warnings: string[];
  /** Files the series was built from (the chosen series' files, not everything dropped). */
  sourceFileCount?: number;
}

/** A DICOM series found among dropped files, for the user to choose when there are several. */
export interface SeriesCandidate {
  seriesInstanceUid: string;
  description: string;
  fileCount: number;
  /** e.g. "256×256, 12 slices, 20 frames" */
  summary: string;
  seriesNumber?: number;
  patientId?: string;
  patientName?: string;
  /** Study (else series) date, YYYY-MM-DD. */
  date?: string;
}

export type LoadOutcome = { kind: 'series'; series: LoadedSeries } | { kind: 'choose'; candidates: SeriesCandidate[] };

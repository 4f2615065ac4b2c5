/**
 * The files a user downloads for a segmentation: the label volume as NIfTI on the input's own grid and
 * geometry, plus for DICOM input a JSON index that ties each (slice, frame) of the NIfTI back to its
 * DICOM image; and the file names derived from the series. Used by the app and the batch CLI.
 *
 * Geometry: the NIfTI gets the `Volume`'s affine, so NIfTI input keeps its header affine and DICOM input
 * gets the DICOM geometry (pixel-data orientation, slices along the slice normal, frames by trigger
 * time, LPS converted to RAS), exactly as `src/io` laid the volume out.
 */
import type { LabelVolume, Volume } from '@/core/volume';
import { writeNiftiLabels } from './niftiWrite';

/** One file to save. */
export interface ExportFile {
  name: string;
  mimeType: string;
  bytes: Uint8Array;
}

/** One entry of the DICOM index: NIfTI voxel indices k (slice) and t (frame), 0-based. */
export interface DicomIndexEntry {
  slice: number;
  frame: number;
  /** null when the DICOM image had no InstanceNumber. */
  instanceNumber: number | null;
  sopInstanceUid: string;
}

/** `<name>.index.json`: where each 2D image of the label NIfTI came from. */
export interface DicomMaskIndex {
  format: 'cineseg-dicom-index/1';
  /** The NIfTI file this index belongs to. */
  labels: string;
  seriesInstanceUid: string | null;
  seriesDescription: string | null;
  dims: { cols: number; rows: number; slices: number; frames: number };
  /** How to read `images`: voxel (i, j, k, t) of the NIfTI comes from the image with slice k and frame t. */
  layout: string;
  /** Frame times from the R wave (TriggerTime), ms, in frame order; null when unknown. */
  frameTimesMs: (number | null)[];
  images: DicomIndexEntry[];
}

const safeName = (text: string, max: number): string =>
  text
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[_.]+|[_.]+$/g, '')
    .slice(0, max);

/**
 * A file-name stem from the series: for DICOM `<PatientID>_<study date>_S<SeriesNumber>_<description>` (the parts
 * that are known), so exports of different patients and series never collide; for NIfTI the file name:
 * `patient001_frame01.nii.gz` -> `patient001_frame01`, `patient001 (2 frames)` -> `patient001`, `SAX CINE 8mm` ->
 * `SAX_CINE_8mm`; `series` when nothing is left.
 */
export function exportBaseName(volume: Pick<Volume, 'meta'>): string {
  const { meta } = volume;
  const name = meta.name
    .split(',')[0]!
    .replace(/\s*\(\d+ (frames|images)\)\s*$/i, '')
    .replace(/\.nii(\.gz)?$/i, '')
    .replace(/\.dcm$/i, '')
    .trim();
  const parts = [
    meta.patientId ? safeName(meta.patientId, 40) : '',
    meta.source === 'dicom' && meta.date ? meta.date.replace(/-/g, '') : '',
    meta.seriesNumber !== undefined && Number.isFinite(meta.seriesNumber) ? `S${meta.seriesNumber}` : '',
    safeName(name, 80),
  ].filter((p) => p !== '');
  return safeName(parts.join('_'), 160) || 'series';
}

/** The JSON index for DICOM input; `undefined` for other sources (nothing to map back to). */
export function dicomMaskIndex(volume: Volume, labelsFileName: string): DicomMaskIndex | undefined {
  const { meta, dims } = volume;
  const uids = meta.sopInstanceUids;
  if (meta.source !== 'dicom' || !uids) return undefined;
  const images: DicomIndexEntry[] = [];
  for (let frame = 0; frame < dims.frames; frame++) {
    for (let slice = 0; slice < dims.slices; slice++) {
      const i = slice + dims.slices * frame;
      const n = meta.instanceNumbers?.[i];
      images.push({
        slice,
        frame,
        instanceNumber: n !== undefined && Number.isFinite(n) ? n : null,
        sopInstanceUid: uids[i] ?? '',
      });
    }
  }
  return {
    format: 'cineseg-dicom-index/1',
    labels: labelsFileName,
    seriesInstanceUid: meta.seriesInstanceUid ?? null,
    seriesDescription: meta.seriesDescription ?? null,
    dims: { ...dims },
    layout:
      'NIfTI voxel (i, j, k, t): i = column and j = row of the DICOM pixel data, k = slice (ascending along the ' +
      'slice normal), t = frame (ascending TriggerTime); slice and frame below are k and t, 0-based.',
    frameTimesMs: volume.frameTimesMs.map((t) => (Number.isFinite(t) ? t : null)),
    images,
  };
}

/**
 * The mask download: `<base>_labels.nii.gz` (uint8, 0 background, 1 RV cavity, 2 LV myocardium, 3 LV
 * cavity, on `volume`'s grid with its affine) and, for DICOM input, `<base>_labels.index.json`.
 * Frames that were not segmented are 0.
 */
export function maskExportFiles(labels: LabelVolume, volume: Volume, baseName = exportBaseName(volume)): ExportFile[] {
  const niftiName = `${baseName}_labels.nii.gz`;
  const files: ExportFile[] = [
    { name: niftiName, mimeType: 'application/gzip', bytes: writeNiftiLabels(labels, volume, true) },
  ];
  const index = dicomMaskIndex(volume, niftiName);
  if (index) {
    files.push({
      name: `${baseName}_labels.index.json`,
      mimeType: 'application/json',
      bytes: new TextEncoder().encode(JSON.stringify(index, null, 1) + '\n'),
    });
  }
  return files;
}

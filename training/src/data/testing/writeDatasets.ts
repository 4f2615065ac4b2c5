/**
 * Tiny synthetic data sets on disk, in the original ACDC and the M&Ms layouts, for the readers' tests.
 * Voxel values encode where they are, so a transposed or mis-framed read shows:
 * image = col + 20 * row + 300 * slice + 1000 * frame (within int16 for frames up to 31).
 */
import fs from 'node:fs';
import path from 'node:path';
import { diagonalAffine, type Volume } from '../../../../src/core/volume';
import { writeNifti } from '../../../../src/io/index';

export const GRID = { cols: 16, rows: 12, slices: 3 } as const;
/** Different along each axis so a swap shows; all exact in float32. */
export const SPACING_MM = { col: 1.5, row: 1.25, slice: 8 } as const;
/** The marked voxel: its label is the LV cavity in every labelled frame. */
export const MARK = { col: 2, row: 5, slice: 1 } as const;

export function imageValue(col: number, row: number, slice: number, frame: number): number {
  return col + 20 * row + 300 * slice + 1000 * frame;
}

export function voxelIndex(col: number, row: number, slice: number): number {
  return col + GRID.cols * (row + GRID.rows * slice);
}

/** Label counts per frame kind, in ACDC convention: [background, RV, myocardium, LV]. */
export const COUNTS = {
  ED: [0, 6, 4, 3],
  ES: [0, 2, 4, 1],
} as const;

function frameLabels(kind: 'ED' | 'ES', values: { rv: number; myo: number; lv: number }): Uint8Array {
  const n = GRID.cols * GRID.rows * GRID.slices;
  const out = new Uint8Array(n);
  const [, rv, myo, lv] = COUNTS[kind];
  // LV: the marked voxel, then along row 5 of slice 1 to its right.
  for (let k = 0; k < lv; k++) out[voxelIndex(MARK.col + k, MARK.row, MARK.slice)] = values.lv;
  // RV: row 0 of slice 0 from column 10.
  for (let k = 0; k < rv; k++) out[voxelIndex(10 + k, 0, 0)] = values.rv;
  // Myocardium: column 15 of slice 2.
  for (let k = 0; k < myo; k++) out[voxelIndex(15, k, 2)] = values.myo;
  return out;
}

function volumeOf(data: Float32Array, frames: number): Volume {
  return {
    data,
    dims: { ...GRID, frames },
    spacingMm: { ...SPACING_MM },
    affine: diagonalAffine(SPACING_MM),
    frameTimesMs: new Array<number>(frames).fill(Number.NaN),
    meta: { source: 'nifti', name: 'synthetic' },
  };
}

function imageData(frames: number[]): Float32Array {
  const n = GRID.cols * GRID.rows * GRID.slices;
  const out = new Float32Array(n * frames.length);
  frames.forEach((frame, f) => {
    for (let s = 0; s < GRID.slices; s++)
      for (let r = 0; r < GRID.rows; r++)
        for (let c = 0; c < GRID.cols; c++) out[f * n + voxelIndex(c, r, s)] = imageValue(c, r, s, frame);
  });
  return out;
}

function write(file: string, v: Volume, datatype: 'int16' | 'uint8'): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, writeNifti(v, { datatype }));
}

const ACDC_LABELS = { rv: 1, myo: 2, lv: 3 };
const MNMS_LABELS = { lv: 1, myo: 2, rv: 3 };

/** `<dir>/<patient>/Info.cfg` + ED/ES frame and label files (frame numbers 1-based). */
export function writeAcdcPatient(dir: string, patient: string, ed: number, es: number, frames = 30): void {
  const pdir = path.join(dir, patient);
  fs.mkdirSync(pdir, { recursive: true });
  fs.writeFileSync(
    path.join(pdir, 'Info.cfg'),
    `ED: ${ed}\nES: ${es}\nGroup: DCM\nHeight: 184.0\nNbFrame: ${frames}\nWeight: 95.0\n`,
  );
  for (const [kind, frame] of [
    ['ED', ed],
    ['ES', es],
  ] as const) {
    const stem = `${patient}_frame${String(frame).padStart(2, '0')}`;
    write(path.join(pdir, `${stem}.nii.gz`), volumeOf(imageData([frame]), 1), 'int16');
    write(
      path.join(pdir, `${stem}_gt.nii.gz`),
      volumeOf(Float32Array.from(frameLabels(kind, ACDC_LABELS)), 1),
      'uint8',
    );
  }
}

/**
 * `<dir>/<partition>/<code>/<code>_sa.nii.gz` (4D, `frames` frames) + `_sa_gt` with M&Ms labels at the
 * 0-based frames `ed` and `es` only.
 */
export function writeMnmsCase(dir: string, partition: string, code: string, ed: number, es: number, frames = 5): void {
  const cdir = path.join(dir, partition, code);
  const n = GRID.cols * GRID.rows * GRID.slices;
  const labels = new Float32Array(n * frames);
  labels.set(frameLabels('ED', MNMS_LABELS), ed * n);
  labels.set(frameLabels('ES', MNMS_LABELS), es * n);
  write(path.join(cdir, `${code}_sa.nii.gz`), volumeOf(imageData([...Array(frames).keys()]), frames), 'int16');
  write(path.join(cdir, `${code}_sa_gt.nii.gz`), volumeOf(labels, frames), 'uint8');
}

/** The M&Ms information CSV as the 2020 release writes it: an unnamed index column first. */
export function writeMnmsCsv(dir: string, rows: { code: string; ed: number; es: number }[]): string {
  const file = path.join(dir, '201014_M&Ms_Dataset_Information_-_opendataset.csv');
  const lines = [
    ',External code,VendorName,Vendor,Centre,ED,ES',
    ...rows.map((r, i) => `${i},${r.code},Siemens,A,1,${r.ed},${r.es}`),
  ];
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, '\uFEFF' + lines.join('\r\n') + '\r\n');
  return file;
}

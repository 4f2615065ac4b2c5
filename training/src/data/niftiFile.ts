/**
 * NIfTI files on disk for the training readers, through the app's own reader (src/io/nifti) so the app
 * and training agree on voxel order, spacing and scaling. A Volume's layout (col fastest, then row,
 * slice, frame; NIfTI x = col, y = row, z = slice) is a TrainVolume's [slice][row][col] once a frame is
 * cut out: no transposition anywhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import { NUM_CLASSES } from '../../../src/core/labels';
import type { Volume } from '../../../src/core/volume';
import { LoadError, readNifti, type NiftiImage } from '../../../src/io/index';

/** Reads `file` (`.nii` or `.nii.gz`). @throws LoadError naming the file. */
export function readNiftiFile(file: string): NiftiImage {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(fs.readFileSync(file));
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new LoadError(`${file} could not be read (${why}).`, file);
  }
  return readNifti({ name: path.basename(file), path: file, bytes });
}

/** `<stem>.nii.gz` or `<stem>.nii`, whichever exists (gzip first), else undefined. */
export function findNifti(dir: string, stem: string): string | undefined {
  for (const ext of ['.nii.gz', '.nii']) {
    const p = path.join(dir, stem + ext);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

/** Voxels of one frame (a copy, so the 4D buffer can be freed): [slice][row][col]. */
export function frameOf(volume: Volume, frame: number): Float32Array {
  const { cols, rows, slices } = volume.dims;
  const n = cols * rows * slices;
  return volume.data.slice(frame * n, (frame + 1) * n);
}

/**
 * Label values as ACDC labels: `map[v]` for each stored value v (identity when absent).
 * @throws LoadError naming the file for values that are not integers in 0..map.length-1.
 */
export function toAcdcLabels(values: ArrayLike<number>, file: string, map?: readonly number[]): Uint8Array {
  const classes = map?.length ?? NUM_CLASSES;
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? 0;
    if (!(Number.isInteger(v) && v >= 0 && v < classes)) {
      throw new LoadError(
        `${file} contains the label value ${v} (voxel ${i}); expected integers 0..${classes - 1}.`,
        file,
      );
    }
    out[i] = map ? (map[v] ?? 0) : v;
  }
  return out;
}

/** Throws when a label file's grid (size or pixel size) is not its image's. */
export function checkSameGrid(labels: Volume, image: Volume, labelFile: string, imageFile: string): void {
  const a = labels.dims;
  const b = image.dims;
  const tol = 1e-3;
  const sameSize = a.cols === b.cols && a.rows === b.rows && a.slices === b.slices && a.frames === b.frames;
  const sameSpacing =
    Math.abs(labels.spacingMm.col - image.spacingMm.col) < tol &&
    Math.abs(labels.spacingMm.row - image.spacingMm.row) < tol &&
    Math.abs(labels.spacingMm.slice - image.spacingMm.slice) < tol;
  if (!sameSize || !sameSpacing) {
    const size = (d: Volume['dims']): string => `${d.cols}×${d.rows}×${d.slices}×${d.frames}`;
    throw new LoadError(
      `${labelFile} does not share the grid of ${imageFile} (${size(a)} vs ${size(b)}, ` +
        `${labels.spacingMm.col}×${labels.spacingMm.row}×${labels.spacingMm.slice} vs ` +
        `${image.spacingMm.col}×${image.spacingMm.row}×${image.spacingMm.slice} mm).`,
      labelFile,
    );
  }
}

/**
 * Masks saved by cineseg (or the batch CLI) loaded back onto their DICOM series: `<base>_labels.nii.gz` dropped with
 * the series' DICOM files, and, when present, its `<base>_labels.index.json`. With the index each (slice, frame) of
 * the NIfTI goes to the DICOM image it was made from (by SOPInstanceUID), whatever order the series is sorted in
 * now; without it the NIfTI must have the series' grid and geometry.
 */
import { NUM_CLASSES } from '@/core/labels';
import type { LabelVolume, Volume, VolumeDims } from '@/core/volume';
import { LoadError } from './errors';
import type { DicomMaskIndex } from './maskExport';
import { readNifti } from './nifti';
import type { InputFile, LoadedSeries } from './types';

/** True for the JSON index file that `maskExportFiles` writes beside the labels. */
export function isMaskIndexFileName(name: string): boolean {
  return /\.index\.json$/i.test(name);
}

/** The index file's contents, checked enough to use; a LoadError naming the file otherwise. */
export function parseMaskIndex(file: InputFile): DicomMaskIndex {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(file.bytes));
  } catch {
    throw new LoadError(
      `${file.name} is not valid JSON; it should be the index cineseg saved with the masks.`,
      file.name,
    );
  }
  const idx = json as Partial<DicomMaskIndex> | null;
  if (!idx || idx.format !== 'cineseg-dicom-index/1' || !Array.isArray(idx.images) || !idx.dims) {
    throw new LoadError(`${file.name} is not a cineseg mask index (format cineseg-dicom-index/1).`, file.name);
  }
  return idx as DicomMaskIndex;
}

const size = (d: VolumeDims): string => `${d.cols}×${d.rows}×${d.slices}×${d.frames}`;
const GRID_TOL_MM = 1e-2;

/**
 * `series` with the labels of `labelFile` as its masks from file; `index` is its `.index.json` (`parseMaskIndex`).
 * @throws LoadError when the labels do not fit the series (other size, other series in the index, label values
 *   other than 0..3).
 */
export function attachDicomLabels(
  series: LoadedSeries,
  labelFile: InputFile,
  index: { name: string; index: DicomMaskIndex } | undefined,
): LoadedSeries {
  const { volume } = series;
  const image = readNifti(labelFile).volume;
  const d = volume.dims;
  const ld = image.dims;
  if (ld.cols !== d.cols || ld.rows !== d.rows || ld.slices !== d.slices || ld.frames !== d.frames) {
    throw new LoadError(
      `${labelFile.name} (${size(ld)}) does not fit the DICOM series (${size(d)}); drop the masks saved for this series.`,
      labelFile.name,
    );
  }
  const warnings = [...series.warnings];
  const target = index ? targetsFromIndex(index.index, volume, index.name) : undefined;
  if (!target) {
    checkGeometry(image, volume, labelFile.name);
    if (volume.meta.source === 'dicom') {
      warnings.push(
        `${labelFile.name} came without its .index.json; its slices and frames were taken in series order.`,
      );
    }
  }
  const data = new Uint8Array(volume.data.length);
  const sliceSize = d.cols * d.rows;
  const src = image.data;
  for (let k = 0; k < d.slices * d.frames; k++) {
    const to = (target ? (target[k] as number) : k) * sliceSize;
    const from = k * sliceSize;
    for (let i = 0; i < sliceSize; i++) {
      const v = src[from + i] ?? 0;
      if (!(v >= 0 && v < NUM_CLASSES && Number.isInteger(v))) {
        throw new LoadError(
          `${labelFile.name} contains the label value ${v}; cineseg expects ACDC labels 0 background, 1 RV cavity, ` +
            '2 LV myocardium, 3 LV cavity.',
          labelFile.name,
        );
      }
      data[to + i] = v;
    }
  }
  const labels: LabelVolume = { data, dims: { ...d } };
  return { ...series, labels, labelledFrames: framesWithLabels(labels), warnings };
}

/**
 * For each (slice k, frame t) of the NIfTI, index k + slices * t, the (slice, frame) of the series holding the same
 * DICOM image; undefined when the series has no SOPInstanceUIDs to match.
 */
function targetsFromIndex(index: DicomMaskIndex, volume: Volume, indexName: string): number[] | undefined {
  const uids = volume.meta.sopInstanceUids;
  if (!uids) return undefined;
  const { slices, frames } = volume.dims;
  const seriesUid = volume.meta.seriesInstanceUid;
  if (index.seriesInstanceUid && seriesUid && index.seriesInstanceUid !== seriesUid) {
    throw new LoadError(
      `${indexName} belongs to another DICOM series (SeriesInstanceUID ${index.seriesInstanceUid}); ` +
        'drop the masks saved for this series.',
      indexName,
    );
  }
  const where = new Map<string, number>();
  uids.forEach((u, i) => where.set(u, i));
  const target = new Array<number>(slices * frames).fill(-1);
  for (const img of index.images) {
    const j = where.get(img.sopInstanceUid);
    if (j === undefined || img.slice >= slices || img.frame >= frames) {
      throw new LoadError(
        `${indexName} names an image (SOPInstanceUID ${img.sopInstanceUid}) that is not in the DICOM files dropped; ` +
          'drop the whole series with its masks.',
        indexName,
      );
    }
    target[img.slice + slices * img.frame] = j;
  }
  if (target.some((t) => t < 0) || new Set(target).size !== target.length) {
    throw new LoadError(`${indexName} does not list every image of the series once.`, indexName);
  }
  return target;
}

function checkGeometry(labels: Volume, volume: Volume, name: string): void {
  const same =
    labels.affine.every((x, i) => Math.abs(x - (volume.affine[i] ?? 0)) < GRID_TOL_MM) &&
    Math.abs(labels.spacingMm.col - volume.spacingMm.col) < GRID_TOL_MM &&
    Math.abs(labels.spacingMm.row - volume.spacingMm.row) < GRID_TOL_MM;
  if (!same) {
    throw new LoadError(
      `${name} has the size of the series but another position, orientation or pixel size; ` +
        'drop the masks saved for this series (with their .index.json).',
      name,
    );
  }
}

/** Frames (0-based) with any label: frames a partial export left empty are not taken as labelled "nothing". */
function framesWithLabels(labels: LabelVolume): number[] {
  const { cols, rows, slices, frames } = labels.dims;
  const n = cols * rows * slices;
  const out: number[] = [];
  for (let f = 0; f < frames; f++) {
    const frame = labels.data.subarray(f * n, (f + 1) * n);
    if (frame.some((v) => v !== 0)) out.push(f);
  }
  return out;
}

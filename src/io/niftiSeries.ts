/**
 * Turns the NIfTI files a user dropped into one series: a single 3D/4D image (plus its `_gt` labels),
 * or a set of 3D frames named `<base>_frameNN.nii(.gz)` (ACDC) stacked into one cine in frame order,
 * with `<base>_frameNN_gt.nii(.gz)` label files attached to their frames.
 */
import { NUM_CLASSES } from '@/core/labels';
import type { LabelVolume, Volume, VolumeDims } from '@/core/volume';
import { LoadError } from './errors';
import { readNifti, type NiftiImage } from './nifti';
import type { InputFile, LoadedSeries } from './types';

interface NamedImage {
  file: InputFile;
  image: NiftiImage;
  /** Name without `.nii(.gz)` and without `_gt`. */
  stem: string;
  /** `patient001` of `patient001_frame12`, else the stem. */
  base: string;
  /** 12 of `patient001_frame12`. */
  frameNumber: number | undefined;
}

/**
 * Reads and combines NIfTI files into one series.
 * @throws LoadError for unreadable files, mixed patients, differing grids, label files without their
 *   image, and label values other than 0..3.
 */
export function loadNiftiSeries(files: InputFile[], warnings: string[] = []): LoadedSeries {
  const all = readUsable(files, warnings);
  const images = all.filter((f) => !f.image.isLabel);
  const labels = all.filter((f) => f.image.isLabel);
  if (images.length === 0) {
    const first = labels[0]?.file.name ?? 'the file';
    throw new LoadError(`${first} is a label file (*_gt); drop the image it labels together with it.`, first);
  }
  const stack = images.length === 1 ? single(images[0] as NamedImage, warnings) : stackFrames(images);
  refuseSingleImage(stack, images);
  const sourceFileCount = all.length;
  if (labels.length === 0) return { volume: stack.volume, warnings, sourceFileCount, ...frameNumbersOf(stack) };

  const labelData = new Uint8Array(stack.volume.data.length);
  const labelledFrames: number[] = [];
  const frameSize = stack.volume.dims.cols * stack.volume.dims.rows * stack.volume.dims.slices;
  for (const label of labels) {
    const target = matchLabel(label, stack.parts, images.length === 1 && labels.length === 1);
    const reference = stack.parts[target.index] as NamedImage;
    checkSameGrid(label, reference);
    copyLabels(label, labelData, target.frameOffset * frameSize);
    for (let f = 0; f < label.image.volume.dims.frames; f++) labelledFrames.push(target.frameOffset + f);
  }
  const labelVolume: LabelVolume = { data: labelData, dims: { ...stack.volume.dims } };
  return {
    volume: stack.volume,
    labels: labelVolume,
    labelledFrames: [...new Set(labelledFrames)].sort((a, b) => a - b),
    warnings,
    sourceFileCount,
    ...frameNumbersOf(stack),
  };
}

interface Stack {
  volume: Volume;
  /** The image files in frame order; part i starts at frame `i` (frame sets) or 0 (single file). */
  parts: NamedImage[];
  frameNumbers?: number[];
}

function frameNumbersOf(s: Stack): { frameNumbers?: number[] } {
  return s.frameNumbers ? { frameNumbers: s.frameNumbers } : {};
}

/**
 * Reads every file; with several files, one that cannot be read is skipped with a note (as a stray file in a DICOM
 * folder is), so one damaged frame does not cost the rest. A single file, or nothing readable, throws its error.
 */
function readUsable(files: InputFile[], warnings: string[]): NamedImage[] {
  if (files.length === 1) return [nameImage(files[0] as InputFile)];
  const read: NamedImage[] = [];
  const failed: LoadError[] = [];
  for (const file of files) {
    try {
      read.push(nameImage(file));
    } catch (e) {
      if (!(e instanceof LoadError)) throw e;
      failed.push(e);
    }
  }
  if (read.length === 0 && failed[0]) throw failed[0];
  for (const e of failed) warnings.push(`Skipped: ${e.message}`);
  return read;
}

/** One 2D image is not a cine (README: "a single 2D image" is refused); the series on screen stays. */
function refuseSingleImage(stack: Stack, images: NamedImage[]): void {
  const { slices, frames } = stack.volume.dims;
  if (slices * frames > 1) return;
  const name = (images[0] as NamedImage).file.name;
  throw new LoadError(
    `${name} is a single 2D image (one slice, one frame). A cine needs a short-axis stack over the cardiac cycle: ` +
      'drop a 4D NIfTI, or the 3D frames of one patient.',
    name,
  );
}

function nameImage(file: InputFile): NamedImage {
  const image = readNifti(file);
  const stem = file.name.replace(/\.nii(\.gz)?$/i, '').replace(/_gt$/i, '');
  const m = /^(.*)_frame(\d+)$/i.exec(stem);
  return { file, image, stem, base: m?.[1] ?? stem, frameNumber: m?.[2] ? Number(m[2]) : undefined };
}

function single(img: NamedImage, warnings: string[]): Stack {
  const v = img.image.volume;
  if (v.dims.frames > 1 && !img.image.frameTimesKnown) {
    warnings.push(`${img.file.name} does not record the time between frames; frame times are unknown.`);
  }
  return { volume: v, parts: [img] };
}

function stackFrames(images: NamedImage[]): Stack {
  for (const img of images) {
    if (img.image.volume.dims.frames > 1) {
      throw new LoadError(
        `${img.file.name} is a 4D cine (${img.image.volume.dims.frames} frames); drop it on its own, not together with other images.`,
        img.file.name,
      );
    }
  }
  const bases = [...new Set(images.map((i) => i.base))];
  const numbered = images.every((i) => i.frameNumber !== undefined);
  if (bases.length > 1 && numbered) {
    throw new LoadError(
      `The files belong to different series (${bases.slice(0, 3).join(', ')}); drop one patient's frames at a time.`,
    );
  }
  const sorted = [...images].sort((a, b) =>
    numbered
      ? (a.frameNumber ?? 0) - (b.frameNumber ?? 0)
      : a.file.name.localeCompare(b.file.name, undefined, { numeric: true }),
  );
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1] as NamedImage;
    const cur = sorted[i] as NamedImage;
    if (numbered && prev.frameNumber === cur.frameNumber) {
      throw new LoadError(
        `${prev.file.name} and ${cur.file.name} are both frame ${cur.frameNumber}; drop each frame once.`,
      );
    }
    checkSameGrid(cur, sorted[0] as NamedImage);
  }
  const first = (sorted[0] as NamedImage).image.volume;
  const frameSize = first.data.length;
  const data = new Float32Array(frameSize * sorted.length);
  sorted.forEach((img, f) => data.set(img.image.volume.data, f * frameSize));
  const dims: VolumeDims = { ...first.dims, frames: sorted.length };
  const name = numbered ? `${bases[0] ?? ''} (${sorted.length} frames)` : sorted.map((s) => s.file.name).join(', ');
  return {
    volume: {
      ...first,
      data,
      dims,
      frameTimesMs: new Array<number>(sorted.length).fill(Number.NaN),
      meta: { source: 'nifti', name },
    },
    parts: sorted,
    ...(numbered ? { frameNumbers: sorted.map((s) => s.frameNumber ?? 0) } : {}),
  };
}

/** Which image (and so which frame offset) a label file belongs to. */
function matchLabel(label: NamedImage, parts: NamedImage[], onlyPair: boolean): { index: number; frameOffset: number } {
  const index = parts.findIndex((p) => p.stem === label.stem);
  if (index >= 0) return { index, frameOffset: parts.length === 1 ? 0 : index };
  // One image and one label file: accept them as a pair whatever their names.
  if (onlyPair) return { index: 0, frameOffset: 0 };
  throw new LoadError(
    `${label.file.name} is a label file but no image named ${label.stem}.nii(.gz) was dropped with it.`,
    label.file.name,
  );
}

const GRID_TOL_MM = 1e-3;

function checkSameGrid(a: NamedImage, ref: NamedImage): void {
  const va = a.image.volume;
  const vr = ref.image.volume;
  const d = va.dims;
  const r = vr.dims;
  const sameSize = d.cols === r.cols && d.rows === r.rows && d.slices === r.slices && d.frames === r.frames;
  const sameGeometry =
    va.affine.every((x, i) => Math.abs(x - (vr.affine[i] ?? 0)) < GRID_TOL_MM) &&
    Math.abs(va.spacingMm.col - vr.spacingMm.col) < GRID_TOL_MM &&
    Math.abs(va.spacingMm.row - vr.spacingMm.row) < GRID_TOL_MM &&
    Math.abs(va.spacingMm.slice - vr.spacingMm.slice) < GRID_TOL_MM;
  if (!sameSize || !sameGeometry) {
    const size = (x: VolumeDims): string => `${x.cols}×${x.rows}×${x.slices}${x.frames > 1 ? `×${x.frames}` : ''}`;
    const what = sameSize ? 'position, orientation or pixel size' : `size (${size(d)} vs ${size(r)})`;
    throw new LoadError(
      `${a.file.name} does not share the image grid of ${ref.file.name}: different ${what}. Frames and labels must come from one acquisition.`,
      a.file.name,
    );
  }
}

function copyLabels(label: NamedImage, dst: Uint8Array, offset: number): void {
  const src = label.image.volume.data;
  for (let i = 0; i < src.length; i++) {
    const v = src[i] ?? 0;
    if (!(v >= 0 && v < NUM_CLASSES && Number.isInteger(v))) {
      throw new LoadError(
        `${label.file.name} contains the label value ${v}; cineseg expects ACDC labels 0 background, 1 RV cavity, ` +
          '2 LV myocardium, 3 LV cavity.',
        label.file.name,
      );
    }
    dst[offset + i] = v;
  }
}

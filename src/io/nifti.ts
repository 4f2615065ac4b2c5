/**
 * Reads one NIfTI-1 file (`.nii` or `.nii.gz`) into a `Volume`.
 *
 * Geometry: affine from the sform (sform_code > 0), else the qform, else a pixdim diagonal; spacing from
 * pixdim; frame times from pixdim[4] in the units xyzt_units gives. Intensities are scaled by
 * scl_slope/scl_inter when the slope is non-zero.
 */
import { isNIFTI1, isNIFTI2, NIFTI1, readHeader } from 'nifti-reader-js';
import type { SpacingMm, Volume, VolumeDims } from '@/core/volume';
import { LoadError } from './errors';
import { inflateBounded, InflateLimitError } from './inflate';
import { formatBytes, INPUT_LIMITS, spacingProblem, spacingRange } from './limits';
import type { InputFile } from './types';

/** NIfTI-1 datatype codes cineseg reads and writes. */
export const NiftiDatatype = {
  uint8: 2,
  int16: 4,
  int32: 8,
  float32: 16,
  float64: 64,
  int8: 256,
  uint16: 512,
  uint32: 768,
} as const;

export type NiftiDatatypeName = keyof typeof NiftiDatatype;

/** Bytes per voxel of each supported datatype. */
export const NIFTI_BYTES: Record<NiftiDatatypeName, number> = {
  uint8: 1,
  int16: 2,
  int32: 4,
  float32: 4,
  float64: 8,
  int8: 1,
  uint16: 2,
  uint32: 4,
};

/** One NIfTI file read into memory. */
export interface NiftiImage {
  volume: Volume;
  /** The stored datatype, e.g. `int16` (before scl_slope/scl_inter). */
  datatype: NiftiDatatypeName;
  /** True when the file name marks it as a label map (`*_gt.nii(.gz)`, the ACDC convention). */
  isLabel: boolean;
  /** True when pixdim[4] gave a plausible frame duration; otherwise `volume.frameTimesMs` is all NaN. */
  frameTimesKnown: boolean;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** True when the bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1;
}

/** True when the uncompressed bytes carry a single-file NIfTI-1 or NIfTI-2 magic (`n+1`, `n+2`). */
export function hasNiftiMagic(bytes: Uint8Array): boolean {
  const at = (i: number): number => bytes[i] ?? -1;
  const nPlus = (o: number, v: number): boolean =>
    at(o) === 0x6e && at(o + 1) === 0x2b && at(o + 2) === v && at(o + 3) === 0;
  return nPlus(344, 0x31) || nPlus(4, 0x32);
}

/** True when the file name marks a label map: `*_gt.nii` or `*_gt.nii.gz` (ACDC). */
export function isLabelFileName(name: string): boolean {
  return /_gt\.nii(\.gz)?$/i.test(name);
}

/** Size of a NIfTI-1 header, bytes. */
const HEADER_BYTES = 348;

/** What the header says about the voxels: enough to read them, or to know how big the file must be. */
interface NiftiLayout {
  header: NIFTI1;
  dims: VolumeDims;
  datatype: NiftiDatatypeName;
  /** Where the voxels start. */
  voxOffset: number;
  /** voxOffset + voxel bytes: the size the file must have. */
  bytesNeeded: number;
}

/**
 * Parses a `.nii` / `.nii.gz` file.
 * @throws LoadError naming the file when it is truncated, inflates beyond what its header describes, is not
 *   NIfTI-1, has absurd dimensions or pixel spacing, or an unsupported datatype.
 */
export function readNifti(file: InputFile): NiftiImage {
  const bytes = isGzip(file.bytes) ? gunzipNifti(file) : file.bytes;
  const layout = readLayout(bytes, file.name);
  const { header, dims, datatype } = layout;
  const raw = readVoxels(bytes, layout, file.name);
  const spatialScale = spatialUnitsToMm(header.xyzt_units);
  const spacingMm = readSpacing(header, spatialScale, file.name);
  const affine = readAffine(header, bytes).map((v, i) => (i < 12 ? v * spatialScale : v));
  const times = frameTimes(header, dims.frames);
  return {
    volume: {
      data: raw,
      dims,
      spacingMm,
      affine,
      frameTimesMs: times.timesMs,
      meta: { source: 'nifti', name: file.name },
    },
    datatype,
    isLabel: isLabelFileName(file.name),
    frameTimesKnown: times.known,
  };
}

/**
 * Inflates a .nii.gz no further than its header allows: the header is read from the first bytes, and the stream is
 * stopped once it passes the size that header describes plus `INPUT_LIMITS.gzipSlackBytes`.
 */
function gunzipNifti(file: InputFile): Uint8Array {
  const name = file.name;
  let described: NiftiLayout | undefined;
  try {
    return inflateBounded(file.bytes, 'gzip', {
      maxBytes: INPUT_LIMITS.maxFileBytes,
      peekBytes: HEADER_BYTES,
      refine: (head) => {
        described = readLayout(head, name);
        return described.bytesNeeded + INPUT_LIMITS.gzipSlackBytes;
      },
    });
  } catch (e) {
    if (e instanceof LoadError) throw e;
    if (e instanceof InflateLimitError) {
      const d = described?.dims;
      const what = d
        ? `its header describes ${d.cols}×${d.rows}×${d.slices}×${d.frames} ${described?.datatype} voxels, ` +
          `${formatBytes(described?.bytesNeeded ?? 0)} in all`
        : `the limit is ${formatBytes(e.limitBytes)}`;
      throw new LoadError(
        `${name} inflates to more than ${formatBytes(e.limitBytes)} but ${what}. It is damaged or not a genuine ` +
          'image (a decompression bomb); cineseg stopped reading it.',
        name,
      );
    }
    const why = e instanceof Error ? e.message : String(e);
    if (/unexpected EOF/i.test(why)) {
      throw new LoadError(`${name} is truncated: its compressed data ends early. Copy or download it again.`, name);
    }
    throw new LoadError(
      `${name} could not be decompressed (${why}); the .gz file is damaged. Copy or download it again.`,
      name,
    );
  }
}

/**
 * Checks and reads the header: signature, dimensions, datatype, where the voxels start.
 * Works on the first bytes alone (of a .nii.gz still being inflated); the voxels are checked by `readVoxels`.
 */
function readLayout(bytes: Uint8Array, name: string): NiftiLayout {
  if (bytes.length < HEADER_BYTES) {
    throw new LoadError(
      `${name} is too short to be a NIfTI image (${bytes.length} bytes; a header alone is ${HEADER_BYTES}). The file may be truncated.`,
      name,
    );
  }
  // nifti-reader-js gets a copy of the 348 header bytes only: it then neither parses extensions (its parser loops or
  // throws on damaged ones) nor tries to decompress (it does when byte 0 or 1 looks like gzip).
  const buffer = bytes.slice(0, HEADER_BYTES).buffer;
  if (isNIFTI2(buffer)) {
    throw new LoadError(`${name} is a NIfTI-2 file, which cineseg cannot read yet; save it as NIfTI-1.`, name);
  }
  if (!isNIFTI1(buffer)) {
    if (isNIFTI1(buffer, true)) {
      throw new LoadError(
        `${name} is the header of a .hdr/.img pair; cineseg reads single-file NIfTI (.nii or .nii.gz) only.`,
        name,
      );
    }
    throw new LoadError(`${name} is not a NIfTI image (no "n+1" signature in its header).`, name);
  }
  const view = new DataView(buffer);
  if (view.getInt32(0, true) !== HEADER_BYTES && view.getInt32(0, false) !== HEADER_BYTES) {
    throw new LoadError(
      `${name} has a damaged NIfTI header (sizeof_hdr is ${view.getInt32(0, true)}, not ${HEADER_BYTES}).`,
      name,
    );
  }
  let header: NIFTI1;
  try {
    header = readHeader(buffer) as NIFTI1;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new LoadError(`${name} has a damaged NIfTI header (${why}).`, name);
  }
  const dims = readDims(header, name);
  const datatype = datatypeName(header.datatypeCode, name);
  if (!Number.isFinite(header.vox_offset) || header.vox_offset < 0) {
    throw new LoadError(
      `${name} has a damaged NIfTI header: vox_offset (where the voxels start) is ${header.vox_offset}.`,
      name,
    );
  }
  const voxOffset = Math.max(Math.floor(header.vox_offset), HEADER_BYTES);
  const bytesNeeded = voxOffset + dims.cols * dims.rows * dims.slices * dims.frames * NIFTI_BYTES[datatype];
  if (bytesNeeded > INPUT_LIMITS.maxFileBytes) {
    throw new LoadError(
      `${name} describes ${formatBytes(bytesNeeded)} of image data, more than cineseg reads (${formatBytes(INPUT_LIMITS.maxFileBytes)} per file). ` +
        'The header may be damaged.',
      name,
    );
  }
  return { header, dims, datatype, voxOffset, bytesNeeded };
}

function readDims(header: NIFTI1, name: string): VolumeDims {
  const d = header.dims;
  const rank = d[0] ?? 0;
  if (rank < 1 || rank > 7) {
    throw new LoadError(`${name} has an invalid number of dimensions (${rank}); the header is damaged.`, name);
  }
  const dim = (i: number): number => (i <= rank ? (d[i] ?? 0) : 1);
  for (let i = 5; i <= rank; i++) {
    if (dim(i) !== 1) {
      throw new LoadError(
        `${name} has ${rank} dimensions (size ${dim(i)} along dimension ${i}); cineseg reads 3D or 4D (x, y, slice, time) images.`,
        name,
      );
    }
  }
  const dims: VolumeDims = { cols: dim(1), rows: dim(2), slices: dim(3), frames: dim(4) };
  const shape = `${dims.cols}×${dims.rows}×${dims.slices}×${dims.frames}`;
  if (dims.cols < 1 || dims.rows < 1 || dims.slices < 1 || dims.frames < 1) {
    throw new LoadError(`${name} has an empty or invalid size (${shape}); the header is damaged.`, name);
  }
  const L = INPUT_LIMITS;
  const total = dims.cols * dims.rows * dims.slices * dims.frames;
  if (
    dims.cols > L.maxPixelsPerSide ||
    dims.rows > L.maxPixelsPerSide ||
    dims.cols * dims.rows > L.maxPixelsPerImage ||
    dims.slices > L.maxSlices ||
    dims.frames > L.maxFrames ||
    total > L.maxVoxels
  ) {
    throw new LoadError(
      `${name} has an implausible size for a cardiac cine (${shape}; limits: ${L.maxPixelsPerSide} pixels per side, ` +
        `${L.maxSlices} slices, ${L.maxFrames} frames, ${L.maxVoxels} voxels). The header may be damaged.`,
      name,
    );
  }
  return dims;
}

function datatypeName(code: number, name: string): NiftiDatatypeName {
  for (const [k, v] of Object.entries(NiftiDatatype)) {
    if (v === code) return k as NiftiDatatypeName;
  }
  const known: Record<number, string> = {
    1: 'binary',
    32: 'complex64',
    128: 'RGB',
    1024: 'int64',
    1280: 'uint64',
    1536: 'float128',
    1792: 'complex128',
    2048: 'complex256',
    2304: 'RGBA',
  };
  throw new LoadError(
    `${name} stores voxels as ${known[code] ?? `datatype code ${code}`}, which cineseg does not read; ` +
      'save it as integers or float32 grey values.',
    name,
  );
}

function readVoxels(bytes: Uint8Array, layout: NiftiLayout, name: string): Float32Array {
  const { header, dims, datatype } = layout;
  const n = dims.cols * dims.rows * dims.slices * dims.frames;
  const bpv = NIFTI_BYTES[datatype];
  const offset = layout.voxOffset;
  const needed = layout.bytesNeeded;
  if (bytes.length < needed) {
    throw new LoadError(
      `${name} is truncated: its header promises ${needed} bytes but the file holds ${bytes.length}. Copy or download it again.`,
      name,
    );
  }
  // A fresh, aligned copy lets us use typed arrays whatever vox_offset is.
  const copy = bytes.slice(offset, needed);
  if (!header.littleEndian && bpv > 1) swapBytes(copy, bpv);
  const src = typedView(copy.buffer, datatype);
  const out = new Float32Array(n);
  const slope = header.scl_slope;
  const inter = header.scl_inter;
  // NIfTI: a slope of 0 (or NaN) means "no scaling".
  if (Number.isFinite(slope) && slope !== 0 && (slope !== 1 || (Number.isFinite(inter) && inter !== 0))) {
    const b = Number.isFinite(inter) ? inter : 0;
    for (let i = 0; i < n; i++) out[i] = (src[i] ?? 0) * slope + b;
  } else {
    for (let i = 0; i < n; i++) out[i] = src[i] ?? 0;
  }
  return out;
}

/** Typed array of a datatype over a buffer (little-endian, aligned). */
export function typedView(
  buffer: ArrayBufferLike,
  datatype: NiftiDatatypeName,
): Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array {
  switch (datatype) {
    case 'uint8':
      return new Uint8Array(buffer);
    case 'int8':
      return new Int8Array(buffer);
    case 'int16':
      return new Int16Array(buffer);
    case 'uint16':
      return new Uint16Array(buffer);
    case 'int32':
      return new Int32Array(buffer);
    case 'uint32':
      return new Uint32Array(buffer);
    case 'float32':
      return new Float32Array(buffer);
    case 'float64':
      return new Float64Array(buffer);
  }
}

/** Reverses the byte order of each `width`-byte word in place. */
export function swapBytes(b: Uint8Array, width: number): void {
  for (let i = 0; i + width <= b.length; i += width) {
    for (let lo = i, hi = i + width - 1; lo < hi; lo++, hi--) {
      const t = b[lo] ?? 0;
      b[lo] = b[hi] ?? 0;
      b[hi] = t;
    }
  }
}

function readAffine(header: NIFTI1, bytes: Uint8Array): number[] {
  if (header.sform_code > 0) {
    // Read srow_x/y/z directly: nifti-reader-js prefers the qform whenever qform_code > sform_code.
    const view = new DataView(bytes.buffer, bytes.byteOffset, 348);
    const a: number[] = [];
    for (let i = 0; i < 12; i++) a.push(view.getFloat32(280 + 4 * i, header.littleEndian));
    return [...a, 0, 0, 0, 1];
  }
  if (header.qform_code > 0) return header.affine.flat().slice(0, 16);
  const p = header.pixDims;
  return [p[1] ?? 1, 0, 0, 0, 0, p[2] ?? 1, 0, 0, 0, 0, p[3] ?? 1, 0, 0, 0, 0, 1];
}

const PIXDIM_AXES = ['between columns', 'between rows', 'between slices'] as const;

/**
 * Spacing from pixdim[1..3]. A value that is 0, negative, not a number or absurd is refused rather than replaced:
 * volumes and EF computed from it would be wrong without a word. Axes beyond the image's rank (pixdim[3] of a 2D
 * file) are not read and count as 1 mm.
 */
function readSpacing(header: NIFTI1, spatialScale: number, name: string): SpacingMm {
  const rank = header.dims[0] ?? 0;
  const mm = [1, 2, 3].map((axis) => {
    if (axis > rank) return 1;
    const value = (header.pixDims[axis] ?? Number.NaN) * spatialScale;
    const kind = axis === 3 ? 'slice' : 'in-plane';
    const problem = spacingProblem(value, kind);
    if (problem !== undefined) {
      const units = spatialScale === 1 ? '' : ` (${header.pixDims[axis]} in the units xyzt_units gives)`;
      throw new LoadError(
        `${name} has an implausible pixel spacing: pixdim[${axis}] (${PIXDIM_AXES[axis - 1]}) ${problem}${units}. ` +
          `cineseg needs ${spacingRange('in-plane')} within a slice and ${spacingRange('slice')} between slices; ` +
          'volumes cannot be measured without it. Export the image again with its spacing, or correct the header.',
        name,
      );
    }
    return value;
  });
  return { col: mm[0] ?? 1, row: mm[1] ?? 1, slice: mm[2] ?? 1 };
}

function spatialUnitsToMm(xyztUnits: number): number {
  switch (xyztUnits & 0x07) {
    case 1:
      return 1000; // metres
    case 3:
      return 0.001; // microns
    default:
      return 1; // mm or unknown
  }
}

/** A cine frame lasting more than this is not a cine frame: treat the time step as unknown. */
const MAX_FRAME_MS = 1000;

function frameTimes(header: NIFTI1, frames: number): { timesMs: number[]; known: boolean } {
  const dt = header.pixDims[4] ?? 0;
  let scale: number;
  switch (header.xyzt_units & 0x38) {
    case 8:
      scale = 1000; // seconds
      break;
    case 16:
      scale = 1; // ms
      break;
    case 24:
      scale = 0.001; // µs
      break;
    default:
      // Unknown units: a value below 10 is almost surely seconds, otherwise milliseconds.
      scale = dt < 10 ? 1000 : 1;
  }
  const dtMs = dt * scale;
  if (frames < 2 || !(dtMs > 0) || dtMs > MAX_FRAME_MS) {
    return { timesMs: new Array<number>(frames).fill(Number.NaN), known: false };
  }
  const t0 = Number.isFinite(header.toffset) ? header.toffset * scale : 0;
  return { timesMs: Array.from({ length: frames }, (_, i) => t0 + i * dtMs), known: true };
}

/**
 * Reads one NIfTI-1 file (`.nii` or `.nii.gz`) into a `Volume`.
 *
 * Geometry: affine from the sform (sform_code > 0), else the qform, else a pixdim diagonal; spacing from
 * pixdim; frame times from pixdim[4] in the units xyzt_units gives. Intensities are scaled by
 * scl_slope/scl_inter when the slope is non-zero.
 */
import { gunzipSync } from 'fflate';
import { isNIFTI1, isNIFTI2, NIFTI1, readHeader } from 'nifti-reader-js';
import type { Volume, VolumeDims } from '@/core/volume';
import { LoadError } from './errors';
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

/** Limits beyond which a file is treated as corrupt rather than a cardiac cine. */
export const NIFTI_LIMITS = {
  maxInPlane: 2048,
  maxSlices: 512,
  maxFrames: 1024,
  maxVoxels: 300_000_000,
} as const;

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

/**
 * Parses a `.nii` / `.nii.gz` file.
 * @throws LoadError naming the file when it is truncated, not NIfTI-1, has absurd dimensions or an
 *   unsupported datatype.
 */
export function readNifti(file: InputFile): NiftiImage {
  const bytes = isGzip(file.bytes) ? gunzipOrThrow(file) : file.bytes;
  // nifti-reader-js wants an ArrayBuffer that starts at the header.
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  if (bytes.length < 348) {
    throw new LoadError(
      `${file.name} is too short to be a NIfTI image (${bytes.length} bytes; a header alone is 348). The file may be truncated.`,
      file.name,
    );
  }
  if (isNIFTI2(buffer)) {
    throw new LoadError(
      `${file.name} is a NIfTI-2 file, which cineseg cannot read yet; save it as NIfTI-1.`,
      file.name,
    );
  }
  if (!isNIFTI1(buffer)) {
    if (isNIFTI1(buffer, true)) {
      throw new LoadError(
        `${file.name} is the header of a .hdr/.img pair; cineseg reads single-file NIfTI (.nii or .nii.gz) only.`,
        file.name,
      );
    }
    throw new LoadError(`${file.name} is not a NIfTI image (no "n+1" signature in its header).`, file.name);
  }
  const header = readHeader(buffer) as NIFTI1;
  const dims = readDims(header, file.name);
  const datatype = datatypeName(header.datatypeCode, file.name);
  const raw = readVoxels(bytes, header, dims, datatype, file.name);
  const spatialScale = spatialUnitsToMm(header.xyzt_units);
  const spacingMm = {
    col: Math.abs(header.pixDims[1] ?? 1) * spatialScale || 1,
    row: Math.abs(header.pixDims[2] ?? 1) * spatialScale || 1,
    slice: Math.abs(header.pixDims[3] ?? 1) * spatialScale || 1,
  };
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

function gunzipOrThrow(file: InputFile): Uint8Array {
  try {
    return gunzipSync(file.bytes);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new LoadError(
      `${file.name} could not be decompressed (${why}); the .gz file is probably truncated or damaged. Copy or download it again.`,
      file.name,
    );
  }
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
  const L = NIFTI_LIMITS;
  const total = dims.cols * dims.rows * dims.slices * dims.frames;
  if (
    dims.cols > L.maxInPlane ||
    dims.rows > L.maxInPlane ||
    dims.slices > L.maxSlices ||
    dims.frames > L.maxFrames ||
    total > L.maxVoxels
  ) {
    throw new LoadError(
      `${name} has an implausible size for a cardiac cine (${shape}; limits: ${L.maxInPlane} pixels per side, ` +
        `${L.maxSlices} slices, ${L.maxFrames} frames). The header may be damaged.`,
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

function readVoxels(
  bytes: Uint8Array,
  header: NIFTI1,
  dims: VolumeDims,
  datatype: NiftiDatatypeName,
  name: string,
): Float32Array {
  const n = dims.cols * dims.rows * dims.slices * dims.frames;
  const bpv = NIFTI_BYTES[datatype];
  const offset = Math.max(Math.floor(header.vox_offset), 348);
  const needed = offset + n * bpv;
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

/**
 * Writes NIfTI-1 single files (`.nii`, optionally gzipped to `.nii.gz`) that `readNifti` (and ITK-SNAP,
 * 3D Slicer, nibabel) read back with the same grid, spacing, affine and frame times.
 *
 * NIfTI-1 stores geometry as float32, so spacing and affine come back rounded to float32.
 * Frame times are stored as a start (toffset) and a constant step (pixdim[4], ms): uneven DICOM
 * trigger times come back evenly spaced.
 */
import { gzipSync } from 'fflate';
import type { LabelVolume, Volume } from '@/core/volume';
import { NIFTI_BYTES, NiftiDatatype, type NiftiDatatypeName } from './nifti';

export interface WriteNiftiOptions {
  /** Gzip the output (`.nii.gz`). Default true. */
  gzip?: boolean;
  /** Stored datatype. Default float32 (exact for any Volume). Integer types round and clamp. */
  datatype?: NiftiDatatypeName;
  /** scl_slope / scl_inter: stored = (value - inter) / slope. Default slope 1, inter 0. */
  scale?: { slope: number; inter: number };
  /** Up to 79 ASCII characters for the header's descrip field. */
  description?: string;
}

const HEADER_BYTES = 348;
const VOX_OFFSET = 352; // header + 4-byte extension flag

const RANGES: Partial<Record<NiftiDatatypeName, [number, number]>> = {
  uint8: [0, 255],
  int8: [-128, 127],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

/**
 * Encodes a volume as a NIfTI-1 file (sform and qform both set, code 1 = scanner anatomical).
 * @returns the file's bytes, gzipped unless `opts.gzip === false`.
 */
export function writeNifti(volume: Volume, opts: WriteNiftiOptions = {}): Uint8Array {
  const datatype = opts.datatype ?? 'float32';
  const slope = opts.scale?.slope ?? 1;
  const inter = opts.scale?.inter ?? 0;
  const bpv = NIFTI_BYTES[datatype];
  const n = volume.data.length;
  const out = new Uint8Array(VOX_OFFSET + n * bpv);
  writeHeader(out, volume, datatype, slope, inter, opts.description ?? 'cineseg');
  encodeVoxels(out.subarray(VOX_OFFSET), volume.data, datatype, slope, inter);
  return opts.gzip === false ? out : gzipSync(out, { level: 6, mtime: 0 });
}

/**
 * Encodes a label map as a uint8 NIfTI-1 file on the grid of `ref` (the image it labels).
 * @throws Error when the label grid differs from `ref`'s (a programming error, not a user one).
 */
export function writeNiftiLabels(labels: LabelVolume, ref: Volume, gzip = true): Uint8Array {
  const a = labels.dims;
  const b = ref.dims;
  if (a.cols !== b.cols || a.rows !== b.rows || a.slices !== b.slices || a.frames !== b.frames) {
    throw new Error(
      `label grid ${a.cols}×${a.rows}×${a.slices}×${a.frames} differs from image grid ${b.cols}×${b.rows}×${b.slices}×${b.frames}`,
    );
  }
  const asVolume: Volume = { ...ref, data: Float32Array.from(labels.data) };
  return writeNifti(asVolume, { gzip, datatype: 'uint8', description: 'cineseg labels 1=RV 2=myo 3=LV' });
}

function writeHeader(
  out: Uint8Array,
  v: Volume,
  datatype: NiftiDatatypeName,
  slope: number,
  inter: number,
  description: string,
): void {
  const h = new DataView(out.buffer, out.byteOffset, VOX_OFFSET);
  const le = true;
  const { cols, rows, slices, frames } = v.dims;
  h.setInt32(0, HEADER_BYTES, le);
  h.setUint8(38, 0x72); // 'r' (regular), as nifti1_io writes
  const rank = frames > 1 ? 4 : 3;
  [rank, cols, rows, slices, frames, 1, 1, 1].forEach((d, i) => h.setInt16(40 + 2 * i, d, le));
  h.setInt16(70, NiftiDatatype[datatype], le);
  h.setInt16(72, NIFTI_BYTES[datatype] * 8, le);

  const q = affineToQuatern(v.affine);
  const times = v.frameTimesMs;
  const t0 = times[0] ?? Number.NaN;
  const t1 = times[1] ?? Number.NaN;
  const dtMs = frames > 1 && Number.isFinite(t1 - t0) && t1 > t0 ? t1 - t0 : 0;
  const pixdim = [q.qfac, v.spacingMm.col, v.spacingMm.row, v.spacingMm.slice, dtMs, 0, 0, 0];
  pixdim.forEach((p, i) => h.setFloat32(76 + 4 * i, p, le));
  h.setFloat32(108, VOX_OFFSET, le);
  h.setFloat32(112, slope, le);
  h.setFloat32(116, inter, le);
  h.setUint8(123, dtMs > 0 ? 2 | 16 : 2); // mm, and ms when frame times are known
  h.setFloat32(136, dtMs > 0 ? t0 : 0, le);
  writeAscii(out, 148, 80, description);
  h.setInt16(252, 1, le); // qform_code: scanner anatomical
  h.setInt16(254, 1, le); // sform_code: scanner anatomical
  [q.b, q.c, q.d, q.x, q.y, q.z].forEach((p, i) => h.setFloat32(256 + 4 * i, p, le));
  for (let i = 0; i < 12; i++) h.setFloat32(280 + 4 * i, v.affine[i] ?? 0, le);
  writeAscii(out, 344, 4, 'n+1');
}

function writeAscii(out: Uint8Array, offset: number, size: number, text: string): void {
  for (let i = 0; i < Math.min(text.length, size - 1); i++) out[offset + i] = text.charCodeAt(i) & 0x7f;
}

function encodeVoxels(
  dst: Uint8Array,
  src: Float32Array,
  datatype: NiftiDatatypeName,
  slope: number,
  inter: number,
): void {
  const n = src.length;
  const view = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
  const range = RANGES[datatype];
  const scaled = (i: number): number => ((src[i] ?? 0) - inter) / slope;
  if (!range) {
    if (datatype === 'float64') for (let i = 0; i < n; i++) view.setFloat64(8 * i, scaled(i), true);
    else for (let i = 0; i < n; i++) view.setFloat32(4 * i, scaled(i), true);
    return;
  }
  const [lo, hi] = range;
  const bpv = NIFTI_BYTES[datatype];
  for (let i = 0; i < n; i++) {
    const r = Math.round(scaled(i));
    const x = r < lo ? lo : r > hi ? hi : Number.isNaN(r) ? 0 : r;
    const o = i * bpv;
    switch (datatype) {
      case 'uint8':
        view.setUint8(o, x);
        break;
      case 'int8':
        view.setInt8(o, x);
        break;
      case 'int16':
        view.setInt16(o, x, true);
        break;
      case 'uint16':
        view.setUint16(o, x, true);
        break;
      case 'int32':
        view.setInt32(o, x, true);
        break;
      default:
        view.setUint32(o, x, true);
    }
  }
}

interface Quatern {
  b: number;
  c: number;
  d: number;
  x: number;
  y: number;
  z: number;
  qfac: number;
}

/**
 * Quaternion form of the rotation in a row-major 4x4 affine, as nifti1_io's nifti_mat44_to_quatern
 * (assumes orthogonal axes, which every scanner grid has).
 */
export function affineToQuatern(m: number[]): Quatern {
  const at = (r: number, c: number): number => m[4 * r + c] ?? 0;
  const col = (c: number): [number, number, number] => {
    const v: [number, number, number] = [at(0, c), at(1, c), at(2, c)];
    const len = Math.hypot(...v);
    if (len === 0) return c === 0 ? [1, 0, 0] : c === 1 ? [0, 1, 0] : [0, 0, 1];
    return [v[0] / len, v[1] / len, v[2] / len];
  };
  const [r11, r21, r31] = col(0);
  const [r12, r22, r32] = col(1);
  let [r13, r23, r33] = col(2);
  const det = r11 * (r22 * r33 - r32 * r23) - r12 * (r21 * r33 - r31 * r23) + r13 * (r21 * r32 - r31 * r22);
  let qfac = 1;
  if (det < 0) {
    qfac = -1;
    r13 = -r13;
    r23 = -r23;
    r33 = -r33;
  }
  let a = r11 + r22 + r33 + 1;
  let b: number;
  let c: number;
  let d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r32 - r23)) / a;
    c = (0.25 * (r13 - r31)) / a;
    d = (0.25 * (r21 - r12)) / a;
  } else {
    const xd = 1 + r11 - (r22 + r33);
    const yd = 1 + r22 - (r11 + r33);
    const zd = 1 + r33 - (r11 + r22);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r12 + r21)) / b;
      d = (0.25 * (r13 + r31)) / b;
      a = (0.25 * (r32 - r23)) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r12 + r21)) / c;
      d = (0.25 * (r23 + r32)) / c;
      a = (0.25 * (r13 - r31)) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r13 + r31)) / d;
      c = (0.25 * (r23 + r32)) / d;
      a = (0.25 * (r21 - r12)) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { b, c, d, x: at(0, 3), y: at(1, 3), z: at(2, 3), qfac };
}

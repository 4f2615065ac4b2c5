/**
 * A minimal DICOM writer for tests (unit and e2e): one classic single-frame MR image per call, in
 * Explicit VR Little Endian by default, or Implicit VR Little Endian, Explicit VR Big Endian, or any
 * compressed syntax UID (pixels then go into an encapsulated fragment as given, undecoded).
 *
 * A cine, one file per image: `writeDicomCine` (with `volumePixels` to write a Volume's images).
 * Test code only: nothing in the app imports it.
 */
import { sliceOffset, type Volume } from '../../core/volume';

export const MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4';
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
export const EXPLICIT_VR_BIG_ENDIAN = '1.2.840.10008.1.2.2';
export const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';

export interface SyntheticDicomOptions {
  /** Image height in pixels. Default 8. */
  rows?: number;
  /** Image width in pixels. Default 8. */
  cols?: number;
  /** Stored values, rows × cols, column fastest (before rescale). Default: all zero. */
  pixels?: ArrayLike<number>;
  /** 8 or 16 bits per pixel. Default 16. */
  bitsAllocated?: 8 | 16;
  /** BitsStored; default = bitsAllocated. */
  bitsStored?: number;
  /** 1 for signed pixels. Default 0 (unsigned). */
  pixelRepresentation?: 0 | 1;
  seriesInstanceUid?: string;
  studyInstanceUid?: string;
  /** Default: `<seriesInstanceUid>.<instanceNumber>`. */
  sopInstanceUid?: string;
  sopClassUid?: string;
  seriesDescription?: string;
  seriesNumber?: number;
  modality?: string;
  /** ImagePositionPatient (LPS mm). Default [0, 0, 0]. */
  imagePositionPatient?: [number, number, number];
  /** ImageOrientationPatient: row cosine then column cosine. Default [1, 0, 0, 0, 1, 0]. */
  imageOrientationPatient?: [number, number, number, number, number, number];
  /** PixelSpacing as DICOM stores it: [row spacing, column spacing] mm. Default [1, 1]. */
  pixelSpacing?: [number, number];
  sliceThickness?: number;
  /** TriggerTime, ms; omitted when undefined. */
  triggerTime?: number;
  /** InstanceNumber. Default 1. */
  instanceNumber?: number;
  rescaleSlope?: number;
  rescaleIntercept?: number;
  /** HeartRate (0018,1088), bpm. */
  heartRate?: number;
  /** NominalInterval (0018,1062), ms. */
  nominalInterval?: number;
  /** DA strings, e.g. `20240131`. */
  studyDate?: string;
  seriesDate?: string;
  /** Patient module (0010,xxxx); each only written when given. PatientName in PN form, `Family^Given`. */
  patientId?: string;
  patientName?: string;
  patientSex?: 'M' | 'F' | 'O';
  /** PatientSize, metres. */
  patientSize?: number;
  /** PatientWeight, kg. */
  patientWeight?: number;
  /** NumberOfFrames (0028,0008); only written when given. */
  numberOfFrames?: number;
  /** Default Explicit VR Little Endian. */
  transferSyntaxUid?: string;
  /** Leave out (7FE0,0010): a header-only object. */
  omitPixelData?: boolean;
  /** Leave out ImagePositionPatient and ImageOrientationPatient. */
  omitGeometry?: boolean;
  /**
   * Write the 128-byte preamble, "DICM" and the meta group (default true). false writes a raw
   * Implicit VR Little Endian data set, as some old exports do.
   */
  preamble?: boolean;
}

type Value = string | number[] | Uint8Array;

interface Element {
  group: number;
  element: number;
  vr: string;
  /** string for text VRs, numbers for US/UL, raw bytes (already in file byte order) for OB/OW. */
  value: Value;
}

const LONG_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

/** Encodes one DICOM image file. See `SyntheticDicomOptions` for the defaults. */
export function writeDicom(o: SyntheticDicomOptions = {}): Uint8Array {
  const syntax = o.preamble === false ? IMPLICIT_VR_LITTLE_ENDIAN : (o.transferSyntaxUid ?? EXPLICIT_VR_LITTLE_ENDIAN);
  const rows = o.rows ?? 8;
  const cols = o.cols ?? 8;
  const series = o.seriesInstanceUid ?? '1.2.826.0.1.3680043.2.1125.1';
  const instance = o.instanceNumber ?? 1;
  const sop = o.sopInstanceUid ?? `${series}.${instance}`;
  const sopClass = o.sopClassUid ?? MR_IMAGE_STORAGE;
  const bits = o.bitsAllocated ?? 16;
  const bigEndian = syntax === EXPLICIT_VR_BIG_ENDIAN;
  const ds = (v: number): string => formatDs(v);

  const els: Element[] = [
    { group: 0x0008, element: 0x0016, vr: 'UI', value: sopClass },
    { group: 0x0008, element: 0x0018, vr: 'UI', value: sop },
    { group: 0x0008, element: 0x0060, vr: 'CS', value: o.modality ?? 'MR' },
    { group: 0x0020, element: 0x000d, vr: 'UI', value: o.studyInstanceUid ?? '1.2.826.0.1.3680043.2.1125.9' },
    { group: 0x0020, element: 0x000e, vr: 'UI', value: series },
    { group: 0x0020, element: 0x0013, vr: 'IS', value: String(instance) },
    { group: 0x0028, element: 0x0002, vr: 'US', value: [1] },
    { group: 0x0028, element: 0x0004, vr: 'CS', value: 'MONOCHROME2' },
    { group: 0x0028, element: 0x0010, vr: 'US', value: [rows] },
    { group: 0x0028, element: 0x0011, vr: 'US', value: [cols] },
    { group: 0x0028, element: 0x0030, vr: 'DS', value: (o.pixelSpacing ?? [1, 1]).map(ds).join('\\') },
    { group: 0x0028, element: 0x0100, vr: 'US', value: [bits] },
    { group: 0x0028, element: 0x0101, vr: 'US', value: [o.bitsStored ?? bits] },
    { group: 0x0028, element: 0x0102, vr: 'US', value: [(o.bitsStored ?? bits) - 1] },
    { group: 0x0028, element: 0x0103, vr: 'US', value: [o.pixelRepresentation ?? 0] },
  ];
  const opt = (group: number, element: number, vr: string, v: string | undefined): void => {
    if (v !== undefined) els.push({ group, element, vr, value: v });
  };
  opt(0x0008, 0x0020, 'DA', o.studyDate);
  opt(0x0010, 0x0010, 'PN', o.patientName);
  opt(0x0010, 0x0020, 'LO', o.patientId);
  opt(0x0010, 0x0040, 'CS', o.patientSex);
  opt(0x0010, 0x1020, 'DS', o.patientSize === undefined ? undefined : ds(o.patientSize));
  opt(0x0010, 0x1030, 'DS', o.patientWeight === undefined ? undefined : ds(o.patientWeight));
  opt(0x0008, 0x0021, 'DA', o.seriesDate);
  opt(0x0008, 0x103e, 'LO', o.seriesDescription);
  opt(0x0018, 0x0050, 'DS', o.sliceThickness === undefined ? undefined : ds(o.sliceThickness));
  opt(0x0018, 0x1060, 'DS', o.triggerTime === undefined ? undefined : ds(o.triggerTime));
  opt(0x0018, 0x1062, 'IS', o.nominalInterval === undefined ? undefined : String(Math.round(o.nominalInterval)));
  opt(0x0018, 0x1088, 'IS', o.heartRate === undefined ? undefined : String(Math.round(o.heartRate)));
  opt(0x0020, 0x0011, 'IS', o.seriesNumber === undefined ? undefined : String(o.seriesNumber));
  opt(0x0028, 0x0008, 'IS', o.numberOfFrames === undefined ? undefined : String(o.numberOfFrames));
  opt(0x0028, 0x1052, 'DS', o.rescaleIntercept === undefined ? undefined : ds(o.rescaleIntercept));
  opt(0x0028, 0x1053, 'DS', o.rescaleSlope === undefined ? undefined : ds(o.rescaleSlope));
  if (!o.omitGeometry) {
    opt(0x0020, 0x0032, 'DS', (o.imagePositionPatient ?? [0, 0, 0]).map(ds).join('\\'));
    opt(0x0020, 0x0037, 'DS', (o.imageOrientationPatient ?? [1, 0, 0, 0, 1, 0]).map(ds).join('\\'));
  }
  const pixelBytes = encodePixels(o.pixels, rows * cols, bits, bigEndian);
  els.sort((a, b) => a.group - b.group || a.element - b.element);

  const body = new ByteWriter(bigEndian);
  for (const el of els) writeElement(body, el, syntax);
  if (!o.omitPixelData) {
    if (isNative(syntax))
      writeElement(body, { group: 0x7fe0, element: 0x0010, vr: bits === 8 ? 'OB' : 'OW', value: pixelBytes }, syntax);
    else writeEncapsulated(body, pixelBytes);
  }
  if (o.preamble === false) return body.bytes();

  const meta = new ByteWriter(false);
  const metaEls: Element[] = [
    { group: 0x0002, element: 0x0001, vr: 'OB', value: new Uint8Array([0, 1]) },
    { group: 0x0002, element: 0x0002, vr: 'UI', value: sopClass },
    { group: 0x0002, element: 0x0003, vr: 'UI', value: sop },
    { group: 0x0002, element: 0x0010, vr: 'UI', value: syntax },
    { group: 0x0002, element: 0x0012, vr: 'UI', value: '1.2.826.0.1.3680043.2.1125.77' },
  ];
  const metaBody = new ByteWriter(false);
  for (const el of metaEls) writeElement(metaBody, el, EXPLICIT_VR_LITTLE_ENDIAN);
  const metaBytes = metaBody.bytes();
  writeElement(
    meta,
    { group: 0x0002, element: 0x0000, vr: 'UL', value: [metaBytes.length] },
    EXPLICIT_VR_LITTLE_ENDIAN,
  );
  const head = meta.bytes();
  const bodyBytes = body.bytes();
  const out = new Uint8Array(132 + head.length + metaBytes.length + bodyBytes.length);
  out.set([0x44, 0x49, 0x43, 0x4d], 128);
  out.set(head, 132);
  out.set(metaBytes, 132 + head.length);
  out.set(bodyBytes, 132 + head.length + metaBytes.length);
  return out;
}

function isNative(syntax: string): boolean {
  return (
    syntax === EXPLICIT_VR_LITTLE_ENDIAN || syntax === IMPLICIT_VR_LITTLE_ENDIAN || syntax === EXPLICIT_VR_BIG_ENDIAN
  );
}

/** DS: at most 16 characters. */
function formatDs(v: number): string {
  const s = String(v);
  return s.length <= 16 ? s : v.toPrecision(10).replace(/\.?0+(e|$)/, '$1');
}

function encodePixels(pixels: ArrayLike<number> | undefined, n: number, bits: 8 | 16, bigEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(n * (bits / 8) + ((n * (bits / 8)) % 2));
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < n; i++) {
    const v = Math.round(pixels?.[i] ?? 0);
    if (bits === 8) view.setUint8(i, v & 0xff);
    else view.setUint16(2 * i, v & 0xffff, !bigEndian);
  }
  return bytes;
}

class ByteWriter {
  private chunks: Uint8Array[] = [];
  constructor(private readonly bigEndian: boolean) {}
  u16(v: number): void {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, v, !this.bigEndian);
    this.chunks.push(b);
  }
  u32(v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, !this.bigEndian);
    this.chunks.push(b);
  }
  raw(b: Uint8Array): void {
    this.chunks.push(b);
  }
  bytes(): Uint8Array {
    const n = this.chunks.reduce((a, c) => a + c.length, 0);
    const out = new Uint8Array(n);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

function valueBytes(el: Element, bigEndian: boolean): Uint8Array {
  if (el.value instanceof Uint8Array) return el.value;
  if (Array.isArray(el.value)) {
    const size = el.vr === 'UL' ? 4 : 2;
    const b = new Uint8Array(el.value.length * size);
    const view = new DataView(b.buffer);
    el.value.forEach((v, i) =>
      size === 4 ? view.setUint32(4 * i, v, !bigEndian) : view.setUint16(2 * i, v, !bigEndian),
    );
    return b;
  }
  const text = el.value;
  const padded = text.length % 2 === 0 ? text : text + (el.vr === 'UI' ? '\0' : ' ');
  return Uint8Array.from(padded, (c) => c.charCodeAt(0) & 0xff);
}

function writeElement(w: ByteWriter, el: Element, syntax: string): void {
  const bigEndian = syntax === EXPLICIT_VR_BIG_ENDIAN && el.group !== 0x0002;
  const ww = bigEndian ? new ByteWriter(true) : w;
  const v = valueBytes(el, bigEndian);
  ww.u16(el.group);
  ww.u16(el.element);
  if (syntax === IMPLICIT_VR_LITTLE_ENDIAN && el.group !== 0x0002) {
    ww.u32(v.length);
  } else {
    ww.raw(Uint8Array.from(el.vr, (c) => c.charCodeAt(0)));
    if (LONG_VRS.has(el.vr)) {
      ww.u16(0);
      ww.u32(v.length);
    } else {
      ww.u16(v.length);
    }
  }
  ww.raw(v);
  if (ww !== w) w.raw(ww.bytes());
}

/** Encapsulated pixel data (PS3.5 A.4): empty offset table, one fragment, sequence delimiter. */
function writeEncapsulated(w: ByteWriter, fragment: Uint8Array): void {
  w.u16(0x7fe0);
  w.u16(0x0010);
  w.raw(Uint8Array.from('OB', (c) => c.charCodeAt(0)));
  w.u16(0);
  w.u32(0xffffffff);
  w.u16(0xfffe);
  w.u16(0xe000);
  w.u32(0);
  w.u16(0xfffe);
  w.u16(0xe000);
  w.u32(fragment.length);
  w.raw(fragment);
  w.u16(0xfffe);
  w.u16(0xe0dd);
  w.u32(0);
}

/** One image of a synthetic cine: its slice, frame, InstanceNumber and encoded file. */
export interface CineImageFile {
  slice: number;
  frame: number;
  instanceNumber: number;
  bytes: Uint8Array;
}

/**
 * A cine as one DICOM file per (slice, frame), in slice-major order: slice s at ImagePositionPatient z = gap * s
 * (default 8 mm), frame f at TriggerTime frameMs * f (default 40 ms), InstanceNumber 1 + f + frames * s.
 * `pixels(s, f)` gives each image's stored values; `common` the options every file shares.
 */
export function writeDicomCine(o: {
  slices: number;
  frames: number;
  pixels: (slice: number, frame: number) => ArrayLike<number>;
  sliceGapMm?: number;
  frameMs?: number;
  common: SyntheticDicomOptions;
}): CineImageFile[] {
  const files: CineImageFile[] = [];
  for (let s = 0; s < o.slices; s++) {
    for (let f = 0; f < o.frames; f++) {
      const instanceNumber = 1 + f + o.frames * s;
      const bytes = writeDicom({
        ...o.common,
        pixels: o.pixels(s, f),
        imagePositionPatient: [0, 0, (o.sliceGapMm ?? 8) * s],
        triggerTime: (o.frameMs ?? 40) * f,
        instanceNumber,
      });
      files.push({ slice: s, frame: f, instanceNumber, bytes });
    }
  }
  return files;
}

/** `pixels` for writeDicomCine from a volume: image (s, f) rounded to stored values, negatives clipped to 0. */
export function volumePixels(volume: Volume): (slice: number, frame: number) => number[] {
  const plane = volume.dims.cols * volume.dims.rows;
  return (s, f) => {
    const o = sliceOffset(volume.dims, s, f);
    return Array.from(volume.data.subarray(o, o + plane), (v) => Math.max(0, Math.round(v)));
  };
}

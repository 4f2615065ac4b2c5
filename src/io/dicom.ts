/**
 * One DICOM file: detection, header fields cineseg needs, and decoding of uncompressed pixel data.
 * Grouping into series and sorting into (slice, frame) lives in `dicomSeries.ts`.
 */
import * as dicomParserModule from 'dicom-parser';
import type { DataSet } from 'dicom-parser';
import { LoadError } from './errors';
import { inflateBounded, InflateLimitError } from './inflate';
import { formatBytes, INPUT_LIMITS } from './limits';
import type { InputFile } from './types';

type DicomParserApi = typeof dicomParserModule;
// dicom-parser is a CommonJS/UMD bundle: Node's ESM loader exposes it only as `default`, Vite as both.
const dicomParser: DicomParserApi =
  (dicomParserModule as unknown as { default?: DicomParserApi }).default ?? dicomParserModule;

export const TransferSyntax = {
  implicitLittle: '1.2.840.10008.1.2',
  explicitLittle: '1.2.840.10008.1.2.1',
  deflatedExplicitLittle: '1.2.840.10008.1.2.1.99',
  explicitBig: '1.2.840.10008.1.2.2',
} as const;

const READABLE_SYNTAXES: ReadonlySet<string> = new Set(Object.values(TransferSyntax));

const SYNTAX_NAMES: Record<string, string> = {
  '1.2.840.10008.1.2.4.50': 'JPEG Baseline',
  '1.2.840.10008.1.2.4.51': 'JPEG Extended',
  '1.2.840.10008.1.2.4.57': 'JPEG Lossless',
  '1.2.840.10008.1.2.4.70': 'JPEG Lossless SV1',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS Near-Lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 Lossless',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
  '1.2.840.10008.1.2.4.201': 'HTJ2K Lossless',
  '1.2.840.10008.1.2.4.202': 'HTJ2K Lossless RPCL',
  '1.2.840.10008.1.2.4.203': 'HTJ2K',
  '1.2.840.10008.1.2.4.100': 'MPEG2',
  '1.2.840.10008.1.2.4.102': 'MPEG-4',
  '1.2.840.10008.1.2.4.110': 'MPEG-4',
  '1.2.840.10008.1.2.5': 'RLE Lossless',
};

/** Human name of a transfer syntax UID, e.g. `JPEG Baseline`, or `unknown` */
export function transferSyntaxName(uid: string): string {
  return SYNTAX_NAMES[uid] ?? 'unknown';
}

/** True when cineseg can decode pixel data stored with this transfer syntax. */
export function isReadableTransferSyntax(uid: string): boolean {
  return READABLE_SYNTAXES.has(uid);
}

const SOP_CLASS_DICOMDIR = '1.2.840.10008.1.3.10';
const SOP_CLASS_ENHANCED_MR = '1.2.840.10008.5.1.4.1.1.4.1';

/** The header fields of one DICOM file that cineseg uses, plus where its pixels are. */
export interface DicomImage {
  file: InputFile;
  dataSet: DataSet;
  transferSyntaxUid: string;
  sopClassUid: string;
  sopInstanceUid: string;
  seriesInstanceUid: string | undefined;
  seriesDescription: string | undefined;
  seriesNumber: number | undefined;
  modality: string | undefined;
  rows: number;
  cols: number;
  /** ImagePositionPatient, LPS mm. */
  position: [number, number, number] | undefined;
  /** ImageOrientationPatient: row direction cosine (x) then column direction cosine (y). */
  orientation: [number, number, number, number, number, number] | undefined;
  /** PixelSpacing as stored: [row spacing (between rows), column spacing (between columns)], mm. */
  pixelSpacing: [number, number] | undefined;
  sliceThicknessMm: number | undefined;
  triggerTimeMs: number | undefined;
  instanceNumber: number | undefined;
  rescaleSlope: number;
  rescaleIntercept: number;
  numberOfFrames: number;
  hasPixelData: boolean;
  /** DICOMDIR, structured reports and other objects that are not images. */
  isImageObject: boolean;
  isEnhancedMultiFrame: boolean;
  studyDate: string | undefined;
  seriesDate: string | undefined;
  heartRateBpm: number | undefined;
  nominalIntervalMs: number | undefined;
  cardiacNumberOfImages: number | undefined;
}

/** True when the bytes carry the DICOM Part 10 "DICM" magic at byte 128. */
export function hasDicomMagic(bytes: Uint8Array): boolean {
  return bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

/**
 * True when the bytes look like a raw DICOM data set without preamble (implicit VR little endian,
 * starting with an element of group 0008), as some old scanners and PACS exports write.
 */
export function looksLikeRawDicom(bytes: Uint8Array): boolean {
  return bytes.length > 16 && bytes[0] === 0x08 && bytes[1] === 0x00 && bytes[3] === 0x00;
}

/**
 * Parses the header of one DICOM file.
 * @returns undefined when the file is not DICOM at all (the caller decides whether to skip it).
 */
export function parseDicomFile(file: InputFile): DicomImage | undefined {
  const magic = hasDicomMagic(file.bytes);
  if (!magic && !looksLikeRawDicom(file.bytes)) return undefined;
  let ds: DataSet;
  try {
    ds = dicomParser.parseDicom(file.bytes, {
      ...(magic ? {} : { TransferSyntaxUID: TransferSyntax.implicitLittle }),
      inflater: inflateDeflated as unknown as (arr: Uint8Array, position: number) => void,
    });
  } catch (e) {
    if (!magic) return undefined;
    throw parseFailure(file.name, e);
  }
  // Implicit VR data sets are not checked by dicom-parser: an element may claim more bytes than the file holds.
  const overrun = overrunningElement(ds);
  if (overrun) {
    if (!magic) return undefined;
    throw truncated(file.name, overrun);
  }
  try {
    return readFields(file, ds, magic);
  } catch (e) {
    // dicom-parser's accessors throw strings when a value runs past the buffer.
    if (e instanceof LoadError) throw e;
    throw new LoadError(`${file.name} is a damaged DICOM file (${errorText(e)}).`, file.name);
  }
}

function readFields(file: InputFile, ds: DataSet, magic: boolean): DicomImage {
  const str = (tag: string): string | undefined => {
    const s = ds.string(tag);
    return s === undefined || s === '' ? undefined : s;
  };
  const num = (tag: string, i = 0): number | undefined => {
    if (!ds.elements[tag] || !ds.elements[tag]?.length) return undefined;
    const v = ds.floatString(tag, i);
    return v === undefined || Number.isNaN(v) ? undefined : v;
  };
  const nums = <N extends number>(tag: string, n: N): number[] | undefined => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = num(tag, i);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  };
  const sopClassUid = (magic ? str('x00020002') : undefined) ?? str('x00080016') ?? '';
  const pixel = ds.elements.x7fe00010;
  return {
    file,
    dataSet: ds,
    transferSyntaxUid: (magic ? str('x00020010') : undefined) ?? TransferSyntax.implicitLittle,
    sopClassUid,
    sopInstanceUid: str('x00080018') ?? (magic ? str('x00020003') : undefined) ?? file.path,
    seriesInstanceUid: str('x0020000e'),
    seriesDescription: str('x0008103e'),
    seriesNumber: num('x00200011'),
    modality: str('x00080060'),
    rows: uint16(ds, 'x00280010') ?? 0,
    cols: uint16(ds, 'x00280011') ?? 0,
    position: nums('x00200032', 3) as DicomImage['position'],
    orientation: nums('x00200037', 6) as DicomImage['orientation'],
    pixelSpacing: (nums('x00280030', 2) ?? nums('x00181164', 2)) as DicomImage['pixelSpacing'],
    sliceThicknessMm: num('x00180050'),
    triggerTimeMs: num('x00181060'),
    instanceNumber: num('x00200013'),
    rescaleSlope: num('x00281053') || 1,
    rescaleIntercept: num('x00281052') ?? 0,
    numberOfFrames: num('x00280008') ?? 1,
    hasPixelData: pixel !== undefined && pixel.length !== 0,
    isImageObject: sopClassUid !== SOP_CLASS_DICOMDIR && (pixel !== undefined || ds.elements.x00280010 !== undefined),
    isEnhancedMultiFrame: sopClassUid === SOP_CLASS_ENHANCED_MR || (num('x00280008') ?? 1) > 1,
    studyDate: str('x00080020'),
    seriesDate: str('x00080021'),
    heartRateBpm: num('x00181088'),
    nominalIntervalMs: num('x00181062'),
    cardiacNumberOfImages: num('x00181090'),
  };
}

/** A US value, or undefined when the element is missing or too short to hold one. */
function uint16(ds: DataSet, tag: string): number | undefined {
  const el = ds.elements[tag];
  if (!el || el.length < 2 || el.dataOffset + 2 > ds.byteArray.length) return undefined;
  return ds.uint16(tag);
}

/** The inflated data set is larger than any classic DICOM image (a decompression bomb or damaged data). */
class DeflatedTooLarge extends Error {}

/** Deflated Explicit VR Little Endian: inflate everything after the meta header, within a bound. */
function inflateDeflated(bytes: Uint8Array, position: number): Uint8Array {
  let inflated: Uint8Array;
  try {
    inflated = inflateBounded(bytes.subarray(position), 'deflate', {
      maxBytes: INPUT_LIMITS.maxInflatedDicomBytes - position,
    });
  } catch (e) {
    if (e instanceof InflateLimitError) throw new DeflatedTooLarge();
    throw new Error(`its deflated data set could not be inflated: ${errorText(e)}`, { cause: e });
  }
  const full = new Uint8Array(position + inflated.length);
  full.set(bytes.subarray(0, position));
  full.set(inflated, position);
  return full;
}

interface Overrun {
  tag: string;
  /** Bytes the element is short of. */
  missingBytes: number;
}

/** The first top-level element whose value runs past the end of the bytes, if any. */
function overrunningElement(ds: DataSet): Overrun | undefined {
  const size = ds.byteArray.length;
  for (const [tag, el] of Object.entries(ds.elements)) {
    // dicom-parser adds a value-only (0002,0010) to a data set parsed without a meta group: it is not in the bytes.
    if (typeof el.dataOffset !== 'number' && el.length === undefined) continue;
    const end = el.dataOffset + el.length;
    if (!(end <= size)) return { tag, missingBytes: Number.isFinite(end) ? end - size : Number.NaN };
  }
  return undefined;
}

/** `x7fe00010` -> `(7FE0,0010) pixel data`. */
function tagName(tag: string): string {
  const t = tag.replace(/^x/, '').toUpperCase();
  const known: Record<string, string> = { '7FE00010': ' pixel data', '00020000': ' meta group length' };
  return `(${t.slice(0, 4)},${t.slice(4)})${known[t] ?? ''}`;
}

function truncated(name: string, o: Overrun): LoadError {
  const short = Number.isFinite(o.missingBytes) ? ` by ${formatBytes(o.missingBytes)}` : '';
  return new LoadError(
    `${name} is truncated or damaged: the file ends early (element ${tagName(o.tag)} runs past its end${short}). ` +
      'Copy or export it again.',
    name,
  );
}

/** What dicom-parser threw, as a LoadError. It throws strings, Errors, or `{exception, dataSet}` objects. */
function parseFailure(name: string, e: unknown): LoadError {
  if (e instanceof DeflatedTooLarge) {
    return new LoadError(
      `${name} inflates to more than ${formatBytes(INPUT_LIMITS.maxInflatedDicomBytes)}, more than any single DICOM ` +
        'image needs: it is damaged or not a genuine image (a decompression bomb); cineseg stopped reading it.',
      name,
    );
  }
  const partial = (e as { dataSet?: unknown } | undefined)?.dataSet as DataSet | undefined;
  const overrun = partial?.elements && partial.byteArray ? overrunningElement(partial) : undefined;
  if (overrun) return truncated(name, overrun);
  const why = errorText(e);
  if (/past end|overrun|overread|eof/i.test(why)) {
    return new LoadError(
      `${name} is truncated or damaged: the file ends early (${why}). Copy or export it again.`,
      name,
    );
  }
  return new LoadError(`${name} is a damaged DICOM file (${why}).`, name);
}

function errorText(e: unknown): string {
  const inner = typeof e === 'object' && e !== null && 'exception' in e ? e.exception : e;
  const s = inner instanceof Error ? inner.message : String(inner);
  return s.replace(/^\w*[Pp]arser[.:][\w.]+:\s*/, '');
}

/**
 * Checks that the image's pixels can be decoded (uncompressed, greyscale, one frame).
 * @throws LoadError naming the file otherwise.
 */
export function checkDecodable(img: DicomImage): void {
  const name = img.file.name;
  if (!isReadableTransferSyntax(img.transferSyntaxUid)) {
    throw new LoadError(
      `${name} uses compressed transfer syntax ${img.transferSyntaxUid} (${transferSyntaxName(img.transferSyntaxUid)}), ` +
        'which cineseg cannot decode yet; export the series uncompressed (Explicit VR Little Endian) from your PACS or viewer.',
      name,
    );
  }
  if (!img.hasPixelData) throw new LoadError(`DICOM file ${name} has no pixel data.`, name);
  if (img.isEnhancedMultiFrame) {
    throw new LoadError(
      `${name} is an enhanced multi-frame DICOM (${img.numberOfFrames} frames in one file), which cineseg cannot read yet; ` +
        'export the series as classic single-frame MR images.',
      name,
    );
  }
  const samples = uint16(img.dataSet, 'x00280002') ?? 1;
  if (samples !== 1) throw new LoadError(`${name} is a colour image; cineseg needs greyscale MR images.`, name);
  const bits = uint16(img.dataSet, 'x00280100') ?? 16;
  if (bits !== 8 && bits !== 16 && bits !== 32) {
    throw new LoadError(`${name} stores ${bits}-bit pixels, which cineseg cannot decode.`, name);
  }
  if (img.rows < 1 || img.cols < 1) throw new LoadError(`${name} has no image size (Rows/Columns).`, name);
  const L = INPUT_LIMITS;
  if (img.rows > L.maxPixelsPerSide || img.cols > L.maxPixelsPerSide || img.rows * img.cols > L.maxPixelsPerImage) {
    throw new LoadError(
      `${name} claims ${img.cols}×${img.rows} pixels, more than cineseg reads (${L.maxPixelsPerSide} per side). ` +
        'The header may be damaged.',
      name,
    );
  }
  // Before any series memory is allocated for it: the pixel data must hold Rows × Columns values.
  pixelBytes(img);
}

/** Bytes of pixel data Rows × Columns need; throws when the file holds fewer. */
function pixelBytes(img: DicomImage): number {
  const el = img.dataSet.elements.x7fe00010;
  const need = img.rows * img.cols * ((uint16(img.dataSet, 'x00280100') ?? 16) / 8);
  if (!el || el.length < need || el.dataOffset + need > img.dataSet.byteArray.length) {
    throw new LoadError(
      `${img.file.name} has ${el?.length ?? 0} bytes of pixel data where ${img.rows}×${img.cols} pixels need ${need}; the file is truncated.`,
      img.file.name,
    );
  }
  return need;
}

/**
 * Decodes the image's pixels into `dst` at `offset` (rows × cols values, column fastest), applying
 * BitsStored masking / sign extension and RescaleSlope/Intercept. Call `checkDecodable` first.
 * @throws LoadError when the pixel data is shorter than Rows × Columns.
 */
export function decodeDicomPixels(img: DicomImage, dst: Float32Array, offset: number): void {
  const ds = img.dataSet;
  const n = img.rows * img.cols;
  const bits = uint16(ds, 'x00280100') ?? 16;
  const stored = uint16(ds, 'x00280101') ?? bits;
  const signed = (uint16(ds, 'x00280103') ?? 0) === 1;
  const bytesPer = bits / 8;
  const need = pixelBytes(img);
  const offset0 = (ds.elements.x7fe00010 as NonNullable<DataSet['elements'][string]>).dataOffset;
  // A fresh, aligned copy: the source may be a Node Buffer view at an odd offset.
  const bytes = new Uint8Array(need);
  bytes.set(ds.byteArray.subarray(offset0, offset0 + need));
  if (img.transferSyntaxUid === TransferSyntax.explicitBig && bytesPer > 1) {
    for (let i = 0; i < bytes.length; i += bytesPer) bytes.subarray(i, i + bytesPer).reverse();
  }
  const src =
    bits === 8
      ? signed
        ? new Int8Array(bytes.buffer, bytes.byteOffset, n)
        : bytes
      : bits === 16
        ? signed
          ? new Int16Array(bytes.buffer, bytes.byteOffset, n)
          : new Uint16Array(bytes.buffer, bytes.byteOffset, n)
        : signed
          ? new Int32Array(bytes.buffer, bytes.byteOffset, n)
          : new Uint32Array(bytes.buffer, bytes.byteOffset, n);
  const slope = img.rescaleSlope;
  const inter = img.rescaleIntercept;
  if (stored < bits && bits <= 16) {
    // Bits above BitsStored are not part of the value (PS3.5 8.1.1): mask or sign-extend them.
    const mask = (1 << stored) - 1;
    const signBit = 1 << (stored - 1);
    for (let i = 0; i < n; i++) {
      let v = (src[i] ?? 0) & mask;
      if (signed && v & signBit) v -= 1 << stored;
      dst[offset + i] = v * slope + inter;
    }
    return;
  }
  for (let i = 0; i < n; i++) dst[offset + i] = (src[i] ?? 0) * slope + inter;
}

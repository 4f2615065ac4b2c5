import { describe, expect, it } from 'vitest';
import { checkDecodable, decodeDicomPixels, parseDicomFile, transferSyntaxName, type DicomImage } from './dicom';
import { LoadError } from './errors';
import {
  EXPLICIT_VR_BIG_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  JPEG_BASELINE,
  writeDicom,
  type SyntheticDicomOptions,
} from './testing/writeDicom';

const RAMP = Array.from({ length: 6 * 4 }, (_, i) => i * 10 + 3);

function parse(opts: SyntheticDicomOptions, name = '1.dcm'): DicomImage {
  const img = parseDicomFile({ name, path: name, bytes: writeDicom(opts) });
  if (!img) throw new Error('not parsed as DICOM');
  return img;
}

function decode(img: DicomImage): number[] {
  checkDecodable(img);
  const out = new Float32Array(img.rows * img.cols);
  decodeDicomPixels(img, out, 0);
  return Array.from(out);
}

describe('parseDicomFile', () => {
  it('reads the header fields of a synthetic image', () => {
    const img = parse({
      rows: 4,
      cols: 6,
      pixels: RAMP,
      seriesInstanceUid: '1.2.3',
      imagePositionPatient: [1.5, -2, 30.25],
      imageOrientationPatient: [0, 1, 0, 0, 0, -1],
      pixelSpacing: [0.75, 1.25],
      sliceThickness: 8,
      triggerTime: 37.5,
      instanceNumber: 12,
      heartRate: 72,
      studyDate: '20240131',
      seriesDescription: 'SA cine',
    });
    expect(img).toMatchObject({
      rows: 4,
      cols: 6,
      seriesInstanceUid: '1.2.3',
      sopInstanceUid: '1.2.3.12',
      position: [1.5, -2, 30.25],
      orientation: [0, 1, 0, 0, 0, -1],
      pixelSpacing: [0.75, 1.25],
      sliceThicknessMm: 8,
      triggerTimeMs: 37.5,
      instanceNumber: 12,
      heartRateBpm: 72,
      studyDate: '20240131',
      seriesDescription: 'SA cine',
      hasPixelData: true,
      isImageObject: true,
    });
  });

  it.each([
    ['explicit VR little endian', {}],
    ['implicit VR little endian', { transferSyntaxUid: IMPLICIT_VR_LITTLE_ENDIAN }],
    ['explicit VR big endian', { transferSyntaxUid: EXPLICIT_VR_BIG_ENDIAN }],
    ['raw data set without preamble', { preamble: false }],
  ])('decodes %s pixels', (_, extra) => {
    const img = parse({ rows: 4, cols: 6, pixels: RAMP, triggerTime: 20, ...extra });
    expect(img.triggerTimeMs).toBe(20);
    expect(decode(img)).toEqual(RAMP);
  });

  it('applies RescaleSlope and RescaleIntercept', () => {
    const img = parse({ rows: 4, cols: 6, pixels: RAMP, rescaleSlope: 2, rescaleIntercept: -100 });
    expect(decode(img)).toEqual(RAMP.map((v) => 2 * v - 100));
  });

  it('decodes signed pixels and sign-extends from BitsStored', () => {
    const signed = RAMP.map((v) => v - 120);
    expect(decode(parse({ rows: 4, cols: 6, pixels: signed, pixelRepresentation: 1 }))).toEqual(signed);
    const twelveBit = parse({
      rows: 4,
      cols: 6,
      pixels: signed.map((v) => v & 0x0fff),
      pixelRepresentation: 1,
      bitsStored: 12,
    });
    expect(decode(twelveBit)).toEqual(signed);
    expect(decode(parse({ rows: 4, cols: 6, pixels: RAMP, bitsAllocated: 8 }))).toEqual(RAMP.map((v) => v & 0xff));
  });

  it('returns undefined for non-DICOM bytes', () => {
    const text = new TextEncoder().encode('patient notes\n'.repeat(20));
    expect(parseDicomFile({ name: 'notes.txt', path: 'notes.txt', bytes: text })).toBeUndefined();
  });
});

describe('checkDecodable', () => {
  it('rejects compressed transfer syntaxes by name', () => {
    const img = parse({ rows: 4, cols: 6, pixels: RAMP, transferSyntaxUid: JPEG_BASELINE }, '7.dcm');
    expect(() => checkDecodable(img)).toThrow(LoadError);
    expect(() => checkDecodable(img)).toThrow(
      /7\.dcm uses compressed transfer syntax 1\.2\.840\.10008\.1\.2\.4\.50 \(JPEG Baseline\).*export the series uncompressed/,
    );
    expect(transferSyntaxName('1.2.840.10008.1.2.4.90')).toBe('JPEG 2000 Lossless');
  });

  it('rejects images without pixel data', () => {
    const img = parse({ omitPixelData: true }, '12.dcm');
    expect(() => checkDecodable(img)).toThrow('DICOM file 12.dcm has no pixel data');
  });

  it('rejects enhanced multi-frame images', () => {
    const img = parse({ numberOfFrames: 30 }, 'mf.dcm');
    expect(() => checkDecodable(img)).toThrow(/mf\.dcm is an enhanced multi-frame DICOM \(30 frames/);
  });

  it('rejects pixel data shorter than Rows × Columns', () => {
    const bytes = writeDicom({ rows: 4, cols: 6, pixels: RAMP });
    // Claim 8 rows while the pixel data holds 4.
    const img = parseDicomFile({ name: 'cut.dcm', path: 'cut.dcm', bytes }) as DicomImage;
    img.rows = 8;
    expect(() => decode(img)).toThrow(/cut\.dcm has 48 bytes of pixel data where 8×6 pixels need 96/);
  });
});

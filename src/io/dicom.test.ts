import { describe, expect, it } from 'vitest';
import { checkDecodable, decodeDicomPixels, parseDicomFile, transferSyntaxName, type DicomImage } from './dicom';
import { LoadError } from './errors';
import { DEFLATED_EXPLICIT_LITTLE, scanExplicitLittle, withTransferSyntax } from './testing/dicomBytes';
import {
  EXPLICIT_VR_BIG_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  JPEG_BASELINE,
  writeDicom,
  type SyntheticDicomOptions,
} from './testing/writeDicom';
import { expectLoadError } from './testing/loadOutcome';

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

describe('damaged DICOM files', () => {
  const good = writeDicom({ rows: 16, cols: 16, pixels: new Uint16Array(256).fill(300) });
  const parseBytes = (name: string, bytes: Uint8Array): DicomImage | undefined =>
    parseDicomFile({ name, path: name, bytes });

  it('says a truncated file ends early, naming it and the element cut off (not "[object Object]")', () => {
    const e = expectLoadError(() => parseBytes('12.dcm', good.slice(0, good.length - 100)));
    expect(e.message).toBe(
      '12.dcm is truncated or damaged: the file ends early (element (7FE0,0010) pixel data runs past its end by 100 bytes). ' +
        'Copy or export it again.',
    );
    expect(e.file).toBe('12.dcm');
    // Cut inside an element's header: still "ends early", in the parser's own words.
    const mid = scanExplicitLittle(good).find((el) => el.tag === 0x00280010)?.lengthAt ?? 0;
    expect(expectLoadError(() => parseBytes('13.dcm', good.slice(0, mid))).message).toMatch(
      /^13\.dcm is truncated or damaged: the file ends early \(attempt to read past end of buffer\)/,
    );
    for (let cut = 0; cut < good.length; cut += 7) {
      try {
        parseBytes('x.dcm', good.slice(0, cut));
      } catch (err) {
        expect(err).toBeInstanceOf(LoadError);
        expect((err as Error).message).not.toMatch(/object Object/);
      }
    }
  });

  it('catches an element whose length points past the file in an implicit VR file (the parser does not)', () => {
    const implicit = writeDicom({ rows: 16, cols: 16, transferSyntaxUid: IMPLICIT_VR_LITTLE_ENDIAN });
    expect(expectLoadError(() => parseBytes('imp.dcm', implicit.slice(0, implicit.length - 10))).message).toMatch(
      /imp\.dcm is truncated or damaged: the file ends early \(element \(7FE0,0010\) pixel data runs past its end by 10 bytes\)/,
    );
  });

  it('refuses absurd image sizes before allocating for them', () => {
    const bytes = good.slice();
    const rows = scanExplicitLittle(bytes).find((el) => el.tag === 0x00280010);
    new DataView(bytes.buffer).setUint16(rows?.valueAt ?? 0, 65535, true);
    const img = parseBytes('big.dcm', bytes) as DicomImage;
    expect(() => checkDecodable(img)).toThrow(
      /big\.dcm claims 16×65535 pixels, more than cineseg reads \(2048 per side\)/,
    );
    // Within the limit, but more pixels than the file holds: refused by checkDecodable, before any decoding.
    new DataView(bytes.buffer).setUint16(rows?.valueAt ?? 0, 64, true);
    expect(() => checkDecodable(parseBytes('short.dcm', bytes) as DicomImage)).toThrow(
      /short\.dcm has 512 bytes of pixel data where 64×16 pixels need 2048; the file is truncated/,
    );
  });

  it('reads Deflated Explicit VR Little Endian, and stops a deflated data set that inflates past any image', () => {
    const deflated = withTransferSyntax(good, DEFLATED_EXPLICIT_LITTLE, true);
    expect(deflated.length).toBeLessThan(good.length);
    expect(decode(parseBytes('d.dcm', deflated) as DicomImage)).toEqual(new Array(256).fill(300));
    // A pixel data element of 100 MiB of zeros deflates to ~100 KB.
    const huge = writeDicom({ rows: 16, cols: 16 });
    const pixels = scanExplicitLittle(huge).find((el) => el.tag === 0x7fe00010);
    const bomb = new Uint8Array((pixels?.valueAt ?? 0) + 100 * 1024 * 1024);
    bomb.set(huge.subarray(0, pixels?.valueAt ?? 0));
    new DataView(bomb.buffer).setUint32(pixels?.lengthAt ?? 0, 100 * 1024 * 1024, true);
    const e = expectLoadError(() => parseBytes('bomb.dcm', withTransferSyntax(bomb, DEFLATED_EXPLICIT_LITTLE, true)));
    expect(e.message).toMatch(/^bomb\.dcm inflates to more than 64 MiB, more than any single DICOM image needs/);
  });

  it('says when a deflated transfer syntax is claimed for a data set that is not deflated', () => {
    const lying = withTransferSyntax(good, DEFLATED_EXPLICIT_LITTLE, false);
    expect(expectLoadError(() => parseBytes('lie.dcm', lying)).message).toMatch(
      /^lie\.dcm is (a damaged DICOM file|truncated or damaged: the file ends early) \(its deflated data set could not be inflated: /,
    );
  });
});

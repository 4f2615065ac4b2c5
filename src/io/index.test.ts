import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePhantom } from '@/core/phantom';
import type { Volume } from '@/core/volume';
import { decodeDicomPixels, parseDicomFile, type DicomImage } from './dicom';
import { loadFiles, writeNifti, writeNiftiLabels } from './index';
import { sharedDataPath, sharedDataPresent } from './testing/sharedData';
import { writeDicom } from './testing/writeDicom';
import type { InputFile } from './types';
import { expectLoadError } from './testing/loadOutcome';

const file = (name: string, bytes: Uint8Array): InputFile => ({ name, path: name, bytes });
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

const tiny: Volume = {
  data: new Float32Array(4 * 4 * 2 * 3).map((_, i) => i),
  dims: { cols: 4, rows: 4, slices: 2, frames: 3 },
  spacingMm: { col: 1, row: 1, slice: 5 },
  affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 5, 0, 0, 0, 0, 1],
  frameTimesMs: [0, 30, 60],
  meta: { source: 'phantom', name: 'tiny' },
};

describe('loadFiles format sniffing', () => {
  it('loads a NIfTI cine, also when its name lacks the extension', () => {
    const bytes = writeNifti(tiny, { gzip: false });
    for (const name of ['cine.nii', 'cine.nii.gz', 'cine']) {
      const data = name.endsWith('.gz') ? writeNifti(tiny) : bytes;
      const out = loadFiles([file(name, data)]);
      expect(out.kind).toBe('series');
      if (out.kind === 'series') expect(out.series.volume.data).toEqual(tiny.data);
    }
  });

  it('names files that are neither NIfTI nor DICOM', () => {
    expect(expectLoadError(() => loadFiles([file('notes.txt', text('hello'))])).message).toBe(
      'notes.txt is not a NIfTI or DICOM file (it looks like a text file).',
    );
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
    expect(expectLoadError(() => loadFiles([file('heart.jpg', jpeg)])).message).toMatch(/heart\.jpg .* JPEG picture/);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(expectLoadError(() => loadFiles([file('heart.png', png)])).message).toMatch(/heart\.png .* PNG picture/);
    expect(expectLoadError(() => loadFiles([])).message).toMatch(/No files/);
  });

  it('skips a stray file among NIfTI images with a note instead of refusing the drop', () => {
    const out = loadFiles([file('cine.nii.gz', writeNifti(tiny)), file('notes.txt', text('x'))]);
    expect(out.kind).toBe('series');
    if (out.kind !== 'series') return;
    expect(out.series.volume.dims).toEqual(tiny.dims);
    expect(out.series.warnings.join(' ')).toMatch(/1 file was not NIfTI and was skipped: notes\.txt/);
    expect(out.series.sourceFileCount).toBe(1);
  });

  it('takes height and weight from an ACDC Info.cfg dropped with the frames', () => {
    const cfg = file('Info.cfg', text('ED: 1\nES: 3\nGroup: NOR\nHeight: 180.0\nNbFrame: 3\nWeight: 80.0\n'));
    const out = loadFiles([file('patient001_4d.nii.gz', writeNifti(tiny)), cfg]);
    if (out.kind !== 'series') throw new Error('expected a series');
    expect(out.series.volume.meta).toMatchObject({ heightCm: 180, weightKg: 80 });
    expect(out.series.warnings).toEqual([]);
    expect(out.series.sourceFileCount).toBe(2);
  });

  it('refuses a single 2D NIfTI image', () => {
    const flat: Volume = { ...tiny, data: new Float32Array(16), dims: { cols: 4, rows: 4, slices: 1, frames: 1 } };
    const e = expectLoadError(() => loadFiles([file('one.nii.gz', writeNifti({ ...flat, frameTimesMs: [0] }))]));
    expect(e.message).toMatch(/one\.nii\.gz is a single 2D image/);
    expect(e.file).toBe('one.nii.gz');
  });

  it('skips one unreadable NIfTI frame of a frame set with a note', () => {
    const frame = (v: number): Uint8Array =>
      writeNifti({
        ...tiny,
        data: tiny.data.slice(0, 32).fill(v),
        dims: { ...tiny.dims, frames: 1 },
        frameTimesMs: [0],
      });
    const good = [1, 2, 3].map((f) => file(`p_frame0${f}.nii.gz`, frame(f)));
    const bad = file('p_frame04.nii.gz', frame(4).slice(0, 40));
    const out = loadFiles([...good, bad]);
    if (out.kind !== 'series') throw new Error('expected a series');
    expect(out.series.volume.dims.frames).toBe(3);
    expect(out.series.warnings.join(' ')).toMatch(/Skipped: .*p_frame04\.nii\.gz/);
    expect(out.series.sourceFileCount).toBe(3);
    // Nothing readable: the file's own error.
    expect(expectLoadError(() => loadFiles([bad, file('p_frame05.nii.gz', frame(5).slice(0, 40))])).file).toBe(
      'p_frame04.nii.gz',
    );
  });

  it('refuses NIfTI and DICOM dropped together', () => {
    // One NIfTI with a DICOM series is taken as that series' saved masks (labelImport.test.ts); two are refused.
    const nii = writeNifti(tiny);
    const e = expectLoadError(() =>
      loadFiles([file('cine.nii.gz', nii), file('cine2.nii.gz', nii), file('1.dcm', writeDicom({}))]),
    );
    expect(e.message).toMatch(
      /NIfTI files \(cine\.nii\.gz, cine2\.nii\.gz\) and DICOM files \(1\.dcm\) were dropped together/,
    );
  });

  it('refuses a DICOMDIR-only drop', () => {
    const dicomdir = writeDicom({ sopClassUid: '1.2.840.10008.1.3.10', omitPixelData: true });
    expect(expectLoadError(() => loadFiles([file('DICOMDIR', dicomdir)])).message).toMatch(
      /DICOMDIR is a DICOM file without an image/,
    );
  });
});

const SUNNYBROOK = sharedDataPath('sunnybrook/SCD0000101/dicom');

describe.skipIf(!sharedDataPresent('sunnybrook/SCD0000101/dicom'))('Sunnybrook SCD0000101 (real DICOM)', () => {
  const names = (existsSync(SUNNYBROOK) ? readdirSync(SUNNYBROOK) : []).filter((n) => n.endsWith('.dcm'));
  const files: InputFile[] = names.map((n) => ({
    name: n,
    path: `dicom/${n}`,
    bytes: new Uint8Array(readFileSync(join(SUNNYBROOK, n))),
  }));

  it('loads all files in shuffled order as 256×256, 12 slices, 20 frames, sorted', () => {
    // Deterministic shuffle.
    const shuffled = [...files];
    let x = 42;
    for (let i = shuffled.length - 1; i > 0; i--) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const j = x % (i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j] as InputFile, shuffled[i] as InputFile];
    }
    const t0 = performance.now();
    const out = loadFiles(shuffled);
    const ms = performance.now() - t0;
    console.info(`Sunnybrook SCD0000101: ${files.length} files loaded in ${ms.toFixed(0)} ms`);
    expect(out.kind).toBe('series');
    if (out.kind !== 'series') return;
    const v = out.series.volume;
    expect(v.dims).toEqual({ cols: 256, rows: 256, slices: 12, frames: 20 });
    expect(v.spacingMm.col).toBeCloseTo(1.367188, 5);
    expect(v.spacingMm.row).toBeCloseTo(1.367188, 5);
    expect(v.spacingMm.slice).toBeCloseTo(10, 3);
    expect(out.series.warnings).toEqual([]);
    // HeartRate is per image (79-81 bpm here); the series gets the mean.
    expect(v.meta.heartRateBpm).toBeGreaterThan(75);
    expect(v.meta.heartRateBpm).toBeLessThan(85);

    // Check the order against each image's own header.
    const bySop = new Map<string, DicomImage>();
    for (const f of files) {
      const img = parseDicomFile(f) as DicomImage;
      bySop.set(img.sopInstanceUid, img);
    }
    const img = (s: number, f: number): DicomImage =>
      bySop.get(v.meta.sopInstanceUids?.[s + 12 * f] ?? '') as DicomImage;
    const o = img(0, 0).orientation ?? [1, 0, 0, 0, 1, 0];
    const n = [o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]];
    const pos = (d: DicomImage): number => (d.position ?? [0, 0, 0]).reduce((a, p, i) => a + p * (n[i] ?? 0), 0);
    for (let s = 0; s < 12; s++) {
      for (let f = 1; f < 20; f++) {
        expect(img(s, f).triggerTimeMs ?? 0).toBeGreaterThan(img(s, f - 1).triggerTimeMs ?? 0);
        expect(pos(img(s, f))).toBeCloseTo(pos(img(s, 0)), 2);
      }
      if (s > 0) expect(pos(img(s, 0))).toBeGreaterThan(pos(img(s - 1, 0)));
    }
    expect(v.frameTimesMs.map((t, f) => t === img(0, f).triggerTimeMs)).toEqual(new Array(20).fill(true));
    // File N.dcm holds InstanceNumber N.
    expect(v.meta.instanceNumbers?.[0]).toBe(img(0, 0).instanceNumber);
    // The pixels of (slice 3, frame 7) are that image's pixels.
    const i37 = img(3, 7);
    const expected = new Float32Array(256 * 256);
    decodeDicomPixels(i37, expected, 0);
    const o37 = (3 + 12 * 7) * 256 * 256;
    expect(v.data.subarray(o37, o37 + 256 * 256)).toEqual(expected);
  });
});

describe('phantom through NIfTI', () => {
  it('a phantom written as image + _gt loads back with identical data and labels', () => {
    const p = makePhantom({ cols: 48, rows: 40, pixelMm: 5, slices: 4, frames: 6 });
    const out = loadFiles([
      file('ph.nii.gz', writeNifti(p.volume, { datatype: 'int16' })),
      file('ph_gt.nii.gz', writeNiftiLabels(p.labels, p.volume)),
    ]);
    if (out.kind !== 'series') throw new Error('expected a series');
    expect(out.series.volume.data).toEqual(p.volume.data);
    expect(out.series.labels?.data).toEqual(p.labels.data);
    expect(out.series.labelledFrames).toEqual([0, 1, 2, 3, 4, 5]);
    expect(out.series.volume.frameTimesMs).toEqual(p.volume.frameTimesMs);
  });

  const sampleDir = join(import.meta.dirname, '../../public/sample');
  it.skipIf(!existsSync(join(sampleDir, 'phantom_cine.nii.gz')))('the committed sample loads', () => {
    const names = ['phantom_cine.nii.gz', 'phantom_cine_gt.nii.gz'];
    const out = loadFiles(names.map((n) => file(n, new Uint8Array(readFileSync(join(sampleDir, n))))));
    if (out.kind !== 'series') throw new Error('expected a series');
    expect(out.series.volume.dims).toEqual({ cols: 128, rows: 128, slices: 10, frames: 20 });
    expect(out.series.volume.frameTimesMs[1]).toBe(50);
    expect(out.series.labels?.data.some((v) => v === 1)).toBe(true);
  });
});

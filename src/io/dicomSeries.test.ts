import { describe, expect, it } from 'vitest';
import { dicomDate } from './dicomSeries';
import { loadFiles } from './index';
import { writeDicom, type SyntheticDicomOptions } from './testing/writeDicom';
import type { InputFile, LoadedSeries } from './types';
import { expectLoadError, expectSeries } from './testing/loadOutcome';
import { BASE, COL_COS, NORMAL, ROW_COS, type Vec3 } from './testing/obliqueGeometry';

const ROWS = 4;
const COLS = 6;
const GAP = 7.5;
const PIXEL_SPACING: [number, number] = [0.75, 1.25]; // [between rows, between columns]

const add = (a: Vec3, b: Vec3, k: number): Vec3 => [a[0] + k * b[0], a[1] + k * b[1], a[2] + k * b[2]];

/** Pixel value of slice s (in position order), frame f, pixel p. */
const value = (s: number, f: number, p: number): number => 1000 * s + 10 * f + (p % 10);

interface CineOptions {
  slices?: number;
  frames?: number;
  series?: string;
  description?: string;
  extra?: (s: number, f: number) => Partial<SyntheticDicomOptions>;
  skip?: (s: number, f: number) => boolean;
}

/**
 * A synthetic cine, one file per image. Files are created from the apex-most (highest position)
 * slice down and named by a scrambled instance number, so neither creation order nor names sort it.
 */
function cine(o: CineOptions = {}): InputFile[] {
  const slices = o.slices ?? 3;
  const frames = o.frames ?? 4;
  const files: InputFile[] = [];
  for (let created = 0; created < slices; created++) {
    const s = slices - 1 - created; // position order
    for (let f = 0; f < frames; f++) {
      if (o.skip?.(s, f)) continue;
      const instanceNumber = 1 + (((created * frames + f) * 7) % (slices * frames));
      const name = `${o.series ?? 's'}_${instanceNumber}.dcm`;
      const bytes = writeDicom({
        rows: ROWS,
        cols: COLS,
        pixels: Array.from({ length: ROWS * COLS }, (_, p) => value(s, f, p)),
        seriesInstanceUid: o.series ?? '1.2.3.4',
        seriesDescription: o.description ?? 'SA cine',
        imagePositionPatient: add(BASE, NORMAL, s * GAP),
        imageOrientationPatient: [...ROW_COS, ...COL_COS],
        pixelSpacing: PIXEL_SPACING,
        sliceThickness: 6,
        // Frame 0 is not at trigger time 0, and instance numbers run against trigger time.
        triggerTime: 12.5 + 45 * f,
        instanceNumber,
        ...o.extra?.(s, f),
      });
      files.push({ name, path: `dicom/${name}`, bytes });
    }
  }
  return files;
}

/** Deterministic Fisher-Yates shuffle. */
function shuffle<T>(items: T[], seed = 7): T[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const loadSeries = (files: InputFile[], uid?: string): LoadedSeries =>
  expectSeries(files, uid ? { seriesInstanceUid: uid } : {});

describe('DICOM series assembly', () => {
  it('sorts shuffled files into slices by position and frames by trigger time', () => {
    const { volume } = loadSeries(shuffle(cine()));
    expect(volume.dims).toEqual({ cols: COLS, rows: ROWS, slices: 3, frames: 4 });
    for (let s = 0; s < 3; s++) {
      for (let f = 0; f < 4; f++) {
        const o = (s + 3 * f) * ROWS * COLS;
        const got = Array.from(volume.data.subarray(o, o + ROWS * COLS));
        expect(got).toEqual(Array.from({ length: ROWS * COLS }, (_, p) => value(s, f, p)));
      }
    }
    expect(volume.frameTimesMs).toEqual([12.5, 57.5, 102.5, 147.5]);
    expect(volume.meta.instanceNumbers).toHaveLength(12);
    expect(new Set(volume.meta.sopInstanceUids).size).toBe(12);
    expect(volume.meta.seriesInstanceUid).toBe('1.2.3.4');
  });

  it('derives spacing and the RAS affine from PixelSpacing, IOP and IPP', () => {
    const { volume } = loadSeries(shuffle(cine(), 3));
    expect(volume.spacingMm.col).toBe(1.25);
    expect(volume.spacingMm.row).toBe(0.75);
    expect(volume.spacingMm.slice).toBeCloseTo(GAP, 6);
    const m = volume.affine;
    for (const [i, j, k] of [
      [0, 0, 0],
      [5, 0, 0],
      [0, 3, 0],
      [2, 1, 2],
    ] as const) {
      let lps = add(BASE, ROW_COS, i * 1.25);
      lps = add(lps, COL_COS, j * 0.75);
      lps = add(lps, NORMAL, k * GAP);
      const ras = [-lps[0], -lps[1], lps[2]];
      for (let r = 0; r < 3; r++) {
        const x = (m[4 * r] ?? 0) * i + (m[4 * r + 1] ?? 0) * j + (m[4 * r + 2] ?? 0) * k + (m[4 * r + 3] ?? 0);
        expect(x).toBeCloseTo(ras[r] ?? 0, 4);
      }
    }
    expect(m.slice(12)).toEqual([0, 0, 0, 1]);
  });

  it('applies per-image rescale and fills the meta data', () => {
    const { volume } = loadSeries(
      cine({
        slices: 2,
        frames: 2,
        extra: () => ({ rescaleSlope: 2, rescaleIntercept: -5, nominalInterval: 800, studyDate: '20230704' }),
      }),
    );
    expect(volume.data[0]).toBe(2 * value(0, 0, 0) - 5);
    expect(volume.data[ROWS * COLS * 3 + 1]).toBe(2 * value(1, 1, 1) - 5);
    expect(volume.meta).toMatchObject({
      source: 'dicom',
      name: 'SA cine',
      seriesDescription: 'SA cine',
      date: '2023-07-04',
      heartRateBpm: 75,
      sliceThicknessMm: 6,
    });
  });

  it('carries who and which series into the volume and the series list (PatientID, name, size, weight, number)', () => {
    const who = {
      patientId: 'SCD-0042',
      patientName: 'Doe^Jane^M',
      patientSex: 'F' as const,
      patientSize: 1.65,
      patientWeight: 58,
      seriesNumber: 7,
      studyDate: '20240131',
    };
    const files = [
      ...cine({ extra: () => who }),
      ...cine({ series: '9.8.7', extra: () => ({ ...who, seriesNumber: 9 }) }),
    ];
    const chosen = loadSeries(files, '1.2.3.4');
    expect(chosen.volume.meta).toMatchObject({
      patientId: 'SCD-0042',
      patientName: 'Jane M Doe',
      patientSex: 'F',
      heightCm: 165,
      weightKg: 58,
      seriesNumber: 7,
      date: '2024-01-31',
    });
    expect(chosen.sourceFileCount).toBe(12);
    const outcome = loadFiles(files);
    if (outcome.kind !== 'choose') throw new Error('expected a choice');
    expect(outcome.candidates[1]).toMatchObject({
      seriesNumber: 9,
      patientId: 'SCD-0042',
      patientName: 'Jane M Doe',
      date: '2024-01-31',
    });
  });

  it('asks to choose between two series, then loads the chosen one', () => {
    const files = shuffle([...cine(), ...cine({ series: '9.8.7', description: 'Other', slices: 2, frames: 3 })]);
    const outcome = loadFiles(files);
    expect(outcome.kind).toBe('choose');
    if (outcome.kind !== 'choose') return;
    expect(outcome.candidates).toHaveLength(2);
    const other = outcome.candidates.find((c) => c.seriesInstanceUid === '9.8.7');
    expect(other).toMatchObject({ description: 'Other (MR)', fileCount: 6, summary: '6×4, 2 slices, 3 frames' });
    const chosen = loadSeries(files, '9.8.7');
    expect(chosen.volume.dims).toMatchObject({ slices: 2, frames: 3 });
    expect(expectLoadError(() => loadFiles(files, { seriesInstanceUid: 'nope' })).message).toMatch(/not among/);
  });

  it('rejects slices with different numbers of frames', () => {
    const e = expectLoadError(() => loadFiles(cine({ skip: (s, f) => s === 1 && f === 2 })));
    const pos = BASE[0] * NORMAL[0] + BASE[1] * NORMAL[1] + BASE[2] * NORMAL[2] + GAP;
    expect(e.message).toContain(`the slice at ${pos.toFixed(1)} mm has 3 frames, others have 4`);
  });

  it('names the file without pixel data, and the compressed transfer syntax', () => {
    const noPixels = cine({ extra: (s, f) => (s === 0 && f === 1 ? { omitPixelData: true } : {}) });
    expect(expectLoadError(() => loadFiles(noPixels)).message).toMatch(/^DICOM file s_\d+\.dcm has no pixel data/);
    const jpeg = cine({ extra: () => ({ transferSyntaxUid: '1.2.840.10008.1.2.4.50' }) });
    expect(expectLoadError(() => loadFiles(jpeg)).message).toMatch(
      /uses compressed transfer syntax .* \(JPEG Baseline\)/,
    );
    const one = writeDicom({});
    expect(
      expectLoadError(() => loadFiles([{ name: '12.dcm', path: '12.dcm', bytes: writeDicom({ omitPixelData: true }) }]))
        .message,
    ).toBe('DICOM file 12.dcm has no pixel data.');
    expect(expectLoadError(() => loadFiles([{ name: 'one.dcm', path: 'one.dcm', bytes: one }])).message).toMatch(
      /one\.dcm is a single 2D image\. A cine needs/,
    );
  });

  it('loads a single-slice cine and takes the slice spacing from SliceThickness', () => {
    const { volume } = loadSeries(cine({ slices: 1, frames: 5 }));
    expect(volume.dims).toMatchObject({ slices: 1, frames: 5 });
    expect(volume.spacingMm.slice).toBe(6);
  });

  it('skips non-DICOM files and duplicates with warnings', () => {
    const files = cine({ slices: 2, frames: 2 });
    const notes = { name: 'notes.txt', path: 'notes.txt', bytes: new TextEncoder().encode('hello') };
    const series = loadSeries([...files, notes, files[0] as InputFile]);
    expect(series.volume.dims).toMatchObject({ slices: 2, frames: 2 });
    expect(series.warnings.join(' ')).toMatch(/1 file was not DICOM and skipped \(notes\.txt\)/);
    expect(series.warnings.join(' ')).toMatch(/1 duplicate DICOM file/);
  });

  it('formats DICOM dates', () => {
    expect(dicomDate('20240131')).toBe('2024-01-31');
    expect(dicomDate('2024.01.31')).toBe('2024-01-31');
    expect(dicomDate('20120000')).toBeUndefined();
    expect(dicomDate(undefined)).toBeUndefined();
  });
});

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeCardiacFunction } from '@/core/cardiac/function';
import { frameVolumes } from '@/core/cardiac/volumes';
import { makePhantom } from '@/core/phantom';
import { parseCsv } from '@/io/csv';
import { readNifti } from '@/io/nifti';
import { writeNifti } from '@/io/niftiWrite';
import { volumePixels, writeDicom, writeDicomCine } from '@/io/testing/writeDicom';
import type { DicomMaskIndex } from '@/io/maskExport';
import { compareVersions, pickModel } from './models';
import { modelAvailable, runCli } from './testing/cliHarness';

const dir = mkdtempSync(path.join(tmpdir(), 'cineseg-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const summaryOf = (csv: string): Map<string, string> => {
  const rows = parseCsv(csv);
  const start = rows.findIndex((r) => r[0] === 'measure');
  return new Map(rows.slice(start + 1).map((r) => [r[0] ?? '', r[1] ?? '']));
};

describe('segment CLI: bad input', () => {
  it('a text file: exit 2 and a message naming the file', async () => {
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, 'patient list\n');
    const r = await runCli(file, '--out', path.join(dir, 'x.nii.gz'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/notes\.txt is not a NIfTI or DICOM file/);
    expect(existsSync(path.join(dir, 'x.nii.gz'))).toBe(false);
  });

  it('a missing path, an empty folder, no input, unknown options: exit 2', async () => {
    expect((await runCli(path.join(dir, 'nope.nii.gz'))).stderr).toMatch(/nope\.nii\.gz does not exist/);
    const empty = path.join(dir, 'empty');
    mkdirSync(empty);
    const r = await runCli(empty);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds no files/);
    expect((await runCli()).code).toBe(2);
    const bad = await runCli('a.nii.gz', '--frobnicate');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Usage: npm run segment/);
    expect((await runCli('a.nii.gz', '--out', 'labels.png')).stderr).toMatch(/--out must end in \.nii\.gz/);
  });

  it('a folder with two DICOM series: exit 2 listing --series choices', async () => {
    const two = path.join(dir, 'two');
    mkdirSync(two);
    for (const [series, description] of [
      ['1.2.3.1', 'SA cine'],
      ['1.2.3.2', 'LAX cine'],
    ] as const) {
      for (let f = 0; f < 2; f++) {
        const bytes = writeDicom({
          seriesInstanceUid: series,
          seriesDescription: description,
          triggerTime: 40 * f,
          instanceNumber: f + 1,
        });
        writeFileSync(path.join(two, `${series}_${f}.dcm`), bytes);
      }
    }
    const r = await runCli(two);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--series 1.2.3.1');
    expect(r.stderr).toContain('--series 1.2.3.2');
  });

  it('a slice list or frame outside the series: exit 2 before segmenting', async () => {
    const { volume } = makePhantom({ cols: 32, rows: 32, slices: 3, frames: 2 });
    const input = path.join(dir, 'small.nii.gz');
    writeFileSync(input, writeNifti(volume));
    const r = await runCli(input, '--slices', '2-5', '--model-dir', path.join(dir, 'no-model'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/slices 2-5 are outside 1-3/);
    expect((await runCli(input, '--es', '3')).stderr).toMatch(/--es 3 is not a frame number in 1-2/);
  });

  it('--help prints the usage and exits 0', async () => {
    const r = await runCli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--model <id>/);
  });
});

describe('model choice', () => {
  const index = {
    default: 'student/1.0.0/',
    models: [
      { id: 'teacher', version: '0.1.0-dev', path: 'teacher/0.1.0-dev/', label: '' },
      { id: 'teacher', version: '1.0.0', path: 'teacher/1.0.0/', label: '' },
      { id: 'teacher', version: '1.0.0-rc1', path: 'teacher/1.0.0-rc1/', label: '' },
      { id: 'student', version: '1.0.0', path: 'student/1.0.0/', label: '' },
    ],
  };
  it('takes the newest version of the id, else the default', () => {
    expect(pickModel(index, 'teacher').path).toBe('teacher/1.0.0/');
    expect(pickModel(index, undefined).path).toBe('student/1.0.0/');
    expect(() => pickModel(index, 'giant')).toThrow(/no model "giant".*teacher, student/);
  });
  it('compares versions numerically, pre-releases first', () => {
    expect(compareVersions('1.10.0', '1.9.0')).toBeGreaterThan(0);
    expect(compareVersions('1.0.0-dev', '1.0.0')).toBeLessThan(0);
    expect(compareVersions('0.1.0-dev', '0.1.0-dev')).toBe(0);
  });
});

describe.skipIf(!modelAvailable())('segment CLI with the published default model', () => {
  it('segments a phantom NIfTI: labels on the input grid, CSV consistent with the labels', async () => {
    const { volume } = makePhantom({ cols: 72, rows: 72, pixelMm: 2.2, slices: 3, frames: 3, frameMs: 300, seed: 5 });
    const input = path.join(dir, 'phantom.nii.gz');
    writeFileSync(input, writeNifti(volume, { datatype: 'int16' }));
    const ref = readNifti({ name: 'phantom.nii.gz', path: input, bytes: readFileSync(input) }).volume;
    const out = path.join(dir, 'out', 'labels.nii.gz');
    const csv = path.join(dir, 'out', 'metrics.csv');
    const r = await runCli(input, '--out', out, '--csv', csv, '--backend', 'wasm', '--no-tta');
    expect(r.stderr).toMatch(/frame 3\/3: 3 slices in \d+ ms/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/LV {7}EDV/);

    const labels = readNifti({ name: 'labels.nii.gz', path: out, bytes: readFileSync(out) });
    expect(labels.datatype).toBe('uint8');
    expect(labels.volume.dims).toEqual(ref.dims);
    expect(labels.volume.affine).toEqual(ref.affine);
    expect(labels.volume.data.every((v) => v >= 0 && v <= 3)).toBe(true);
    expect(existsSync(out.replace('.nii.gz', '.index.json'))).toBe(false); // NIfTI input: no DICOM index

    // The CSV holds what core computes from the written labels.
    const expected = computeCardiacFunction(
      frameVolumes({ data: Uint8Array.from(labels.volume.data), dims: labels.volume.dims }, ref),
    );
    const s = summaryOf(readFileSync(csv, 'utf8'));
    expect(s.get('LVEDV')).toBe(expected.lvedvMl?.toFixed(1));
    expect(s.get('LVEF')).toBe(expected.lvefPct?.toFixed(1) ?? '');
    expect(s.get('ED frame')).toBe(expected.edFrame === undefined ? '' : String(expected.edFrame + 1));
    expect(s.get('model id')).toMatch(/^(student|teacher)$/);
  });

  it('segments a DICOM folder and writes the (slice, frame) index beside the labels', async () => {
    const { volume } = makePhantom({ cols: 64, rows: 64, pixelMm: 2.5, slices: 2, frames: 2, frameMs: 400, seed: 9 });
    const folder = path.join(dir, 'dicom', 'series1');
    mkdirSync(folder, { recursive: true });
    for (const image of writeDicomCine({
      slices: 2,
      frames: 2,
      frameMs: 400,
      pixels: volumePixels(volume),
      common: {
        rows: 64,
        cols: 64,
        seriesInstanceUid: '1.2.826.0.1',
        seriesDescription: 'SA cine',
        pixelSpacing: [2.5, 2.5],
      },
    }))
      writeFileSync(path.join(folder, `IM${image.instanceNumber}`), image.bytes);
    const out = path.join(dir, 'dicom-out', 'sa.nii.gz');
    const csv = path.join(dir, 'dicom-out', 'sa.csv');
    const r = await runCli(
      path.join(dir, 'dicom'),
      ...['--out', out, '--csv', csv, '--slices', '2', '--ed', '2', '--backend', 'wasm', '--no-tta'],
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/slices {3}2 of 2/);
    const s = summaryOf(readFileSync(csv, 'utf8'));
    expect(s.get('included slices')).toBe('2');
    expect(s.get('ED frame')).toBe('2');
    expect(s.get('ES frame')).toBe('1');
    expect(s.get('series description')).toBe('SA cine');
    const labels = readNifti({ name: 'sa.nii.gz', path: out, bytes: readFileSync(out) }).volume;
    expect(labels.dims).toEqual({ cols: 64, rows: 64, slices: 2, frames: 2 });
    const index = JSON.parse(readFileSync(path.join(dir, 'dicom-out', 'sa.index.json'), 'utf8')) as DicomMaskIndex;
    expect(index.labels).toBe('sa.nii.gz');
    expect(index.images).toContainEqual({ slice: 1, frame: 0, instanceNumber: 3, sopInstanceUid: '1.2.826.0.1.3' });
    expect(index.images).toContainEqual({ slice: 0, frame: 1, instanceNumber: 2, sopInstanceUid: '1.2.826.0.1.2' });
  });
});

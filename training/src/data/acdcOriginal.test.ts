import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadError } from '../../../src/io/index';
import { findAcdcOriginalPatients, isAcdcOriginalLayout, loadAcdcOriginal, parseAcdcInfoCfg } from './acdcOriginal';
import { COUNTS, GRID, imageValue, MARK, SPACING_MM, voxelIndex, writeAcdcPatient } from './testing/writeDatasets';

let root = '';

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cineseg-acdc-'));
  writeAcdcPatient(path.join(root, 'flat'), 'patient102', 1, 12);
  writeAcdcPatient(path.join(root, 'flat'), 'patient101', 1, 9, 28);
  writeAcdcPatient(path.join(root, 'database', 'training'), 'patient007', 1, 14);
  writeAcdcPatient(path.join(root, 'database', 'testing'), 'patient121', 2, 11);
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function counts(labels: Uint8Array): number[] {
  const c = [0, 0, 0, 0];
  for (const v of labels) c[v]! += 1;
  return c;
}

describe('parseAcdcInfoCfg', () => {
  it('reads every field', () => {
    const info = parseAcdcInfoCfg('ED: 1\nES: 12\nGroup: DCM\nHeight: 184.0\nNbFrame: 30\nWeight: 95.0\n', 'Info.cfg');
    expect(info).toEqual({ edFrame: 1, esFrame: 12, group: 'DCM', frames: 30, heightCm: 184, weightKg: 95 });
  });

  it('accepts CRLF and a missing group (the original testing set)', () => {
    expect(parseAcdcInfoCfg('ED: 1\r\nES: 8\r\nNbFrame: 25\r\n', 'x')).toEqual({ edFrame: 1, esFrame: 8, frames: 25 });
  });

  it('names the file when ES is missing', () => {
    expect(() => parseAcdcInfoCfg('ED: 1\nGroup: NOR\n', 'p/Info.cfg')).toThrow(LoadError);
    expect(() => parseAcdcInfoCfg('ED: 1\nGroup: NOR\n', 'p/Info.cfg')).toThrow(/p\/Info\.cfg has no valid "ES:" line/);
  });
});

describe('original ACDC layout', () => {
  it('finds patient folders directly and under training/ + testing/', () => {
    expect(isAcdcOriginalLayout(path.join(root, 'flat'))).toBe(true);
    expect(isAcdcOriginalLayout(path.join(root, 'database'))).toBe(true);
    expect(isAcdcOriginalLayout(root)).toBe(false);
    expect(
      findAcdcOriginalPatients(path.join(root, 'flat')).map((p) => [p.patient, p.info.edFrame, p.info.esFrame]),
    ).toEqual([
      ['patient101', 1, 9],
      ['patient102', 1, 12],
    ]);
    expect(findAcdcOriginalPatients(path.join(root, 'database')).map((p) => p.patient)).toEqual([
      'patient007',
      'patient121',
    ]);
  });

  it('reads ED and ES of each patient with labels, orientation and spacing of the NIfTI', () => {
    const vols = loadAcdcOriginal(path.join(root, 'flat'));
    expect(vols.map((v) => v.id)).toEqual([
      'acdc/patient101/ED',
      'acdc/patient101/ES',
      'acdc/patient102/ED',
      'acdc/patient102/ES',
    ]);
    const es = vols[3]!;
    expect(es).toMatchObject({ source: 'acdc', patient: 'patient102', phase: 'ES', ...GRID });
    expect([es.spacingColMm, es.spacingRowMm, es.spacingSliceMm]).toEqual([
      SPACING_MM.col,
      SPACING_MM.row,
      SPACING_MM.slice,
    ]);
    // NIfTI (x=col 2, y=row 5, z=slice 1) is [slice 1][row 5][col 2]; the image is the ES file (frame 12).
    const at = voxelIndex(MARK.col, MARK.row, MARK.slice);
    expect(at).toBe(1 * 12 * 16 + 5 * 16 + 2);
    expect(es.labels[at]).toBe(3);
    expect(es.image[at]).toBe(imageValue(2, 5, 1, 12));
    expect(es.image[voxelIndex(15, 11, 2)]).toBe(imageValue(15, 11, 2, 12));
    const n = GRID.cols * GRID.rows * GRID.slices;
    expect(counts(es.labels)).toEqual([n - 7, ...COUNTS.ES.slice(1)]);
    expect(counts(vols[2]!.labels)).toEqual([n - 13, ...COUNTS.ED.slice(1)]);
    expect(vols[0]!.image[0]).toBe(imageValue(0, 0, 0, 1));
    expect(vols[1]!.image[0]).toBe(imageValue(0, 0, 0, 9));
    expect(es.labelledSlices).toEqual([true, true, true]);
    expect(es.labelledClasses).toEqual([0, 1, 2, 3]);
    expect(es.stats.high).toBeGreaterThan(es.stats.low);
  });

  it('loads only the patients asked for', () => {
    expect(loadAcdcOriginal(path.join(root, 'database'), new Set(['patient121'])).map((v) => v.id)).toEqual([
      'acdc/patient121/ED',
      'acdc/patient121/ES',
    ]);
  });

  it('names the missing label file', () => {
    const dir = path.join(root, 'broken');
    writeAcdcPatient(dir, 'patient050', 1, 10);
    fs.rmSync(path.join(dir, 'patient050', 'patient050_frame10_gt.nii.gz'));
    expect(() => loadAcdcOriginal(dir)).toThrow(/patient050_frame10_gt\.nii\.gz is missing; Info\.cfg gives ES: 10/);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LoadError } from '../../../src/io/index';
import { findMnmsCases, findMnmsInfoCsv, isMnmsLayout, loadMnms, mnmsLabelsToAcdc, parseMnmsInfoCsv } from './mnms';
import {
  COUNTS,
  GRID,
  imageValue,
  MARK,
  SPACING_MM,
  voxelIndex,
  writeMnmsCase,
  writeMnmsCsv,
} from './testing/writeDatasets';

let root = '';
const n = GRID.cols * GRID.rows * GRID.slices;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cineseg-mnms-'));
  const withCsv = path.join(root, 'withCsv');
  writeMnmsCase(withCsv, 'Training/Labeled', 'A0S9V9', 0, 3);
  writeMnmsCase(withCsv, 'Validation', 'B1C2D3', 4, 2);
  writeMnmsCsv(withCsv, [
    { code: 'A0S9V9', ed: 0, es: 3 },
    { code: 'B1C2D3', ed: 4, es: 2 },
  ]);
  // No CSV: the labelled frames are found from the labels; ES (frame 1) comes before ED (frame 3).
  writeMnmsCase(path.join(root, 'noCsv'), 'Training/Labeled', 'E5F6G7', 3, 1);
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function counts(labels: Uint8Array): number[] {
  const c = [0, 0, 0, 0];
  for (const v of labels) c[v]! += 1;
  return c;
}

describe('M&Ms labels', () => {
  it('become ACDC labels: 1 LV -> 3, 2 myocardium -> 2, 3 RV -> 1', () => {
    expect([...mnmsLabelsToAcdc([0, 1, 2, 3, 1], 'x.nii.gz')]).toEqual([0, 3, 2, 1, 3]);
  });

  it('refuses other values, naming the file', () => {
    expect(() => mnmsLabelsToAcdc([0, 4], 'A_sa_gt.nii.gz')).toThrow(LoadError);
    expect(() => mnmsLabelsToAcdc([0, 4], 'A_sa_gt.nii.gz')).toThrow(/A_sa_gt\.nii\.gz contains the label value 4/);
  });
});

describe('M&Ms information CSV', () => {
  it('reads codes, vendor and 0-based frames with an index column, BOM and extra columns', () => {
    const text =
      '\uFEFF,External code,VendorName,Vendor,Centre,ED,ES,Age,Pathology\r\n0,A0S9V9,Siemens,A,1,0,9,67,HCM\r\n1,"B1C2D3",Philips,B,2,24,10,50,NOR\r\n';
    const info = parseMnmsInfoCsv(text, 'info.csv');
    expect([...info.keys()]).toEqual(['A0S9V9', 'B1C2D3']);
    expect(info.get('B1C2D3')).toEqual({
      code: 'B1C2D3',
      vendorName: 'Philips',
      vendor: 'B',
      centre: '2',
      edFrame: 24,
      esFrame: 10,
    });
  });

  it('names the missing column', () => {
    expect(() => parseMnmsInfoCsv('External code,Vendor,ED\nA,A,0\n', 'm.csv')).toThrow(
      /m\.csv has no "VendorName" column/,
    );
  });
});

describe('M&Ms layout', () => {
  it('is detected by Training/Labeled or the CSV, and its cases are found in every partition', () => {
    expect(isMnmsLayout(path.join(root, 'withCsv'))).toBe(true);
    expect(isMnmsLayout(path.join(root, 'noCsv'))).toBe(true);
    expect(isMnmsLayout(root)).toBe(false);
    expect(findMnmsInfoCsv(path.join(root, 'withCsv'))).toMatch(/Dataset_Information_-_opendataset\.csv$/);
    expect(findMnmsCases(path.join(root, 'withCsv')).map((c) => [c.code, c.partition])).toEqual([
      ['A0S9V9', 'Training'],
      ['B1C2D3', 'Validation'],
    ]);
  });

  it('reads ED and ES from the CSV frames, converts labels, keeps orientation and spacing', () => {
    const vols = loadMnms(path.join(root, 'withCsv'));
    expect(vols.map((v) => v.id)).toEqual(['mnms/A0S9V9/ED', 'mnms/A0S9V9/ES', 'mnms/B1C2D3/ED', 'mnms/B1C2D3/ES']);
    const ed = vols[2]!;
    const es = vols[3]!;
    expect(ed).toMatchObject({ source: 'mnms', patient: 'B1C2D3', phase: 'ED', ...GRID });
    expect([ed.spacingColMm, ed.spacingRowMm, ed.spacingSliceMm]).toEqual([
      SPACING_MM.col,
      SPACING_MM.row,
      SPACING_MM.slice,
    ]);
    // ED is 0-based frame 4 of the cine, ES frame 2.
    expect(ed.image[0]).toBe(imageValue(0, 0, 0, 4));
    expect(es.image[0]).toBe(imageValue(0, 0, 0, 2));
    const at = voxelIndex(MARK.col, MARK.row, MARK.slice);
    expect(at).toBe(1 * 12 * 16 + 5 * 16 + 2);
    expect(ed.image[at]).toBe(imageValue(2, 5, 1, 4));
    expect(ed.labels[at]).toBe(3); // M&Ms 1 (LV cavity) -> ACDC 3
    expect(ed.labels[voxelIndex(10, 0, 0)]).toBe(1); // M&Ms 3 (RV) -> ACDC 1
    expect(ed.labels[voxelIndex(15, 0, 2)]).toBe(2);
    expect(counts(ed.labels)).toEqual([n - 13, ...COUNTS.ED.slice(1)]);
    expect(counts(es.labels)).toEqual([n - 7, ...COUNTS.ES.slice(1)]);
    expect(ed.labels.length).toBe(n);
    expect(ed.stats).toBe(es.stats);
  });

  it('without the CSV takes the labelled frames and names the larger LV cavity ED', () => {
    const vols = loadMnms(path.join(root, 'noCsv'));
    expect(vols.map((v) => [v.id, v.image[0]])).toEqual([
      ['mnms/E5F6G7/ED', imageValue(0, 0, 0, 3)],
      ['mnms/E5F6G7/ES', imageValue(0, 0, 0, 1)],
    ]);
  });

  it('skips, with a warning, a CSV frame that has no labels', () => {
    const dir = path.join(root, 'badCsv');
    writeMnmsCase(dir, 'Training/Labeled', 'H8I9J0', 0, 3);
    writeMnmsCsv(dir, [{ code: 'H8I9J0', ed: 0, es: 2 }]);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(loadMnms(dir).map((v) => v.id)).toEqual(['mnms/H8I9J0/ED']);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/ES = frame 2 \(0-based\) but that frame has no labels/));
    } finally {
      warn.mockRestore();
    }
  });

  it('loads only the codes asked for', () => {
    expect(loadMnms(path.join(root, 'withCsv'), new Set(['A0S9V9'])).map((v) => v.id)).toEqual([
      'mnms/A0S9V9/ED',
      'mnms/A0S9V9/ES',
    ]);
  });
});

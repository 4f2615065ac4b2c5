import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadError } from '../../../src/io/index';
import { acdcHeldOut, detectLayout, fnv1a, hashedToVal, layoutSplit, splitPatients } from './layouts';
import { writeAcdcPatient, writeMnmsCase, writeMnmsCsv } from './testing/writeDatasets';

let root = '';
const dir = (...parts: string[]): string => path.join(root, ...parts);

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cineseg-layouts-'));
  fs.mkdirSync(dir('h5', 'acdc', 'volumes'), { recursive: true });
  fs.writeFileSync(dir('h5', 'acdc', 'info.csv'), 'patient,group\n');
  writeAcdcPatient(dir('acdcFlat'), 'patient101', 1, 12);
  writeAcdcPatient(dir('acdcSub', 'acdc'), 'patient101', 1, 12);
  writeMnmsCase(dir('mnmsFlat'), 'Training/Labeled', 'A0S9V9', 0, 3);
  writeMnmsCsv(dir('mnmsSub', 'mnms', 'OpenDataset'), [{ code: 'A0S9V9', ed: 0, es: 3 }]);
  fs.mkdirSync(dir('empty', 'stuff'), { recursive: true });
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('detectLayout', () => {
  it('keeps <data>/acdc/info.csv on the shared HDF5 reader', () => {
    expect(detectLayout(dir('h5'), 'acdc')).toEqual({ layout: 'acdc-h5', dir: dir('h5', 'acdc') });
  });

  it('finds the original ACDC layout in <data> or <data>/acdc', () => {
    expect(detectLayout(dir('acdcFlat'), 'acdc')).toEqual({ layout: 'acdc-original', dir: dir('acdcFlat') });
    expect(detectLayout(dir('acdcSub'), 'acdc')).toEqual({ layout: 'acdc-original', dir: dir('acdcSub', 'acdc') });
  });

  it('finds M&Ms by Training/Labeled or by its CSV, also under mnms/OpenDataset', () => {
    expect(detectLayout(dir('mnmsFlat'), 'mnms')).toEqual({ layout: 'mnms', dir: dir('mnmsFlat') });
    expect(detectLayout(dir('mnmsSub'), 'mnms')).toEqual({
      layout: 'mnms',
      dir: dir('mnmsSub', 'mnms', 'OpenDataset'),
    });
  });

  it('says what a folder with neither layout lacks', () => {
    expect(() => detectLayout(dir('empty'), 'acdc')).toThrow(LoadError);
    expect(() => detectLayout(dir('empty'), 'acdc')).toThrow(
      /^No ACDC data in .*empty: expected acdc\/info\.csv.*It holds neither\.$/,
    );
    expect(() => detectLayout(dir('empty'), 'mnms')).toThrow(
      /^No M&Ms data in .*empty: expected Training\/Labeled.*It holds neither\.$/,
    );
    expect(() => detectLayout(dir('nowhere'), 'acdc')).toThrow(/nowhere does not exist/);
  });

  it('points to the right --sources when the other layout is there', () => {
    expect(() => detectLayout(dir('mnmsFlat'), 'acdc')).toThrow(/It holds the M&Ms layout: use --sources mnms\.$/);
    expect(() => detectLayout(dir('acdcFlat'), 'mnms')).toThrow(
      /original ACDC layout \(patientNNN\/Info\.cfg\): use --sources acdc\.$/,
    );
  });
});

describe('patient split', () => {
  it('uses the FNV-1a hash (reference vectors)', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });

  it('sends about 20% of unlisted patients to validation, the same way every time', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `patient${String(i).padStart(4, '0')}`);
    const s = splitPatients(ids);
    expect(s.val.length / ids.length).toBeGreaterThan(0.17);
    expect(s.val.length / ids.length).toBeLessThan(0.23);
    expect(s.train.length + s.val.length).toBe(2000);
    expect(splitPatients([...ids].reverse())).toEqual(s);
    // A patient's side does not depend on who else is there.
    expect(splitPatients(ids.slice(0, 10)).val).toEqual(s.val.filter((p) => ids.slice(0, 10).includes(p)));
  });

  it('keeps split.json sides, holds out unlisted ACDC training patients, hashes the rest', () => {
    const listed = { train: ['patient002', 'patient150'], val: ['patient003'] };
    const ids = ['patient001', 'patient002', 'patient003', 'patient100', 'patient101', 'patient150'];
    const s = splitPatients(ids, listed, acdcHeldOut(listed));
    expect(s.test).toEqual(['patient001', 'patient100']);
    expect(s.train).toContain('patient002');
    expect(s.train).toContain('patient150');
    expect(s.val).toContain('patient003');
    expect(hashedToVal('patient101') ? s.val : s.train).toContain('patient101');
    // Without any listed ACDC patients nobody is held out.
    expect(splitPatients(ids, undefined, acdcHeldOut(undefined)).test).toEqual([]);
  });

  it('splits a detected layout by its patients', () => {
    const s = layoutSplit({ layout: 'mnms', dir: dir('mnmsFlat') });
    expect([...s.train, ...s.val]).toEqual(['A0S9V9']);
    expect(layoutSplit({ layout: 'mnms', dir: dir('mnmsFlat') }, { train: [], val: ['A0S9V9'] })).toEqual({
      train: [],
      val: ['A0S9V9'],
      test: [],
    });
  });
});

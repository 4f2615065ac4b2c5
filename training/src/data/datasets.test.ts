import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrainingData, readSplit } from './datasets';
import { acdcHeldOut, splitPatients } from './layouts';
import { writeAcdcPatient, writeMnmsCase, writeMnmsCsv } from './testing/writeDatasets';

let root = '';
const split = readSplit();
const listedTrain = split.acdc.train[0] ?? 'patient003';
const listedVal = split.acdc.val[0] ?? 'patient004';
const acdcPatients = ['patient001', listedTrain, listedVal, 'patient101', 'patient102', 'patient103'];
const mnmsCodes = ['A0S9V9', 'B1C2D3', 'E5F6G7', 'H8I9J0'];

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cineseg-datasets-'));
  for (const p of acdcPatients) writeAcdcPatient(path.join(root, 'acdc'), p, 1, 10);
  for (const c of mnmsCodes) writeMnmsCase(path.join(root, 'mnms'), 'Training/Labeled', c, 0, 3);
  writeMnmsCsv(
    path.join(root, 'mnms'),
    mnmsCodes.map((code) => ({ code, ed: 0, es: 3 })),
  );
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const patientsOf = (vols: { patient: string; source: string }[], source: string): string[] => [
  ...new Set(vols.filter((v) => v.source === source).map((v) => v.patient)),
];

describe('loadTrainingData on the original ACDC and M&Ms layouts', () => {
  it('splits by patient: split.json sides, held-out ACDC training patients, hash for the rest', async () => {
    const { train, val } = await loadTrainingData(root, ['acdc', 'mnms']);
    const acdc = splitPatients(acdcPatients, split.acdc, acdcHeldOut(split.acdc));
    const mnms = splitPatients(mnmsCodes, split.mnms);
    expect(patientsOf(train, 'acdc')).toEqual(acdc.train);
    expect(patientsOf(val, 'acdc')).toEqual(acdc.val);
    expect(patientsOf(train, 'mnms')).toEqual(mnms.train);
    expect(patientsOf(val, 'mnms')).toEqual(mnms.val);
    expect(acdc.train).toContain(listedTrain);
    expect(acdc.val).toContain(listedVal);
    if (!split.acdc.train.includes('patient001') && !split.acdc.val.includes('patient001')) {
      expect(acdc.test).toEqual(['patient001']);
    }
    // Two frames per patient, and nobody on both sides.
    expect(train.length + val.length).toBe(2 * (acdc.train.length + acdc.val.length + mnmsCodes.length));
    const valIds = new Set(val.map((v) => v.patient));
    expect(train.filter((v) => valIds.has(v.patient))).toEqual([]);
  });

  it('limits patients as for the shared layout', async () => {
    const { train, val } = await loadTrainingData(root, ['mnms'], 1);
    expect(patientsOf(train, 'mnms').length).toBeLessThanOrEqual(1);
    expect(patientsOf(val, 'mnms').length).toBeLessThanOrEqual(1);
  });

  it('tells which --sources fits when the asked source is not there', async () => {
    await expect(loadTrainingData(path.join(root, 'mnms'), ['acdc'])).rejects.toThrow(
      /No ACDC data in .*use --sources mnms/,
    );
  });
});

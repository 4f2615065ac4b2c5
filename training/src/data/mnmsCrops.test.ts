import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagonalAffine, type Volume } from '../../../src/core/volume';
import { writeNifti } from '../../../src/io/index';
import { detectLayout, layoutSplit, loadLayoutPatients } from './layouts';
import { NOMINAL_MNMS_SPACING_MM } from './mnmsCrops';

/** The shared M&Ms crops layout, with 1 mm headers as the real files have (that spacing is not real). */
function writeCrops(root: string, subjects: { id: string; vendor: string }[]): void {
  const dir = path.join(root, 'mnms');
  fs.mkdirSync(path.join(dir, 'volumes'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'info.csv'),
    'subject,vendor,vendor_name,cols,rows,slices\n' + subjects.map((s) => `${s.id},${s.vendor},${s.vendor === 'A' ? 'Siemens' : 'Philips'},8,6,2`).join('\n') + '\n',
  );
  const dims = { cols: 8, rows: 6, slices: 2, frames: 1 };
  const spacingMm = { col: 1, row: 1, slice: 1 };
  const vol = (data: Float32Array): Volume => ({ data, dims, spacingMm, affine: diagonalAffine(spacingMm), frameTimesMs: [0], meta: { source: 'nifti', name: 'x' } });
  for (const s of subjects) {
    for (const phase of ['ED', 'ES']) {
      const img = Float32Array.from({ length: 96 }, (_, i) => i + (phase === 'ES' ? 1000 : 0));
      const lab = new Float32Array(96);
      lab[5] = 1;
      lab[6] = 2;
      lab[7] = phase === 'ED' ? 3 : 0;
      fs.writeFileSync(path.join(dir, 'volumes', `${s.id}_${phase}.nii.gz`), writeNifti(vol(img), { datatype: 'int16', gzip: true }));
      fs.writeFileSync(path.join(dir, 'volumes', `${s.id}_${phase}_gt.nii.gz`), writeNifti(vol(lab), { datatype: 'uint8', gzip: true }));
    }
  }
}

describe('the shared M&Ms crops layout', () => {
  it('is detected, split by split.json lists (test never loads) and read with the spacing marked unknown', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mnms-crops-'));
    writeCrops(root, [
      { id: 'S1', vendor: 'A' },
      { id: 'S2', vendor: 'B' },
      { id: 'S3', vendor: 'B' },
    ]);
    const detected = detectLayout(root, 'mnms');
    expect(detected.layout).toBe('mnms-crops');
    const split = layoutSplit(detected, { train: ['S1'], val: ['S2'], test: ['S3'] });
    expect(split).toEqual({ train: ['S1'], val: ['S2'], test: ['S3'] });
    const vols = loadLayoutPatients(detected, split.train);
    expect(vols.map((v) => v.id)).toEqual(['mnms/S1/ED', 'mnms/S1/ES']);
    const ed = vols[0]!;
    expect(ed.spacingKnown).toBe(false);
    expect(ed.spacingColMm).toBe(NOMINAL_MNMS_SPACING_MM); // not the header's 1 mm
    expect(ed.vendor).toBe('A');
    // labels are already ACDC's: kept as they are
    expect([...ed.labels.slice(5, 8)]).toEqual([1, 2, 3]);
    expect(vols[1]!.labels[7]).toBe(0);
    // intensity statistics over both frames (ES values are 1000 higher)
    expect(ed.stats.high).toBeGreaterThan(1000);
    expect(ed.image[10]).toBe(10);
  });
});

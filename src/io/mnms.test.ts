/**
 * The M&Ms crops (../shared/data/mnms) through the readers: real NIfTI from other vendors' scanners, whose headers say
 * 1 × 1 × 1 mm with an identity affine. That spacing is not the real one (mnms/README.md), but it is a well-formed
 * header, and the readers' spacing checks must not refuse it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFiles } from './index';
import { readNifti } from './nifti';
import { sharedDataPath, sharedDataPresent } from './testing/sharedData';

const VOLUMES = sharedDataPath('mnms/volumes');

describe.skipIf(!sharedDataPresent('mnms/volumes'))('M&Ms NIfTI crops (real data)', () => {
  const names = (existsSync(VOLUMES) ? readdirSync(VOLUMES) : [])
    .filter((n) => n.endsWith('.nii.gz'))
    .sort();
  const read = (n: string) => ({ name: n, path: n, bytes: new Uint8Array(readFileSync(join(VOLUMES, n))) });

  it('every file reads, with its 1 mm header spacing and 192×192 crops', () => {
    expect(names.length).toBeGreaterThanOrEqual(400);
    for (const n of names) {
      const { volume, isLabel } = readNifti(read(n));
      expect(volume.spacingMm, n).toEqual({ col: 1, row: 1, slice: 1 });
      expect([volume.dims.cols, volume.dims.rows], n).toEqual([192, 192]);
      expect(isLabel, n).toBe(n.endsWith('_gt.nii.gz'));
    }
  });

  it('an image with its labels loads as one series', () => {
    const image = names.find((n) => n.endsWith('_ED.nii.gz')) as string;
    const out = loadFiles([read(image), read(image.replace('.nii.gz', '_gt.nii.gz'))]);
    if (out.kind !== 'series') throw new Error('expected a series');
    expect(out.series.volume.dims.slices).toBeGreaterThanOrEqual(6);
    expect(out.series.labels?.data.some((v) => v === 3)).toBe(true);
  });
});

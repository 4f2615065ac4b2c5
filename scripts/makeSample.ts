/**
 * Writes the app's demo sample, a synthetic cine (no patient data): public/sample/phantom_cine.nii.gz
 * (4D int16 image) and public/sample/phantom_cine_gt.nii.gz (its labels, ACDC convention).
 *
 * Run: node --import tsx scripts/makeSample.ts
 * Deterministic: the same code gives byte-identical files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makePhantom, type PhantomOptions } from '../src/core/phantom';
import { writeNifti, writeNiftiLabels } from '../src/io/niftiWrite';

/**
 * The sample's settings: a coarser grid than the phantom defaults (128×128 at 2 mm, 20 frames of 50 ms)
 * and 8-bit storage with scl_slope 5, so the noisy file stays under 3 MB (the defaults at int16 give
 * 8 MB: deflate cannot compress noise). Quantising in steps of 5 is far below the noise (sigma 27).
 */
export const SAMPLE_PHANTOM: Partial<PhantomOptions> = {
  cols: 128,
  rows: 128,
  pixelMm: 2,
  frames: 20,
  frameMs: 50,
  seed: 2024,
};
const SAMPLE_SCALE = { slope: 5, inter: 0 };

const outDir = path.join(import.meta.dirname, '../public/sample');
mkdirSync(outDir, { recursive: true });
const { volume, labels, edFrame, esFrame } = makePhantom(SAMPLE_PHANTOM);
const image = writeNifti(
  { ...volume, meta: { ...volume.meta, name: 'phantom_cine' } },
  {
    datatype: 'uint8',
    scale: SAMPLE_SCALE,
    description: `cineseg synthetic phantom, ED frame ${edFrame}, ES frame ${esFrame}`,
  },
);
writeFileSync(path.join(outDir, 'phantom_cine.nii.gz'), image);
const gt = writeNiftiLabels(labels, volume);
writeFileSync(path.join(outDir, 'phantom_cine_gt.nii.gz'), gt);
const { cols, rows, slices, frames } = volume.dims;
console.info(
  `public/sample/phantom_cine.nii.gz: ${cols}×${rows}×${slices}×${frames}, ${(image.length / 1e6).toFixed(2)} MB; ` +
    `labels ${(gt.length / 1e3).toFixed(0)} kB; ED frame ${edFrame}, ES frame ${esFrame}`,
);

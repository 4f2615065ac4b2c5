/**
 * The teacher (8-fold test-time augmentation) on a large frame in the app: 24 slices of 320 x 320 once aborted
 * inside WASM (every slice x view in one forward pass). It must finish, with masks and no error.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { makePhantom } from '../src/core/phantom';
import { writeNifti } from '../src/io/niftiWrite';
import type { ModelIndex } from '../src/segment/manifest';
import { loadFiles, payload } from './fixtures';

const INDEX = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../public/models/index.json'), 'utf8')) as ModelIndex;
const newest = (id: string) =>
  INDEX.models
    .filter((m) => m.id === id)
    .sort((a, b) => b.version.localeCompare(a.version, undefined, { numeric: true }))[0];
const teacher = newest('teacher');

test.skip(!teacher, 'public/models/index.json lists no teacher');

test('the teacher segments a 24-slice 320x320 frame without running out of memory', async ({ page }) => {
  test.setTimeout(420_000);
  await page.addInitScript((key) => localStorage.setItem('cineseg.model', key), `${teacher!.id}@${teacher!.version}`);
  await page.goto('./');
  const ph = makePhantom({ cols: 320, rows: 320, pixelMm: 1.0, slices: 24, sliceMm: 5, frames: 1, seed: 9 });
  await loadFiles(page, [payload('large_frame.nii.gz', writeNifti(ph.volume))]);
  await expect(page.getByTestId('series-info')).toContainText('large_frame');
  await expect(page.getByTestId('segment-progress')).toHaveAttribute('aria-valuenow', '100', { timeout: 400_000 });
  await expect(page.getByTestId('error')).toHaveCount(0);
  await expect(page.getByTestId('segment-status')).not.toContainText(/memory|could not/i);
});

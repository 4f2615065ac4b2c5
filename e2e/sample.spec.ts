/**
 * "Load sample": the bundled synthetic phantom goes through the same loader as user files and shows at once, with
 * its masks. Expected dimensions are read from the shipped file itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { readNifti } from '../src/io/nifti';
import { viewportStats, waitForCanvasChange, waitForImage } from './fixtures';

const SAMPLE_DIR = path.resolve(import.meta.dirname, '../public/sample');
const IMAGE = 'phantom_cine.nii.gz';
const LABELS = 'phantom_cine_gt.nii.gz';

test('Load sample shows the phantom cine with its masks', async ({ page }) => {
  const imagePath = path.join(SAMPLE_DIR, IMAGE);
  expect(existsSync(imagePath), `public/sample/${IMAGE} must be shipped with the app`).toBe(true);
  expect(existsSync(path.join(SAMPLE_DIR, LABELS)), `public/sample/${LABELS} gives the sample its masks`).toBe(true);
  const { dims } = readNifti({ name: IMAGE, path: IMAGE, bytes: readFileSync(imagePath) }).volume;

  await page.goto('./');
  await page.getByTestId('load-sample').click();
  const info = page.getByTestId('series-info');
  await expect(info).toContainText(`${dims.cols}×${dims.rows}`);
  await expect(info).toContainText(`${dims.slices} slice`);
  await expect(info).toContainText(`${dims.frames} frame`);
  await expect(page.getByTestId('error')).toHaveCount(0);

  const first = await waitForImage(page);
  expect(first.colored).toBeGreaterThan(100);
  if (dims.frames > 1) {
    await page.getByTestId('frame-slider').fill(String(Math.floor(dims.frames / 2)));
    const mid = await waitForCanvasChange(page, first);
    expect(mid.colored).toBeGreaterThan(0);
  }
  await page.getByTestId('mask-toggle').uncheck();
  await expect.poll(async () => (await viewportStats(page)).colored).toBe(0);
});

/**
 * Quality flags in the app: a plausible segmentation raises none; masks made to trip the checks (an LV cavity
 * outside the myocardium on an end slice, the RV missing on a mid slice) list flags that jump to their slice
 * and frame.
 */
import { expect, test } from '@playwright/test';
import { Label } from '../src/core/labels';
import { cineNiftiFiles, loadFiles, syntheticCine } from './fixtures';

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('cineseg.autoSegment', 'false'));
  await page.goto('./');
});

test('a plausible segmentation shows no quality flag', async ({ page }) => {
  await loadFiles(page, cineNiftiFiles('good_heart', syntheticCine(64, 48, 5, 7)));
  await expect(page.getByTestId('quality-none')).toBeVisible();
});

test('masks made to trip the checks list flags that go to their slice and frame', async ({ page }) => {
  const cine = syntheticCine(64, 48, 5, 7);
  const { cols, rows, slices } = cine.volume.dims;
  const plane = cols * rows;
  const at = (c: number, r: number, s: number, f: number): number => c + cols * (r + rows * (s + slices * f));
  // Frame 3, slice 1 (0-based 2, 0): an "LV cavity" block in a corner, touching no myocardium.
  for (let r = 1; r < 9; r++) for (let c = 1; c < 9; c++) cine.labels.data[at(c, r, 0, 2)] = Label.LVCavity;
  // Frame 5, slice 3 (0-based 4, 2): the RV erased on a mid-ventricular slice.
  const o = (2 + slices * 4) * plane;
  for (let i = 0; i < plane; i++) if (cine.labels.data[o + i] === Label.RVCavity) cine.labels.data[o + i] = Label.Background;
  await loadFiles(page, cineNiftiFiles('tripped_heart', cine));
  const panel = page.getByTestId('quality-flags');
  await expect(panel.getByRole('status')).toContainText('to check');
  const basal = panel.locator('[data-code="basal-lv-cavity"]');
  await expect(basal).toHaveCount(1);
  await expect(basal).toContainText('Frame 3, slice 1');
  await expect(panel.locator('[data-code="rv-absent"]')).toContainText('Frame 5, slice 3');
  await panel.locator('[data-code="rv-absent"]').click();
  await expect(page.getByTestId('slice-value')).toHaveText('3');
  await expect(page.getByTestId('frame-value')).toHaveText('5');
});

/**
 * The viewer as a person uses it: load a generated 4D NIfTI with labels, see the image and the masks, scrub,
 * use the keys, zoom and pan, toggle the masks. One page for the whole file (serial), to keep the suite fast.
 */
import { expect, test, type Page } from '@playwright/test';
import {
  cineNiftiFiles,
  frameSetNiftiFiles,
  loadFiles,
  syntheticCine,
  viewportStats,
  waitForCanvasChange,
  waitForImage,
} from './fixtures';

test.describe.configure({ mode: 'serial' });

let page: Page;

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  await page.goto('./');
});

test.afterAll(async () => {
  await page.close();
});

test('shows the app shell with the privacy note and an empty measurements panel', async () => {
  await expect(page.getByRole('heading', { level: 1 })).toContainText('cineseg');
  await expect(page.getByTestId('privacy-note')).toContainText('nothing is uploaded');
  await expect(page.getByTestId('measurements-panel')).toBeVisible();
  await expect(page.getByTestId('viewport')).toBeVisible();
  // Cross-origin isolation (needed later for threaded WASM) is on.
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
});

test('loads a 4D NIfTI with its labels through the file input', async () => {
  await loadFiles(page, cineNiftiFiles('synthetic_cine', syntheticCine(64, 48, 5, 7)));
  const info = page.getByTestId('series-info');
  await expect(info).toContainText('64×48');
  await expect(info).toContainText('5 slices');
  await expect(info).toContainText('7 frames');
  await expect(info).toContainText('1.50 × 1.50 × 8.0 mm');
  await expect(info).toContainText('45.0 ms');
  await expect(info).toContainText('NIfTI, 2 files');
  await expect(page.getByTestId('error')).toHaveCount(0);
  const stats = await waitForImage(page);
  expect(stats.colored).toBeGreaterThan(500);
});

test('scrubbing frames changes the image', async () => {
  const frame = page.getByTestId('frame-slider');
  await expect(frame).toHaveValue('0');
  const before = await waitForImage(page);
  await frame.fill('3');
  await expect(page.getByTestId('frame-value')).toHaveText('4');
  const after = await waitForCanvasChange(page, before);
  // The LV disc is smallest mid-cycle: fewer coloured (masked) pixels at frame 4 than at frame 1.
  expect(after.colored).toBeLessThan(before.colored);
  await frame.fill('0');
  await expect.poll(async () => (await viewportStats(page)).hash).toBe(before.hash);
});

test('arrow keys change slice and frame; space plays and pauses', async () => {
  await page.getByTestId('viewport').click();
  const slice = page.getByTestId('slice-value');
  const frame = page.getByTestId('frame-value');
  await expect(slice).toHaveText('3');
  await expect(frame).toHaveText('1');
  await page.keyboard.press('ArrowUp');
  await expect(slice).toHaveText('4');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(slice).toHaveText('2');
  await page.keyboard.press('ArrowRight');
  await expect(frame).toHaveText('2');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(frame).toHaveText('7');

  // Keys also win when a slider has focus (no double step).
  await page.getByTestId('frame-slider').focus();
  await page.keyboard.press('ArrowUp');
  await expect(slice).toHaveText('3');
  await expect(frame).toHaveText('7');

  const play = page.getByTestId('play-toggle');
  await page.keyboard.press('Space');
  await expect(play).toHaveAttribute('aria-pressed', 'true');
  await expect(frame).not.toHaveText('7');
  await page.keyboard.press('Space');
  await expect(play).toHaveAttribute('aria-pressed', 'false');
  const stopped = await frame.textContent();
  await page.waitForTimeout(300);
  await expect(frame).toHaveText(stopped ?? '');
});

test('zoom and pan move the image and the mask together', async () => {
  await page.getByTestId('frame-slider').fill('0');
  const viewport = page.getByTestId('viewport');
  const before = await waitForImage(page);
  const box = await viewport.boundingBox();
  if (!box) throw new Error('viewport has no box');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -350);
  const zoomed = await waitForCanvasChange(page, before);
  // Area scales with the square of the zoom: the mask grew with the image.
  expect(zoomed.colored).toBeGreaterThan(before.colored * 1.5);

  await page.keyboard.down('Shift');
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 40, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const panned = await waitForCanvasChange(page, zoomed);
  expect(Math.abs(panned.colored - zoomed.colored)).toBeLessThan(zoomed.colored * 0.2);

  // Left-drag changes window/level: the picture changes, the mask does not move.
  await page.mouse.move(box.x + 40, box.y + 40);
  await page.mouse.down();
  await page.mouse.move(box.x + 140, box.y + 90, { steps: 4 });
  await page.mouse.up();
  await waitForCanvasChange(page, panned);

  await page.getByRole('button', { name: 'Reset view' }).click();
  await expect.poll(async () => (await viewportStats(page)).hash).toBe(before.hash);
});

test('masks can be hidden, shown and faded', async () => {
  const shown = await waitForImage(page);
  expect(shown.colored).toBeGreaterThan(0);
  await expect(page.getByTestId('mask-legend')).toContainText('LV cavity');
  await page.getByTestId('mask-toggle').uncheck();
  await expect.poll(async () => (await viewportStats(page)).colored).toBe(0);
  await page.getByTestId('mask-toggle').check();
  await expect.poll(async () => (await viewportStats(page)).hash).toBe(shown.hash);
  await page.getByTestId('mask-opacity').fill('0');
  await expect.poll(async () => (await viewportStats(page)).colored).toBe(0);
  await page.getByTestId('mask-opacity').fill('45');
  await expect.poll(async () => (await viewportStats(page)).hash).toBe(shown.hash);
});

test('an ACDC-style frame set shows its labels on the labelled frames only', async () => {
  await loadFiles(page, frameSetNiftiFiles('patient900', syntheticCine(48, 40, 3, 4), [0, 2]));
  const info = page.getByTestId('series-info');
  await expect(info).toContainText('48×40');
  await expect(info).toContainText('4 frames');
  await expect(info).toContainText('from file, frames 1, 3');
  const jumps = page.getByTestId('labelled-frame');
  await expect(jumps).toHaveText(['1', '3']);
  await page.getByTestId('frame-slider').fill('1');
  await expect(page.getByTestId('frame-value')).toHaveText('2');
  await expect.poll(async () => (await viewportStats(page)).colored).toBe(0);
  await jumps.filter({ hasText: '3' }).click();
  await expect(page.getByTestId('frame-value')).toHaveText('3');
  await expect.poll(async () => (await viewportStats(page)).colored).toBeGreaterThan(100);
});

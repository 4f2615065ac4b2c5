/**
 * DICOM in the browser: a real Sunnybrook cine series handed over in shuffled order, and a drop holding two
 * series, where the user picks one. Each test opens its own page and loads what it needs, so either runs alone.
 */
import { expect, test } from '@playwright/test';
import { writeDicomCine } from '../src/io/testing/writeDicom';
import {
  loadFiles,
  payload,
  sunnybrookAvailable,
  sunnybrookFilesShuffled,
  viewportStats,
  waitForCanvasChange,
  waitForImage,
  type FilePayload,
} from './fixtures';

test.beforeEach(async ({ page }) => {
  await page.goto('./');
});

/** One synthetic cine series: `slices` positions along z, `frames` trigger times, one file per image. */
function syntheticSeries(o: {
  uid: string;
  description: string;
  cols: number;
  rows: number;
  slices: number;
  frames: number;
}): FilePayload[] {
  return writeDicomCine({
    slices: o.slices,
    frames: o.frames,
    pixels: (s, f) => new Uint16Array(o.cols * o.rows).map((_, i) => ((i % o.cols) * 10 + f * 50 + s * 5) % 1000),
    common: {
      rows: o.rows,
      cols: o.cols,
      seriesInstanceUid: o.uid,
      seriesDescription: o.description,
      pixelSpacing: [1.25, 1.25],
      sliceThickness: 8,
    },
  }).map((image) =>
    payload(`${o.description.replace(/\W+/g, '_')}_${image.instanceNumber}.dcm`, image.bytes, 'application/dicom'),
  );
}

test('loads the real Sunnybrook cine series from shuffled files', async ({ page }) => {
  // Under CI the data is always there: missing, the test fails instead of passing silently as skipped.
  test.skip(
    !sunnybrookAvailable() && process.env.CI !== 'true',
    'needs ../shared/data/sunnybrook (not part of the repo)',
  );
  // Privacy: loading user files makes no request at all (no upload, nothing to another origin).
  const requests: string[] = [];
  const onRequest = (r: { method: () => string; url: () => string }): void => {
    requests.push(`${r.method()} ${r.url()}`);
  };
  page.on('request', onRequest);
  await loadFiles(page, sunnybrookFilesShuffled());
  const info = page.getByTestId('series-info');
  await expect(info).toContainText('256×256', { timeout: 30_000 });
  await expect(info).toContainText('12 slices');
  await expect(info).toContainText('20 frames');
  await expect(info).toContainText('DICOM, 240 files');
  await expect(info).toContainText(/1\.3\d × 1\.3\d × 10\.0 mm/);
  await expect(page.getByTestId('error')).toHaveCount(0);
  page.off('request', onRequest);
  // Only the app's own static files may be fetched (the loader worker's script, the model the segmentation loads
  // as soon as a series is there), from its own origin with GET, plus the in-memory blob: URLs the page makes
  // itself (tfjs's WASM thread workers): no upload, nothing to another origin.
  const own =
    /^GET (http:\/\/localhost:4173\/(assets\/[\w.-]+\.(js|wasm)|models\/[\w./-]+\.(json|bin))|blob:http:\/\/localhost:4173\/[\w-]+)$/;
  expect(requests.filter((r) => !own.test(r))).toEqual([]);

  const first = await waitForImage(page);
  expect(first.lit).toBeGreaterThan(first.width * first.height * 0.2);
  await page.getByTestId('frame-slider').fill('8');
  await waitForCanvasChange(page, first);
  await page.getByTestId('slice-slider').fill('2');
  await expect(page.getByTestId('slice-value')).toHaveText('3');
  // No labels came with the files: nothing coloured is drawn.
  expect((await waitForImage(page)).colored).toBe(0);
});

test('several series in one drop: the user chooses, and the chosen one loads', async ({ page }) => {
  // A series on screen first, which the choice must leave alone until the user picks.
  await loadFiles(
    page,
    syntheticSeries({
      uid: '1.2.826.0.1.3680043.2.1125.50',
      description: 'first cine',
      cols: 16,
      rows: 16,
      slices: 2,
      frames: 3,
    }),
  );
  await expect(page.getByTestId('series-info')).toContainText('first cine');
  await waitForImage(page);
  const before = await page.getByTestId('series-info').textContent();
  const files = [
    ...syntheticSeries({
      uid: '1.2.826.0.1.3680043.2.1125.100',
      description: 'cine SAX',
      cols: 24,
      rows: 20,
      slices: 2,
      frames: 4,
    }),
    ...syntheticSeries({
      uid: '1.2.826.0.1.3680043.2.1125.200',
      description: 'cine 4CH',
      cols: 32,
      rows: 28,
      slices: 1,
      frames: 5,
    }),
  ];
  await loadFiles(page, files);
  const chooser = page.getByTestId('series-chooser');
  await expect(chooser).toBeVisible();
  const candidates = chooser.getByTestId('series-candidate');
  await expect(candidates).toHaveCount(2);
  // Nothing changed yet.
  await expect(page.getByTestId('series-info')).toHaveText(before ?? '');

  const stats = await viewportStats(page);
  await candidates.filter({ hasText: 'cine 4CH' }).click();
  await expect(chooser).toHaveCount(0);
  const info = page.getByTestId('series-info');
  await expect(info).toContainText('32×28');
  await expect(info).toContainText('1 slice');
  await expect(info).toContainText('5 frames');
  await expect(info).toContainText('cine 4CH');
  await waitForCanvasChange(page, stats);
});

/**
 * Cardiac function in the measurements panel, as a person uses it: the sample's file labels give LVEF, volumes and
 * mass with units; slice toggles and an ES override change them; the CSV and mask downloads hold what is shown.
 * An ACDC-style frame set labelled at two frames gives EF from those two. The model is not run here (auto-start
 * off): these masks come from files, so the spec stays fast and does not depend on a model's accuracy.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Download, type Locator, type Page } from '@playwright/test';
import { computeCardiacFunction } from '../src/core/cardiac/function';
import { frameVolumes } from '../src/core/cardiac/volumes';
import { parseCsv } from '../src/io/csv';
import { readNifti } from '../src/io/nifti';
import { frameSetNiftiFiles, loadFiles, syntheticCine } from './fixtures';

test.describe.configure({ mode: 'serial' });

let page: Page;

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage({ acceptDownloads: true });
  // Keep the model from starting on its own: these tests measure file labels.
  await page.addInitScript(() => localStorage.setItem('cineseg.autoSegment', 'false'));
  await page.goto('./');
});

test.afterAll(async () => {
  await page.close();
});

/** The number in a "61.2 %" / "123.4 ml" / "98.7 g" cell, after checking its unit. */
async function measure(cell: Locator, unit: string): Promise<number> {
  const text = (await cell.textContent()) ?? '';
  const m = new RegExp(`^(-?\\d+\\.\\d) ${unit}$`).exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a number in ${unit}`);
  return Number(m[1]);
}

async function downloadBytes(download: Download): Promise<Uint8Array> {
  const file = await download.path();
  return new Uint8Array(readFileSync(file));
}

/** measure -> value of a report CSV's summary table. */
function csvSummary(text: string): Map<string, string> {
  const rows = parseCsv(text);
  const start = rows.findIndex((r) => r[0] === 'measure');
  expect(start).toBeGreaterThan(0);
  return new Map(rows.slice(start + 1).map((r) => [r[0] ?? '', r[1] ?? '']));
}

test('the sample shows LVEF, volumes and mass with units from its file labels', async () => {
  await page.getByTestId('load-sample').click();
  await expect(page.getByTestId('measurements-source')).toHaveText('from file labels');
  await expect(page.getByTestId('lvef')).toHaveText(/^\d+\.\d %$/);
  const lvef = await measure(page.getByTestId('lvef'), '%');
  const lvedv = await measure(page.getByTestId('lvedv'), 'ml');
  const lvesv = await measure(page.getByTestId('lvesv'), 'ml');
  const mass = await measure(page.getByTestId('lv-mass'), 'g');
  expect(lvef).toBeGreaterThanOrEqual(45);
  expect(lvef).toBeLessThanOrEqual(75);
  expect(lvedv).toBeGreaterThan(lvesv);
  expect(lvesv).toBeGreaterThan(0);
  expect(mass).toBeGreaterThan(0);
  const rvef = await measure(page.getByTestId('rvef'), '%');
  expect(rvef).toBeGreaterThan(20);
  // The curve has a point for every frame and ED/ES markers.
  await expect(page.getByTestId('volume-curve')).toHaveAttribute('data-points', '20');
  await expect(page.getByTestId('curve-ed')).toHaveCount(1);
  await expect(page.getByTestId('curve-es')).toHaveCount(1);
});

test('clicking the volume-time curve shows that frame', async () => {
  await page.getByTestId('curve-frame-7').click();
  await expect(page.getByTestId('frame-value')).toHaveText('7');
  await page.getByTestId('curve-frame-1').click();
  await expect(page.getByTestId('frame-value')).toHaveText('1');
});

test('excluding a slice lowers LVEDV; including it again restores it', async () => {
  const before = await page.getByTestId('lvedv').textContent();
  const mid = page.getByTestId('slice-toggle-5');
  await expect(mid).toBeChecked();
  await mid.uncheck();
  await expect(page.getByTestId('lvedv')).not.toHaveText(before ?? '');
  expect(await measure(page.getByTestId('lvedv'), 'ml')).toBeLessThan(Number(before?.split(' ')[0]));
  await mid.check();
  await expect(page.getByTestId('lvedv')).toHaveText(before ?? '');
});

test('overriding ES changes LVEF; Auto goes back', async () => {
  const before = await page.getByTestId('lvef').textContent();
  const es = page.getByTestId('es-frame');
  const auto = await es.locator('option').first().textContent(); // "auto (frame N)"
  const autoFrame = Number(/frame (\d+)/.exec(auto ?? '')?.[1]);
  const ed = await page.getByTestId('ed-frame').locator('option').first().textContent();
  const edFrame = Number(/frame (\d+)/.exec(ed ?? '')?.[1]);
  // A frame half-way between ED and ES: neither extreme, so EF must change.
  const other = Math.round((autoFrame + edFrame) / 2);
  await es.selectOption(String(other - 1));
  await expect(page.getByTestId('lvef')).not.toHaveText(before ?? '');
  await expect(page.getByTestId('curve-es')).toHaveCount(1);
  await page.getByTestId('reset-phases').click();
  await expect(page.getByTestId('lvef')).toHaveText(before ?? '');
});

test('Export CSV downloads the report: its LVEF is the one shown', async () => {
  const shown = await measure(page.getByTestId('lvef'), '%');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(download.suggestedFilename()).toBe('phantom_cine_function.csv');
  const text = new TextDecoder().decode(await downloadBytes(download));
  const rows = parseCsv(text);
  expect(rows[0]).toEqual(['frame', 'time_ms', 'lv_cavity_ml', 'lv_myocardium_ml', 'rv_cavity_ml']);
  expect(rows.slice(1, 21).every((r) => r[2] !== '')).toBe(true);
  const summary = csvSummary(text);
  expect(Math.abs(Number(summary.get('LVEF')) - shown)).toBeLessThanOrEqual(0.1);
  expect(Number(summary.get('LVEDV'))).toBe(await measure(page.getByTestId('lvedv'), 'ml'));
});

test('Export masks downloads a NIfTI label volume on the series grid', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-masks').click()]);
  expect(download.suggestedFilename()).toBe('phantom_cine_labels.nii.gz');
  const back = readNifti({ name: download.suggestedFilename(), path: 'x', bytes: await downloadBytes(download) });
  // The active source is the sample's own label file (written on the image's grid): the export must match it.
  const gt = readNifti({
    name: 'phantom_cine_gt.nii.gz',
    path: 'x',
    bytes: new Uint8Array(readFileSync('public/sample/phantom_cine_gt.nii.gz')),
  });
  expect(back.datatype).toBe('uint8');
  expect(back.volume.dims).toEqual({ cols: 128, rows: 128, slices: 10, frames: 20 });
  expect(back.volume.dims).toEqual(gt.volume.dims);
  expect(back.volume.affine).toEqual(gt.volume.affine);
  let differing = 0;
  back.volume.data.forEach((v, i) => {
    if (v !== gt.volume.data[i]) differing++;
  });
  expect(differing).toBe(0);
});

test('an ACDC-style frame set labelled at two frames gives EF from those two', async () => {
  const cine = syntheticCine(64, 48, 5, 7);
  const labelled = [0, 3];
  await loadFiles(page, frameSetNiftiFiles('patient042', cine, labelled));
  await expect(page.getByTestId('frames-ready')).toContainText('2 of 7 frames');
  const framesReady = Array.from({ length: 7 }, (_, f) => labelled.includes(f));
  const expected = computeCardiacFunction(frameVolumes(cine.labels, cine.volume, { framesReady }));
  await expect(page.getByTestId('lvef')).toHaveText(`${expected.lvefPct!.toFixed(1)} %`);
  await expect(page.getByTestId('lvedv')).toHaveText(`${expected.lvedvMl!.toFixed(1)} ml`);
  await expect(page.getByTestId('lvesv')).toHaveText(`${expected.lvesvMl!.toFixed(1)} ml`);
  await expect(page.getByTestId('volume-curve')).toHaveAttribute('data-points', '2');
});

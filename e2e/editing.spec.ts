/**
 * Correcting the masks by hand, as a person does it: pick the brush and a structure, paint on the slice on screen,
 * see LVEF change, undo and redo, the edited slice and frame marked, the CSV saying what was edited, the original
 * masks still available; outline display; and a DICOM round trip: edit, export the masks (NIfTI + index), drop them
 * back with the series and get the same masks. The model is not run (auto-start off): the masks come from files.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Download, type Page } from '@playwright/test';
import { Label } from '../src/core/labels';
import { parseCsv } from '../src/io/csv';
import { loadFiles as loadInNode } from '../src/io/index';
import { maskExportFiles } from '../src/io/maskExport';
import { readNifti } from '../src/io/nifti';
import { volumePixels, writeDicomCine } from '../src/io/testing/writeDicom';
import type { LabelVolume, Volume } from '../src/core/volume';
import { loadFiles, payload, syntheticCine, viewportStats, waitForImage, type FilePayload } from './fixtures';

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('cineseg.autoSegment', 'false'));
  await page.goto('./');
});

async function downloadBytes(download: Download): Promise<Uint8Array> {
  return new Uint8Array(readFileSync(await download.path()));
}

/** Drags the brush from one point to another, given as fractions of the viewport's width and height. */
async function paint(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  const box = await page.getByTestId('viewport').boundingBox();
  if (!box) throw new Error('no viewport');
  const at = ([fx, fy]: [number, number]): [number, number] => [box.x + fx * box.width, box.y + fy * box.height];
  await page.mouse.move(...at(from));
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) {
    const t = i / 8;
    await page.mouse.move(...at([from[0] + t * (to[0] - from[0]), from[1] + t * (to[1] - from[1])]));
  }
  await page.mouse.up();
}

async function clickAt(page: Page, fx: number, fy: number): Promise<void> {
  const box = await page.getByTestId('viewport').boundingBox();
  if (!box) throw new Error('no viewport');
  await page.mouse.click(box.x + fx * box.width, box.y + fy * box.height);
}

test('painting the LV cavity changes LVEF; undo, redo, marks, CSV and the original masks', async ({ page }) => {
  await page.getByTestId('load-sample').click();
  await expect(page.getByTestId('measurements-source')).toHaveText('from file labels');
  await expect(page.getByTestId('lvef')).toHaveText(/^\d+\.\d %$/);
  await waitForImage(page);
  const original = await page.getByTestId('lvef').textContent();
  const originalEdv = await page.getByTestId('lvedv').textContent();

  // Paint LV cavity with a large brush (keys B and 3) across the slice and frame on screen: that frame's LV cavity
  // becomes the largest, so LVEDV and LVEF change.
  await page.getByTestId('viewport').hover();
  await page.keyboard.press('b');
  await page.keyboard.press('3');
  await expect(page.getByTestId('edit-tool-brush')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('edit-label-3')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('brush-size').fill('30');
  await expect(page.getByTestId('edit-shortcuts')).toContainText('Ctrl+Z undo');
  const shown = (await page.getByTestId('viewport').getAttribute('aria-label')) ?? '';
  const [, slice, frame] = /slice (\d+), frame (\d+)/.exec(shown)?.map(Number) ?? [];
  await paint(page, [0.2, 0.2], [0.8, 0.3]);

  await expect(page.getByTestId('measurements-source')).toContainText('edited by hand, from file labels');
  await expect(page.getByTestId('mask-source')).toHaveValue('edited');
  await expect(page.getByTestId('lvef')).not.toHaveText(original ?? '');
  await expect(page.getByTestId('lvedv')).not.toHaveText(originalEdv ?? '');
  const edited = await page.getByTestId('lvef').textContent();
  await expect(page.getByTestId(`slice-edited-${slice}`)).toBeVisible();
  await expect(page.getByTestId('slice-edited-badge')).toBeVisible();
  await expect(page.locator('[data-testid="segment-frames"] li[data-edited="true"]')).toHaveCount(1);

  // Undo and redo, by key and by button.
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('lvef')).toHaveText(original ?? '');
  await expect(page.getByTestId(`slice-edited-${slice}`)).toHaveCount(0);
  await page.getByTestId('edit-redo').click();
  await expect(page.getByTestId('lvef')).toHaveText(edited ?? '');

  // The CSV says which slice of which frame was edited.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const rows = parseCsv(new TextDecoder().decode(await downloadBytes(csv)));
  expect(rows[0]).toContain('edited_slices');
  const col = rows[0]!.indexOf('edited_slices');
  const editedRows = rows.slice(1).filter((r) => r.length === rows[0]!.length && r[col] !== '');
  expect(editedRows.map((r) => [r[0], r[col]])).toEqual([[String(frame), String(slice)]]);
  expect(rows.find((r) => r[0] === 'edited images')?.[1]).toBe('1');

  // Fill refuses a region open to the border.
  await page.keyboard.press('f');
  await clickAt(page, 0.02, 0.02);
  await expect(page.getByTestId('edit-note')).toContainText('enclosed region');

  // The original stays available as a mask source.
  await page.getByTestId('mask-source').selectOption('file');
  await expect(page.getByTestId('lvef')).toHaveText(original ?? '');
  await page.getByTestId('mask-source').selectOption('edited');
  await expect(page.getByTestId('lvef')).toHaveText(edited ?? '');

  // Outline display paints far fewer coloured pixels than filled masks.
  await page.keyboard.press('v');
  await page.mouse.move(0, 0);
  const filled = await waitForImage(page);
  await page.getByTestId('mask-style').selectOption('outline');
  await expect.poll(async () => (await viewportStats(page)).colored).toBeLessThan(filled.colored * 0.6);
  expect((await viewportStats(page)).colored).toBeGreaterThan(0);
});

/** A synthetic cine as DICOM files (one per image) and, in Node, the volume the app's loader makes of them. */
function dicomCine(): { files: FilePayload[]; volume: Volume } {
  const cine = syntheticCine(64, 48, 4, 6);
  const { cols, rows, slices, frames } = cine.volume.dims;
  const files = writeDicomCine({
    slices,
    frames,
    frameMs: 45,
    pixels: volumePixels(cine.volume),
    common: {
      rows,
      cols,
      seriesInstanceUid: '1.2.826.0.1.3680043.2.1125.77',
      seriesDescription: 'SAX cine edit test',
      pixelSpacing: [1.5, 1.5],
      sliceThickness: 8,
    },
  }).map((image) =>
    payload(`IM${String(image.instanceNumber).padStart(4, '0')}.dcm`, image.bytes, 'application/dicom'),
  );
  const out = loadInNode(files.map((f) => ({ name: f.name, path: f.name, bytes: new Uint8Array(f.buffer) })));
  if (out.kind !== 'series') throw new Error('expected one series');
  return { files, volume: out.series.volume };
}

/** Labels of the synthetic cine from its intensities (LV 900, RV 700, myocardium 300), on the loaded grid. */
function labelsOf(volume: Volume): LabelVolume {
  const data = Uint8Array.from(volume.data, (v) =>
    v === 900 ? Label.LVCavity : v === 700 ? Label.RVCavity : v === 300 ? Label.Myocardium : Label.Background,
  );
  return { data, dims: { ...volume.dims } };
}

test('DICOM round trip: edit, export masks with their index, drop them back with the series', async ({ page }) => {
  const { files, volume } = dicomCine();
  const labels = labelsOf(volume);
  const saved = maskExportFiles(labels, volume, 'sax').map((f) => payload(f.name, f.bytes, f.mimeType));
  expect(saved.map((f) => f.name)).toEqual(['sax_labels.nii.gz', 'sax_labels.index.json']);

  await loadFiles(page, [...files, ...saved]);
  await expect(page.getByTestId('measurements-source')).toHaveText('from file labels');
  await expect(page.getByTestId('lvef')).toHaveText(/^\d+\.\d %$/);
  await waitForImage(page);
  const original = await page.getByTestId('lvef').textContent();

  // Paint the LV cavity over part of the RV on the slice and frame on screen.
  await page.getByTestId('edit-tool-brush').click();
  await page.getByTestId('edit-label-3').click();
  await page.getByTestId('brush-size').fill('12');
  await paint(page, [0.3, 0.4], [0.45, 0.6]);
  await expect(page.getByTestId('lvef')).not.toHaveText(original ?? '');
  const edited = await page.getByTestId('lvef').textContent();

  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await page.getByTestId('export-masks').click();
  await expect.poll(() => downloads.length).toBe(2);
  const exported = await Promise.all(
    downloads.map(async (d) => payload(d.suggestedFilename(), await downloadBytes(d))),
  );
  const exportedNames = exported.map((f) => f.name).sort();
  expect(exportedNames[0]).toMatch(/_labels\.index\.json$/);
  expect(exportedNames[1]).toMatch(/_labels\.nii\.gz$/);

  // The export holds the edit: voxels changed on one (slice, frame) only, all of them to LV cavity.
  const nii = exported.find((f) => f.name.endsWith('.nii.gz'))!;
  const back = readNifti({ name: nii.name, path: nii.name, bytes: new Uint8Array(nii.buffer) }).volume;
  const n = volume.dims.cols * volume.dims.rows;
  const changedImages = new Set<number>();
  let changed = 0;
  back.data.forEach((v, i) => {
    if (v === labels.data[i]) return;
    changed++;
    expect(v).toBe(Label.LVCavity);
    changedImages.add(Math.floor(i / n));
  });
  expect(changed).toBeGreaterThan(20);
  expect(changedImages.size).toBe(1);

  // Another series in between, then the DICOM files with the exported masks: the same masks and LVEF come back.
  await page.getByTestId('load-sample').click();
  await expect(page.getByTestId('measurements-source')).toHaveText('from file labels');
  await loadFiles(page, [...files, ...exported]);
  await expect(page.getByTestId('series-info')).toContainText('SAX cine edit test');
  await expect(page.getByTestId('measurements-source')).toHaveText('from file labels');
  await expect(page.getByTestId('lvef')).toHaveText(edited ?? '');
  const [again] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-masks').click()]);
  const second = await downloadBytes(again);
  const reread = readNifti({ name: 'x.nii.gz', path: 'x', bytes: second }).volume;
  expect(Array.from(reread.data)).toEqual(Array.from(back.data));
});

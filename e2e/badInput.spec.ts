/**
 * Bad input never costs the user the series on screen: each case shows an alert naming the file and the problem,
 * and the series panel stays as it was. The first series arrives by drag and drop (the other specs use the input).
 */
import { expect, test, type Page } from '@playwright/test';
import { gzipSync } from 'fflate';
import { diagonalAffine, type Volume } from '../src/core/volume';
import { writeNifti } from '../src/io/niftiWrite';
import { JPEG_BASELINE, writeDicom } from '../src/io/testing/writeDicom';
import { cineNiftiFiles, loadFiles, payload, syntheticCine, waitForImage, type FilePayload } from './fixtures';

test.describe.configure({ mode: 'serial' });

let page: Page;
let infoBefore: string;

function tinyVolume(): Volume {
  const spacingMm = { col: 1, row: 1, slice: 8 };
  return {
    data: new Float32Array(8 * 8 * 2 * 3).map((_, i) => i % 50),
    dims: { cols: 8, rows: 8, slices: 2, frames: 3 },
    spacingMm,
    affine: diagonalAffine(spacingMm),
    frameTimesMs: [0, 40, 80],
    meta: { source: 'nifti', name: 'tiny' },
  };
}

/** An uncompressed NIfTI whose header claims other dimensions (dim[1], dim[2] at bytes 42 and 44). */
function niftiWithDims(cols: number, rows: number): Uint8Array {
  const bytes = writeNifti(tinyVolume(), { gzip: false });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setInt16(42, cols, true);
  view.setInt16(44, rows, true);
  return bytes;
}

/** An uncompressed NIfTI whose pixdim[axis] (float32 at byte 76 + 4 × axis) says `mm`. */
function niftiWithSpacing(axis: 1 | 2 | 3, mm: number): Uint8Array {
  const bytes = writeNifti(tinyVolume(), { gzip: false });
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setFloat32(76 + 4 * axis, mm, true);
  return bytes;
}

/**
 * A gzip bomb: a .nii.gz whose header describes the tiny 8×8×2×3 image (1.5 KiB) but that inflates to 64 MiB more
 * (zeros, which compress to ~64 KB). Made here, never stored.
 */
function gzipBomb(): Uint8Array {
  const header = writeNifti(tinyVolume(), { gzip: false });
  const inflated = new Uint8Array(header.length + 64 * 1024 * 1024);
  inflated.set(header);
  return gzipSync(inflated);
}

/** Four images (2 slices × 2 frames) of one series, each made with `extra` options. */
function dicomSeries(stem: string, extra: Parameters<typeof writeDicom>[0]): FilePayload[] {
  return [0, 1, 2, 3].map((k) =>
    payload(
      `${stem}${k + 1}.dcm`,
      writeDicom({
        imagePositionPatient: [0, 0, 8 * (k % 2)],
        triggerTime: 40 * Math.floor(k / 2),
        instanceNumber: k + 1,
        ...extra,
      }),
      'application/dicom',
    ),
  );
}

const gz = writeNifti(tinyVolume());
const JPEG_BYTES = new Uint8Array([
  0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9,
]);

const cases: { title: string; files: FilePayload[]; names: string; says: RegExp }[] = [
  {
    title: 'a text file',
    files: [payload('notes.txt', new TextEncoder().encode('ED frame 1, ES frame 12\n'), 'text/plain')],
    names: 'notes.txt',
    says: /not a NIfTI or DICOM/i,
  },
  {
    title: 'a JPEG picture',
    files: [payload('photo.jpg', JPEG_BYTES, 'image/jpeg')],
    names: 'photo.jpg',
    says: /JPEG/,
  },
  {
    title: 'a truncated .nii.gz',
    files: [payload('cut.nii.gz', gz.slice(0, Math.floor(gz.length * 0.6)))],
    names: 'cut.nii.gz',
    says: /truncated|damaged/i,
  },
  {
    title: 'a NIfTI with a zero dimension',
    files: [payload('zero_dims.nii', niftiWithDims(0, 8))],
    names: 'zero_dims.nii',
    says: /size|dimension/i,
  },
  {
    title: 'a NIfTI with absurd dimensions',
    files: [payload('huge_dims.nii', niftiWithDims(30000, 30000))],
    names: 'huge_dims.nii',
    says: /implausible|size/i,
  },
  {
    title: 'a .nii.gz that inflates far past its header (a gzip bomb)',
    files: [payload('bomb.nii.gz', gzipBomb())],
    names: 'bomb.nii.gz',
    says: /decompression bomb/,
  },
  {
    title: 'a NIfTI with pixel spacing 0',
    files: [payload('zero_spacing.nii', niftiWithSpacing(1, 0))],
    names: 'zero_spacing.nii',
    says: /pixdim\[1\] \(between columns\) is 0/,
  },
  {
    title: 'a NIfTI with an absurd slice spacing',
    files: [payload('far_slices.nii', niftiWithSpacing(3, 1e6))],
    names: 'far_slices.nii',
    says: /pixdim\[3\] \(between slices\) is 1000000 mm/,
  },
  {
    title: 'a truncated DICOM file in a series',
    files: dicomSeries('cut', { pixels: new Uint16Array(64).fill(200) }).map((f, k) =>
      k === 2 ? { ...f, buffer: f.buffer.subarray(0, f.buffer.length - 50) } : f,
    ),
    names: 'cut3.dcm',
    says: /ends early/,
  },
  {
    title: 'DICOM files without pixel data',
    files: dicomSeries('nopixels', { omitPixelData: true }),
    names: 'nopixels',
    says: /pixel data/i,
  },
  {
    title: 'DICOM files with a JPEG transfer syntax',
    files: dicomSeries('jpegts', { transferSyntaxUid: JPEG_BASELINE, pixels: new Uint8Array(64) }),
    names: 'jpegts',
    says: /transfer syntax|compressed/i,
  },
  {
    title: 'a single 2D DICOM image',
    files: [payload('single.dcm', writeDicom({ pixels: new Uint16Array(64).fill(300) }), 'application/dicom')],
    names: 'single.dcm',
    says: /single|whole series/i,
  },
];

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  await page.goto('./');
});

test.afterAll(async () => {
  await page.close();
});

test('a NIfTI dropped on the page loads', async () => {
  const [image, labels] = cineNiftiFiles('dropped_cine', syntheticCine(40, 32, 3, 4));
  if (!image || !labels) throw new Error('fixture missing');
  const dataTransfer = await page.evaluateHandle(
    (files) => {
      const dt = new DataTransfer();
      for (const f of files) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
      return dt;
    },
    [image, labels].map((f) => ({ name: f.name, bytes: Array.from(f.buffer) })),
  );
  const zone = page.getByTestId('drop-zone');
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
  const info = page.getByTestId('series-info');
  await expect(info).toContainText('40×32');
  await expect(info).toContainText('3 slices');
  await expect(info).toContainText('4 frames');
  expect((await waitForImage(page)).colored).toBeGreaterThan(0);
  infoBefore = (await info.textContent()) ?? '';
  expect(infoBefore).toContain('dropped_cine');
});

for (const c of cases) {
  test(`${c.title}: clear message naming the file, previous series kept`, async () => {
    const shown = await waitForImage(page);
    await loadFiles(page, c.files);
    const alert = page.getByRole('alert');
    await expect(alert).toBeVisible();
    await expect(page.getByTestId('error')).toContainText(c.names);
    await expect(page.getByTestId('error')).toContainText(c.says);
    await expect(page.getByTestId('series-info')).toHaveText(infoBefore);
    // Still the same picture, and the page still answers.
    expect((await waitForImage(page)).hash).toBe(shown.hash);
    await page.getByRole('button', { name: 'Dismiss error' }).click();
    await expect(page.getByTestId('error')).toHaveCount(0);
  });
}

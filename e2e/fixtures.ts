/**
 * Shared helpers for the e2e specs: synthetic inputs made with the app's own io writers, and reading the viewport
 * canvas. Real patient data is read from ../shared/data at test time and never copied into the repo.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { Label } from '../src/core/labels';
import { diagonalAffine, type LabelVolume, type Volume } from '../src/core/volume';
import { writeNifti, writeNiftiLabels } from '../src/io/niftiWrite';

export interface FilePayload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

export function payload(name: string, bytes: Uint8Array, mimeType = 'application/octet-stream'): FilePayload {
  return { name, mimeType, buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

export interface SyntheticCine {
  volume: Volume;
  labels: LabelVolume;
}

/**
 * A beating "heart" on a small grid: a bright LV cavity disc whose radius shrinks and grows over the cycle, a
 * myocardial ring around it and an RV crescent beside it, all labelled.
 */
export function syntheticCine(cols = 64, rows = 48, slices = 5, frames = 7): SyntheticCine {
  const n = cols * rows * slices * frames;
  const data = new Float32Array(n);
  const labels = new Uint8Array(n);
  const cx = cols * 0.55;
  const cy = rows * 0.5;
  for (let f = 0; f < frames; f++) {
    const radius = rows * (0.2 - 0.08 * Math.sin((Math.PI * f) / Math.max(1, frames - 1)));
    for (let s = 0; s < slices; s++) {
      const taper = 1 - (0.5 * s) / slices;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const i = c + cols * (r + rows * (s + slices * f));
          const d = Math.hypot(c - cx, r - cy);
          const dRv = Math.hypot(c - (cx - rows * 0.42), r - cy);
          let v = 80 + ((c * 7 + r * 13) % 17);
          let l: number = Label.Background;
          if (d < radius * taper) [v, l] = [900, Label.LVCavity];
          else if (d < radius * taper + 4) [v, l] = [300, Label.Myocardium];
          else if (dRv < radius * 1.1) [v, l] = [700, Label.RVCavity];
          data[i] = v;
          labels[i] = l;
        }
      }
    }
  }
  const spacingMm = { col: 1.5, row: 1.5, slice: 8 };
  const volume: Volume = {
    data,
    dims: { cols, rows, slices, frames },
    spacingMm,
    affine: diagonalAffine(spacingMm),
    frameTimesMs: Array.from({ length: frames }, (_, f) => 45 * f),
    meta: { source: 'nifti', name: 'synthetic_cine.nii.gz' },
  };
  return { volume, labels: { data: labels, dims: { ...volume.dims } } };
}

/** `<stem>.nii.gz` and, with labels, `<stem>_gt.nii.gz`. */
export function cineNiftiFiles(stem: string, cine: SyntheticCine, withLabels = true): FilePayload[] {
  const files = [payload(`${stem}.nii.gz`, writeNifti(cine.volume))];
  if (withLabels) files.push(payload(`${stem}_gt.nii.gz`, writeNiftiLabels(cine.labels, cine.volume)));
  return files;
}

export const SUNNYBROOK_DICOM_DIR = path.resolve(import.meta.dirname, '../../shared/data/sunnybrook/SCD0000101/dicom');

/** All files of the Sunnybrook cine series, in a shuffled order (the app must sort them itself). */
export function sunnybrookFilesShuffled(seed = 7): FilePayload[] {
  const names = readdirSync(SUNNYBROOK_DICOM_DIR).sort();
  let state = seed;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  for (let i = names.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [names[i], names[j]] = [names[j] as string, names[i] as string];
  }
  return names.map((n) => payload(n, readFileSync(path.join(SUNNYBROOK_DICOM_DIR, n)), 'application/dicom'));
}

export function sunnybrookAvailable(): boolean {
  return existsSync(SUNNYBROOK_DICOM_DIR);
}

export interface CanvasStats {
  /** FNV-1a hash of the RGBA pixels. */
  hash: number;
  /** Pixels whose colour is clearly not grey: the mask overlay. */
  colored: number;
  /** Pixels brighter than near-black: the image itself. */
  lit: number;
  width: number;
  height: number;
}

/** Reads cornerstone's canvas inside the viewport. */
export async function viewportStats(page: Page): Promise<CanvasStats> {
  return page.getByTestId('viewport').evaluate((el) => {
    const canvas = el.querySelector('canvas');
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || canvas.width === 0 || canvas.height === 0) {
      return { hash: 0, colored: 0, lit: 0, width: 0, height: 0 };
    }
    const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let hash = 0x811c9dc5;
    let colored = 0;
    let lit = 0;
    for (let i = 0; i < px.length; i += 4) {
      const r = px[i] ?? 0;
      const g = px[i + 1] ?? 0;
      const b = px[i + 2] ?? 0;
      hash = Math.imul(hash ^ r ^ (g << 8) ^ (b << 16), 0x01000193);
      if (Math.max(r, g, b) - Math.min(r, g, b) > 40) colored++;
      if (r + g + b > 30) lit++;
    }
    return { hash: hash >>> 0, colored, lit, width: canvas.width, height: canvas.height };
  });
}

/** Waits until the viewport shows something that differs from `before` and returns it. */
export async function waitForCanvasChange(page: Page, before: CanvasStats): Promise<CanvasStats> {
  let after = before;
  await expect
    .poll(async () => {
      after = await viewportStats(page);
      return after.hash;
    })
    .not.toBe(before.hash);
  return after;
}

/** Waits until an image is drawn (some lit pixels) and the canvas stopped changing. */
export async function waitForImage(page: Page): Promise<CanvasStats> {
  let last = await viewportStats(page);
  await expect
    .poll(async () => {
      const now = await viewportStats(page);
      const stable = now.lit > 0 && now.hash === last.hash;
      last = now;
      return stable;
    })
    .toBe(true);
  return last;
}

export async function loadFiles(page: Page, files: FilePayload[]): Promise<void> {
  await page.getByTestId('file-input').setInputFiles(files);
}

/** One 3D file per frame, ACDC style (`<stem>_frameNN.nii.gz`), with `_gt` files for `labelled` frames (0-based). */
export function frameSetNiftiFiles(stem: string, cine: SyntheticCine, labelled: number[]): FilePayload[] {
  const { dims } = cine.volume;
  const frameSize = dims.cols * dims.rows * dims.slices;
  const files: FilePayload[] = [];
  for (let f = 0; f < dims.frames; f++) {
    const name = `${stem}_frame${String(f + 1).padStart(2, '0')}`;
    const frame: Volume = {
      ...cine.volume,
      data: cine.volume.data.slice(f * frameSize, (f + 1) * frameSize),
      dims: { ...dims, frames: 1 },
      frameTimesMs: [0],
    };
    files.push(payload(`${name}.nii.gz`, writeNifti(frame)));
    if (labelled.includes(f)) {
      const labels = { data: cine.labels.data.slice(f * frameSize, (f + 1) * frameSize), dims: frame.dims };
      files.push(payload(`${name}_gt.nii.gz`, writeNiftiLabels(labels, frame)));
    }
  }
  return files;
}

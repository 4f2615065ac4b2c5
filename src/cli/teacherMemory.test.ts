/**
 * The teacher (8-fold TTA) on a large frame: 24 slices of 320 x 320, which aborted inside WASM when every
 * slice x view ran in one forward pass. The engine now runs TTA view by view within a memory budget per pass.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { makePhantom } from '@/core/phantom';
import { readNifti } from '@/io/nifti';
import { writeNifti } from '@/io/niftiWrite';
import { runSegmentCli, type CliIo } from './segment';

const dir = mkdtempSync(path.join(tmpdir(), 'cineseg-teacher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('segments a 24-slice 320x320 frame with the teacher on the WASM backend', async () => {
  const ph = makePhantom({ cols: 320, rows: 320, pixelMm: 1.0, slices: 24, sliceMm: 5, frames: 1, seed: 5 });
  const input = path.join(dir, 'big.nii.gz');
  writeFileSync(input, writeNifti(ph.volume));
  const out = path.join(dir, 'big_labels.nii.gz');
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) };
  const code = await runSegmentCli([input, '--model', 'teacher', '--backend', 'wasm', '--out', out], io);
  expect(stderr).not.toMatch(/Aborted|out of memory/i);
  expect(code).toBe(0);
  expect(stdout).toMatch(/model\s+teacher/);
  const labels = readNifti({ name: 'big_labels.nii.gz', path: out, bytes: new Uint8Array(readFileSync(out)) }).volume;
  expect(labels.dims).toMatchObject({ cols: 320, rows: 320, slices: 24 });
  // The phantom's heart is found: an LV cavity on the mid slices.
  const plane = 320 * 320;
  let lv = 0;
  for (let i = 12 * plane; i < 13 * plane; i++) if (labels.data[i] === 3) lv++;
  expect(lv).toBeGreaterThan(200);
}, 600_000);

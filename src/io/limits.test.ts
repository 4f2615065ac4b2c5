import { describe, expect, it } from 'vitest';
import { loadFiles } from './index';
import { formatBytes, INPUT_LIMITS, spacingProblem } from './limits';
import { writeDicom, type SyntheticDicomOptions } from './testing/writeDicom';
import type { InputFile } from './types';
import { expectLoadError } from './testing/loadOutcome';

/** 2 slices × 2 frames, each image made with `extra(k)`. */
function series(extra: (k: number) => SyntheticDicomOptions = () => ({})): InputFile[] {
  return [0, 1, 2, 3].map((k) => {
    const name = `IM${k + 1}.dcm`;
    const bytes = writeDicom({
      imagePositionPatient: [0, 0, 8 * (k % 2)],
      triggerTime: 40 * Math.floor(k / 2),
      instanceNumber: k + 1,
      pixels: new Uint16Array(64).fill(100 + k),
      ...extra(k),
    });
    return { name, path: name, bytes };
  });
}

describe('input limits', () => {
  it('says what is wrong with a spacing', () => {
    expect(spacingProblem(1.25, 'in-plane')).toBeUndefined();
    expect(spacingProblem(1, 'slice')).toBeUndefined();
    expect(spacingProblem(100, 'slice')).toBeUndefined();
    expect(spacingProblem(0, 'in-plane')).toBe('is 0');
    expect(spacingProblem(-2, 'slice')).toBe('is negative (-2 mm)');
    expect(spacingProblem(Number.NaN, 'in-plane')).toBe('is not a number');
    expect(spacingProblem(Infinity, 'slice')).toBe('is Infinity mm');
    expect(spacingProblem(51, 'in-plane')).toBe('is 51 mm');
    expect(spacingProblem(51, 'slice')).toBeUndefined();
    expect(spacingProblem(0.001, 'in-plane')).toBe('is 0.001 mm');
  });

  it('formats sizes for messages', () => {
    expect(formatBytes(INPUT_LIMITS.maxFileBytes)).toBe('2048 MiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(12)).toBe('12 bytes');
  });

  it('refuses DICOM pixel spacing out of range, naming the file', () => {
    const e = expectLoadError(() => loadFiles(series(() => ({ pixelSpacing: [1e6, 1e6] }))));
    expect(e.message).toMatch(
      /^IM\d\.dcm has an implausible PixelSpacing \(1000000\\1000000 mm\); cineseg needs 0\.01-50 mm/,
    );
    // Missing or zero PixelSpacing stays a warning with 1 mm assumed (secondary captures have none).
    const out = loadFiles(series(() => ({ pixelSpacing: [0, 0] })));
    if (out.kind !== 'series') throw new Error('expected a series');
    expect(out.series.warnings.join(' ')).toMatch(/PixelSpacing.*1 mm was assumed/);
  });

  it('refuses slices further apart than a short-axis stack can be', () => {
    const e = expectLoadError(() => loadFiles(series((k) => ({ imagePositionPatient: [0, 0, 1000 * (k % 2)] }))));
    expect(e.message).toMatch(/^The slices of the DICOM series \(first image IM\d\.dcm\) are 1000 mm apart on average/);
    expect(e.file).toMatch(/^IM\d\.dcm$/);
  });

  it('names the images of an incomplete slice, and a file skipped on the way', () => {
    const files = series();
    const e = expectLoadError(() => loadFiles(files.slice(0, 3)));
    expect(e.message).toMatch(/the slice at 8\.0 mm has 1 frame, others have 2 \(that slice: IM2\.dcm\)/);
    // IM4.dcm damaged beyond recognition (its DICM signature gone): the series is incomplete, and the message says why.
    const damaged = (files[3] as InputFile).bytes.slice();
    damaged[128] = 0;
    const e2 = expectLoadError(() =>
      loadFiles([...files.slice(0, 3), { name: 'IM4.dcm', path: 'IM4.dcm', bytes: damaged }]),
    );
    expect(e2.message).toMatch(
      /others have 2 \(that slice: IM2\.dcm\)\..*1 file was not DICOM and (was )?skipped \(IM4\.dcm\)/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { formatFrameInterval, formatMatrix, formatSource, formatSpacing, plural } from './seriesFormat';

describe('series panel text', () => {
  it('formats the grid like a scanner console', () => {
    expect(formatMatrix({ cols: 256, rows: 216, slices: 12, frames: 20 })).toBe('256×216');
    expect(plural(12, 'slice', 'slices')).toBe('12 slices');
    expect(plural(1, 'frame', 'frames')).toBe('1 frame');
    expect(formatSpacing({ col: 1.3671875, row: 1.3671875, slice: 10 })).toBe('1.37 × 1.37 × 10.0 mm');
  });

  it('states the frame interval or the fallback rate', () => {
    expect(formatFrameInterval([0, 40, 80])).toBe('40.0 ms (25.0 fps)');
    expect(formatFrameInterval([0])).toBe('unknown (plays at 25 fps)');
  });

  it('names the source', () => {
    expect(formatSource('dicom', 240)).toBe('DICOM, 240 files');
    expect(formatSource('nifti', 1)).toBe('NIfTI, 1 file');
  });
});

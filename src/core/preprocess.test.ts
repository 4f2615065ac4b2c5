import { describe, expect, it } from 'vitest';
import { mulberry32 } from './random';
import { intensityStats, modelToImageAffine, normalizeValue, resampleImage, scoresToImageLabels } from './preprocess';

/** Exact percentile of a sorted copy (nearest rank), the reference for the histogram estimate. */
function exactPercentile(values: Float32Array, pct: number): number {
  const sorted = Float32Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((pct / 100) * sorted.length) - 1))]!;
}

describe('intensityStats', () => {
  it('finds the 0.5 / 99.5 percentiles of MR-like data within a bin', () => {
    const rand = mulberry32(3);
    const data = new Float32Array(200_000);
    for (let i = 0; i < data.length; i++) data[i] = Math.round(rand() ** 2 * 1800);
    const s = intensityStats(data);
    const bin = (s.max - s.min) / 4095;
    expect(s.min).toBe(0);
    expect(s.max).toBe(data.reduce((a, b) => Math.max(a, b), -Infinity));
    expect(Math.abs(s.low - exactPercentile(data, 0.5))).toBeLessThanOrEqual(bin);
    expect(Math.abs(s.high - exactPercentile(data, 99.5))).toBeLessThanOrEqual(bin);
  });

  it('keeps its resolution when one far outlier stretches the range', () => {
    const rand = mulberry32(5);
    const data = new Float32Array(100_000);
    for (let i = 0; i < data.length; i++) data[i] = 100 + 400 * rand();
    data[17] = 1e7;
    const s = intensityStats(data);
    expect(s.max).toBe(1e7);
    // A single 4096-bin pass over [100, 1e7] would have bins of 2442 units: both percentiles in one bin.
    expect(Math.abs(s.low - exactPercentile(data, 0.5))).toBeLessThan(5);
    expect(Math.abs(s.high - exactPercentile(data, 99.5))).toBeLessThan(5);
  });

  it('gives a usable range for constant and empty data', () => {
    const s = intensityStats(new Float32Array(50).fill(7));
    expect(s.high).toBeGreaterThan(s.low);
    expect(normalizeValue(7, s)).toBe(0);
    expect(intensityStats(new Float32Array(0))).toEqual({ low: 0, high: 1, min: 0, max: 0 });
  });
});

describe('model grid', () => {
  it('resamples to the model spacing and maps scores back onto the image grid', () => {
    // A 2 mm image with a bright square; on a 1.5 mm, 64-pixel grid and back, the square keeps its place and size.
    const g = { cols: 40, rows: 30, spacingColMm: 2, spacingRowMm: 2 };
    const image = new Float32Array(g.cols * g.rows);
    for (let y = 10; y < 20; y++) for (let x = 15; x < 25; x++) image[x + g.cols * y] = 1000;
    const cfg = { inputSize: 64, spacingMm: 1.5 };
    const map = modelToImageAffine(g, cfg);
    const stats = { low: 0, high: 1000, min: 0, max: 1000 };
    const grid = resampleImage(image, g, map, 64, stats);
    let area = 0;
    for (const v of grid) if (v > 0.5) area++;
    // 20 mm x 20 mm at 1.5 mm pixels: about 178 pixels.
    expect(area).toBeGreaterThan(150);
    expect(area).toBeLessThan(210);
    const scores = new Float32Array(64 * 64 * 2);
    for (let i = 0; i < grid.length; i++) scores[2 * i + 1] = grid[i]! - 0.5;
    const back = scoresToImageLabels(scores, 64, g, map, 2);
    let diff = 0;
    for (let i = 0; i < image.length; i++) if ((image[i]! > 0 ? 1 : 0) !== back[i]) diff++;
    expect(diff).toBeLessThanOrEqual(8);
  });
});

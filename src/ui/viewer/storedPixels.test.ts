import { describe, expect, it } from 'vitest';
import { defaultWindow, intensityRange, storedPixelMapping, toStoredPixels } from './storedPixels';

describe('storedPixelMapping', () => {
  it('stores 16-bit integer data exactly', () => {
    const data = new Float32Array([100, 101, 350, 2000]);
    const m = storedPixelMapping(data);
    expect(m).toEqual({ slope: 1, intercept: 100, maxStored: 1900 });
    expect(Array.from(toStoredPixels(data, m))).toEqual([0, 1, 250, 1900]);
  });

  it('quantises float data to 12 bits and maps back within half a level', () => {
    const data = new Float32Array([0, 0.25, 0.5, 1]);
    const m = storedPixelMapping(data);
    expect(m.maxStored).toBe(4095);
    const stored = toStoredPixels(data, m);
    expect(Array.from(stored)).toEqual([0, 1024, 2048, 4095]);
    stored.forEach((s, i) => expect(Math.abs(s * m.slope + m.intercept - (data[i] as number))).toBeLessThan(m.slope));
  });

  it('handles a constant image', () => {
    const data = new Float32Array([7, 7, 7]);
    const m = storedPixelMapping(data);
    expect(m.maxStored).toBe(0);
    expect(Array.from(toStoredPixels(data, m))).toEqual([0, 0, 0]);
  });

  it('keeps negative intensities via the intercept', () => {
    const data = new Float32Array([-1024, 0, 3071]);
    expect(intensityRange(data)).toEqual({ min: -1024, max: 3071 });
    const m = storedPixelMapping(data);
    expect(Array.from(toStoredPixels(data, m))).toEqual([0, 1024, 4095]);
  });
});

describe('defaultWindow', () => {
  it('spans the robust range, ignoring a single outlier', () => {
    const data = new Float32Array(1000);
    for (let i = 0; i < 1000; i++) data[i] = i % 100;
    data[0] = 1e6;
    const w = defaultWindow(data);
    expect(w.center - w.width / 2).toBeGreaterThanOrEqual(0);
    expect(w.center + w.width / 2).toBeLessThanOrEqual(99);
    expect(w.width).toBeGreaterThan(90);
  });
});

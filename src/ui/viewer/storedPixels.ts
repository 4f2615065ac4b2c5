/**
 * Cornerstone's grayscale renderer indexes a lookup table by integer "stored" pixel values, so our Float32 volume is
 * mapped to Uint16 stored values plus a rescale (slope, intercept) back to the original intensities. Window/level
 * therefore stays in the volume's own units. Pure functions: no cornerstone import, testable in Node.
 */
import { intensityStats } from '@/core/preprocess';

/** Stored value s displays as intensity `slope * s + intercept`. */
export interface StoredPixelMapping {
  slope: number;
  intercept: number;
  /** Largest stored value (smallest is 0). */
  maxStored: number;
}

export interface IntensityRange {
  min: number;
  max: number;
}

export interface DisplayWindow {
  center: number;
  width: number;
}

/** Quantisation used for non-integer data: 12 bits, like most MR scanners store. */
const FLOAT_LEVELS = 4095;

export function intensityRange(data: Float32Array): IntensityRange {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { min: 0, max: 0 };
  return { min, max };
}

function looksInteger(data: Float32Array): boolean {
  const step = Math.max(1, Math.floor(data.length / 50_000));
  for (let i = 0; i < data.length; i += step) {
    const v = data[i] as number;
    if (v !== Math.round(v)) return false;
  }
  return true;
}

/**
 * Integer data with a range that fits 16 bits is stored exactly (slope 1); anything else is quantised to 12 bits
 * over [min, max], which is far below what the eye can tell apart on a window of 8-bit grey levels.
 */
export function storedPixelMapping(
  data: Float32Array,
  range: IntensityRange = intensityRange(data),
): StoredPixelMapping {
  const span = range.max - range.min;
  if (span <= 0) return { slope: 1, intercept: range.min, maxStored: 0 };
  if (span <= 65535 && looksInteger(data)) return { slope: 1, intercept: range.min, maxStored: span };
  return { slope: span / FLOAT_LEVELS, intercept: range.min, maxStored: FLOAT_LEVELS };
}

export function toStoredPixels(image: Float32Array, m: StoredPixelMapping): Uint16Array {
  const out = new Uint16Array(image.length);
  for (let i = 0; i < image.length; i++) {
    const s = Math.round(((image[i] as number) - m.intercept) / m.slope);
    out[i] = s < 0 ? 0 : s > m.maxStored ? m.maxStored : s;
  }
  return out;
}

/** The starting window from the loader's intensity statistics (src/core/preprocess intensityStats). */
export function windowFromStats(s: { low: number; high: number }): DisplayWindow {
  const high = s.high > s.low ? s.high : s.low + 1;
  return { center: (s.low + high) / 2, width: high - s.low };
}

/**
 * Starting window: the 0.5th to 99.5th intensity percentile of the whole series, so a few very bright pixels (fat,
 * flow artefacts) do not leave the myocardium dark. The same statistics as the model's normalisation; the loader
 * computes them once (Volume.intensity), this is for volumes that come without them.
 */
export function defaultWindow(data: Float32Array): DisplayWindow {
  return windowFromStats(intensityStats(data));
}

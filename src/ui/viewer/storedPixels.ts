/**
 * Cornerstone's grayscale renderer indexes a lookup table by integer "stored" pixel values, so our Float32 volume is
 * mapped to Uint16 stored values plus a rescale (slope, intercept) back to the original intensities. Window/level
 * therefore stays in the volume's own units. Pure functions: no cornerstone import, testable in Node.
 */

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

/**
 * Starting window: the 0.5th to 99.5th intensity percentile of the whole series (sampled), so a few very bright
 * pixels (fat, flow artefacts) do not leave the myocardium dark. Same percentiles as the model's normalisation.
 */
export function defaultWindow(data: Float32Array, lowPct = 0.5, highPct = 99.5): DisplayWindow {
  const step = Math.max(1, Math.floor(data.length / 200_000));
  const sample = new Float32Array(Math.ceil(data.length / step));
  let n = 0;
  for (let i = 0; i < data.length; i += step) sample[n++] = data[i] as number;
  const sorted = sample.subarray(0, n).sort();
  if (n === 0) return { center: 0.5, width: 1 };
  const at = (p: number): number => sorted[Math.min(n - 1, Math.max(0, Math.round((p / 100) * (n - 1))))] as number;
  const low = at(lowPct);
  let high = at(highPct);
  if (high <= low) high = low + 1;
  return { center: (low + high) / 2, width: high - low };
}

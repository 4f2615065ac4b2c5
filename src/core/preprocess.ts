/**
 * The one preprocessing path shared by the app's worker, the batch CLI, the benchmark and the trainer:
 * in-plane resampling to a fixed spacing on a square model grid centred on the image, and robust
 * intensity normalisation. A model's manifest records PREPROCESS_VERSION; the app refuses a model made
 * with a different one.
 */
import { NUM_CLASSES } from './labels';

/** Bump whenever the output of this module changes for the same input. */
export const PREPROCESS_VERSION = 2;

export interface PreprocessConfig {
  /** Model input is inputSize x inputSize pixels. */
  inputSize: number;
  /** Model grid pixel size, mm (isotropic in-plane). */
  spacingMm: number;
}

export const DEFAULT_PREPROCESS: PreprocessConfig = { inputSize: 192, spacingMm: 1.5 };

/** Percentiles that map to 0 and 1 in `normalize`. */
export const NORM_LOW_PERCENTILE = 0.5;
export const NORM_HIGH_PERCENTILE = 99.5;

/** 2D affine map (u, v) -> (x, y): x = a*u + b*v + c, y = d*u + e*v + f. */
export interface Affine2D {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

/** An in-plane image grid: size in pixels and pixel size in mm. */
export interface PlaneGeometry {
  cols: number;
  rows: number;
  spacingColMm: number;
  spacingRowMm: number;
}

export interface IntensityStats {
  /** NORM_LOW_PERCENTILE / NORM_HIGH_PERCENTILE of the voxels: the normalisation range and the default window. */
  low: number;
  high: number;
  /** Full range of the voxels. */
  min: number;
  max: number;
}

export function composeAffine(outer: Affine2D, inner: Affine2D): Affine2D {
  // outer(inner(p))
  return {
    a: outer.a * inner.a + outer.b * inner.d,
    b: outer.a * inner.b + outer.b * inner.e,
    c: outer.a * inner.c + outer.b * inner.f + outer.c,
    d: outer.d * inner.a + outer.e * inner.d,
    e: outer.d * inner.b + outer.e * inner.e,
    f: outer.d * inner.c + outer.e * inner.f + outer.f,
  };
}

export function invertAffine(m: Affine2D): Affine2D {
  const det = m.a * m.e - m.b * m.d;
  if (Math.abs(det) < 1e-12) throw new Error('singular affine');
  const a = m.e / det;
  const b = -m.b / det;
  const d = -m.d / det;
  const e = m.a / det;
  return { a, b, d, e, c: -(a * m.c + b * m.f), f: -(d * m.c + e * m.f) };
}

/**
 * Model grid (u, v) -> image pixel (x = column, y = row). The grid centre sits on the image centre
 * (or on `centerPx` when given), and one grid step is cfg.spacingMm in both directions.
 */
export function modelToImageAffine(
  g: PlaneGeometry,
  cfg: PreprocessConfig,
  centerPx?: { x: number; y: number },
): Affine2D {
  const half = (cfg.inputSize - 1) / 2;
  const cx = centerPx?.x ?? (g.cols - 1) / 2;
  const cy = centerPx?.y ?? (g.rows - 1) / 2;
  const sx = cfg.spacingMm / g.spacingColMm;
  const sy = cfg.spacingMm / g.spacingRowMm;
  return { a: sx, b: 0, c: cx - half * sx, d: 0, e: sy, f: cy - half * sy };
}

/**
 * Percentiles `pcts` of `values` from a `bins` histogram over [lo, hi] (values under lo count below it): for each,
 * the bin where the cumulative count reaches it and that bin's centre (hi when it is never reached in range).
 */
function histogramPercentiles(values: ArrayLike<number>, lo: number, hi: number, bins: number, pcts: number[]): { values: number[]; bins: number[] } {
  const hist = new Float64Array(bins);
  const scale = bins / (hi - lo);
  let below = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < lo) below++;
    else if (v <= hi) hist[Math.min(bins - 1, Math.floor((v - lo) * scale))]! += 1;
  }
  const found = pcts.map((pct) => {
    const target = (pct / 100) * values.length;
    let acc = below;
    for (let b = 0; b < bins; b++) {
      acc += hist[b]!;
      if (acc >= target) return { bin: b, value: lo + (b + 0.5) / scale };
    }
    return { bin: bins - 1, value: hi };
  });
  return { values: found.map((f) => f.value), bins: found.map((f) => f.bin) };
}

/**
 * Robust intensity range of a set of voxels (any shape): the NORM_LOW/HIGH percentiles, from a 4096-bin
 * histogram so that a whole cine (millions of voxels) costs two passes. When a far outlier squeezes the
 * percentile range into a few bins, a second histogram over that range restores the resolution.
 */
export function intensityStats(values: ArrayLike<number>): IntensityStats {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { low: 0, high: 1, min: 0, max: 0 };
  if (max <= min) return { low: min, high: min + 1, min, max };
  const bins = 4096;
  // The first pass's bin width is (max - min) / (bins - 1) with the last bin holding only max, as before.
  const width = (max - min) / (bins - 1);
  const first = histogramPercentiles(values, min, min + bins * width, bins, [NORM_LOW_PERCENTILE, NORM_HIGH_PERCENTILE]);
  let [low, high] = first.values as [number, number];
  const [bLow, bHigh] = first.bins as [number, number];
  if (bHigh - bLow < 64) {
    const lo = min + bLow * width;
    const hi = min + (bHigh + 1) * width;
    [low, high] = histogramPercentiles(values, lo, hi, bins, [NORM_LOW_PERCENTILE, NORM_HIGH_PERCENTILE]).values as [number, number];
  }
  if (high <= low) high = low + (max - min) / bins;
  return { low, high, min, max };
}

/** Maps stats.low -> 0 and stats.high -> 1, clipped to [0, 1]. */
export function normalizeValue(v: number, s: IntensityStats): number {
  const t = (v - s.low) / (s.high - s.low);
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

/** Normalised pixels of the image region a resampling reads (reused across calls: one image at a time per thread). */
let normalisedScratch = new Float64Array(0);

/**
 * Bilinear resampling of one image onto an n x n grid through `map` (grid -> image pixel), with
 * normalisation applied first. Outside the image the value is 0 (the normalised background).
 *
 * For an axis-aligned map (every map planSlices makes) each pixel the grid reads is normalised once, and the
 * positions are computed per column and per row: the same arithmetic as the per-pixel form, so the same values.
 */
export function resampleImage(
  image: ArrayLike<number>,
  g: PlaneGeometry,
  map: Affine2D,
  n: number,
  stats: IntensityStats,
  out: Float32Array = new Float32Array(n * n),
): Float32Array {
  const { cols, rows } = g;
  if (map.b === 0 && map.d === 0) return resampleAxisAligned(image, g, map, n, stats, out);
  const px = (x: number, y: number): number =>
    x < 0 || y < 0 || x >= cols || y >= rows ? 0 : normalizeValue(image[x + cols * y] as number, stats);
  for (let v = 0; v < n; v++) {
    for (let u = 0; u < n; u++) {
      const x = map.a * u + map.b * v + map.c;
      const y = map.d * u + map.e * v + map.f;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const fx = x - x0;
      const fy = y - y0;
      if (x0 < -1 || y0 < -1 || x0 >= cols || y0 >= rows) {
        out[u + n * v] = 0;
        continue;
      }
      const top = px(x0, y0) * (1 - fx) + px(x0 + 1, y0) * fx;
      const bottom = px(x0, y0 + 1) * (1 - fx) + px(x0 + 1, y0 + 1) * fx;
      out[u + n * v] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

function resampleAxisAligned(
  image: ArrayLike<number>,
  g: PlaneGeometry,
  map: Affine2D,
  n: number,
  stats: IntensityStats,
  out: Float32Array,
): Float32Array {
  const { cols, rows } = g;
  // map.b * v and map.d * u are zeros: adding them changes no value.
  const xs = new Int32Array(n);
  const fxs = new Float64Array(n);
  const ys = new Int32Array(n);
  const fys = new Float64Array(n);
  let xLo = Infinity;
  let xHi = -Infinity;
  let yLo = Infinity;
  let yHi = -Infinity;
  for (let u = 0; u < n; u++) {
    const x = map.a * u + map.c;
    const x0 = Math.floor(x);
    fxs[u] = x - x0;
    xs[u] = x0 < -1 || x0 >= cols ? -2 : x0;
    if (xs[u]! >= -1) {
      xLo = Math.min(xLo, x0);
      xHi = Math.max(xHi, x0 + 1);
    }
  }
  for (let v = 0; v < n; v++) {
    const y = map.e * v + map.f;
    const y0 = Math.floor(y);
    fys[v] = y - y0;
    ys[v] = y0 < -1 || y0 >= rows ? -2 : y0;
    if (ys[v]! >= -1) {
      yLo = Math.min(yLo, y0);
      yHi = Math.max(yHi, y0 + 1);
    }
  }
  if (!(xLo <= xHi && yLo <= yHi)) return out.fill(0);
  // The pixels the grid reads, normalised once, with a border of zeros where it reads past the image.
  const w = xHi - xLo + 1;
  const h = yHi - yLo + 1;
  if (normalisedScratch.length < w * h) normalisedScratch = new Float64Array(w * h);
  const px = normalisedScratch;
  const range = stats.high - stats.low;
  for (let y = yLo; y <= yHi; y++) {
    const row = (y - yLo) * w - xLo;
    for (let x = xLo; x <= xHi; x++) {
      if (x < 0 || y < 0 || x >= cols || y >= rows) {
        px[row + x] = 0;
        continue;
      }
      // normalizeValue, inlined.
      const t = ((image[x + cols * y] as number) - stats.low) / range;
      px[row + x] = t < 0 ? 0 : t > 1 ? 1 : t;
    }
  }
  for (let v = 0; v < n; v++) {
    const y0 = ys[v]!;
    const o = n * v;
    if (y0 < -1) {
      out.fill(0, o, o + n);
      continue;
    }
    const fy = fys[v]!;
    const r0 = (y0 - yLo) * w - xLo;
    const r1 = r0 + w;
    for (let u = 0; u < n; u++) {
      const x0 = xs[u]!;
      if (x0 < -1) {
        out[o + u] = 0;
        continue;
      }
      const fx = fxs[u]!;
      const top = px[r0 + x0]! * (1 - fx) + px[r0 + x0 + 1]! * fx;
      const bottom = px[r1 + x0]! * (1 - fx) + px[r1 + x0 + 1]! * fx;
      out[o + u] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/** Nearest-neighbour resampling of a label image onto an n x n grid (outside = 0). */
export function resampleLabels(
  labels: ArrayLike<number>,
  g: PlaneGeometry,
  map: Affine2D,
  n: number,
  out: Uint8Array = new Uint8Array(n * n),
): Uint8Array {
  for (let v = 0; v < n; v++) {
    for (let u = 0; u < n; u++) {
      const x = Math.round(map.a * u + map.b * v + map.c);
      const y = Math.round(map.d * u + map.e * v + map.f);
      out[u + n * v] = x < 0 || y < 0 || x >= g.cols || y >= g.rows ? 0 : (labels[x + g.cols * y] as number);
    }
  }
  return out;
}

/** Marks a model-grid pixel whose argmax is not certain to survive interpolation (see scoresToImageLabels). */
const UNDECIDED = 255;

/**
 * Argmax of each model-grid pixel where it is certain to be the argmax of any bilinear blend of four such pixels,
 * else UNDECIDED: the best class must beat every other by more than the rounding error of a 4-term float64 dot
 * product (<= 4u/(1-4u) x max|score|, u = 2^-53; Higham, Accuracy and Stability of Numerical Algorithms, 3.1),
 * with a wide margin (1e-12 x max|score|). Any non-finite score turns the shortcut off for the whole image.
 */
function certainGridLabels(scores: ArrayLike<number>, pixels: number, classes: number): Uint8Array | null {
  if (classes >= UNDECIDED) return null;
  const out = new Uint8Array(pixels);
  const gap = new Float64Array(pixels);
  let maxAbs = 0;
  for (let p = 0, i = 0; p < pixels; p++, i += classes) {
    let best = 0;
    let bestScore = scores[i] as number;
    let second = -Infinity;
    let big = Math.abs(bestScore);
    if (!(big < Infinity)) return null; // Infinity or NaN
    for (let c = 1; c < classes; c++) {
      const s = scores[i + c] as number;
      const a = Math.abs(s);
      if (!(a < Infinity)) return null;
      if (a > big) big = a;
      if (s > bestScore) {
        second = bestScore;
        bestScore = s;
        best = c;
      } else if (s > second) second = s;
    }
    if (big > maxAbs) maxAbs = big;
    out[p] = best;
    gap[p] = bestScore - second;
  }
  const margin = 1e-12 * maxAbs + 1e-300;
  for (let p = 0; p < pixels; p++) if (!(gap[p]! > margin)) out[p] = UNDECIDED;
  return out;
}

/**
 * Brings per-class scores on the n x n model grid (channels last, `classes` per pixel) back to the
 * image grid: bilinear interpolation of the scores at each image pixel, then argmax. Pixels that fall
 * outside the model grid are background.
 *
 * Speed without changing a label: where the four grid pixels around an image pixel share one argmax that wins
 * with a margin (certainGridLabels), every blend of them with non-negative weights has that same argmax, so the
 * interpolation is skipped; only pixels near a class boundary interpolate (a test compares it with the plain form).
 */
export function scoresToImageLabels(
  scores: ArrayLike<number>,
  n: number,
  g: PlaneGeometry,
  map: Affine2D,
  classes: number = NUM_CLASSES,
  out: Uint8Array = new Uint8Array(g.cols * g.rows),
): Uint8Array {
  const inv = invertAffine(map);
  const certain = certainGridLabels(scores, n * n, classes);
  const { cols, rows } = g;
  /** Argmax of the bilinear blend at grid position (uc, vc) of the cell whose top-left pixel is p00. */
  const blend = (p00: number, fu: number, fv: number): number => {
    if (certain) {
      const k = certain[p00]!;
      if (k !== UNDECIDED && certain[p00 + 1] === k && certain[p00 + n] === k && certain[p00 + n + 1] === k) return k;
    }
    const w00 = (1 - fu) * (1 - fv);
    const w10 = fu * (1 - fv);
    const w01 = (1 - fu) * fv;
    const w11 = fu * fv;
    const i00 = p00 * classes;
    const i10 = i00 + classes;
    const i01 = i00 + n * classes;
    const i11 = i01 + classes;
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < classes; c++) {
      const s =
        w00 * (scores[i00 + c] as number) +
        w10 * (scores[i10 + c] as number) +
        w01 * (scores[i01 + c] as number) +
        w11 * (scores[i11 + c] as number);
      if (s > bestScore) {
        bestScore = s;
        best = c;
      }
    }
    return best;
  };
  // Grid coordinate -> (first pixel of its cell, fraction); -1 outside the grid. Same arithmetic as the per-pixel form.
  const cell = (t: number): number => (t < -0.5 || t > n - 0.5 ? -1 : Math.min(Math.floor(Math.min(Math.max(t, 0), n - 1)), n - 2));
  const frac = (t: number, t0: number): number => Math.min(Math.max(t, 0), n - 1) - t0;

  if (inv.b === 0 && inv.d === 0) {
    // The model grid is axis-aligned with the image (every map planSlices makes): u depends on x only, v on y only.
    // inv.b * y and inv.d * x are then zeros, and adding a zero changes no value, so u and v are those below.
    const colCell = new Int32Array(cols);
    const colFrac = new Float64Array(cols);
    for (let x = 0; x < cols; x++) {
      const u = inv.a * x + inv.c;
      colCell[x] = cell(u);
      colFrac[x] = frac(u, colCell[x]!);
    }
    for (let y = 0; y < rows; y++) {
      const v = inv.e * y + inv.f;
      const v0 = cell(v);
      const row = cols * y;
      if (v0 < 0) {
        out.fill(0, row, row + cols);
        continue;
      }
      const fv = frac(v, v0);
      const rowBase = n * v0;
      for (let x = 0; x < cols; x++) {
        const u0 = colCell[x]!;
        out[row + x] = u0 < 0 ? 0 : blend(u0 + rowBase, colFrac[x]!, fv);
      }
    }
    return out;
  }
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      const u = inv.a * x + inv.b * y + inv.c;
      const v = inv.d * x + inv.e * y + inv.f;
      const u0 = cell(u);
      const v0 = cell(v);
      out[x + cols * y] = u0 < 0 || v0 < 0 ? 0 : blend(u0 + n * v0, frac(u, u0), frac(v, v0));
    }
  }
  return out;
}

/** Everything needed to turn one image of a volume into model input and back. */
export interface SlicePlan {
  geometry: PlaneGeometry;
  map: Affine2D;
  stats: IntensityStats;
  cfg: PreprocessConfig;
}

/** `centerPx`: where the model grid's centre sits on the image (default: the image centre). */
export function planSlices(
  geometry: PlaneGeometry,
  stats: IntensityStats,
  cfg: PreprocessConfig = DEFAULT_PREPROCESS,
  centerPx?: { x: number; y: number },
): SlicePlan {
  return { geometry, map: modelToImageAffine(geometry, cfg, centerPx), stats, cfg };
}

/** Model input (n*n, channels = 1) for one image. */
export function prepareSlice(image: ArrayLike<number>, plan: SlicePlan, out?: Float32Array): Float32Array {
  return resampleImage(image, plan.geometry, plan.map, plan.cfg.inputSize, plan.stats, out);
}

/**
 * Through-plane context of a model with `channels` input channels (odd): channel k holds slice
 * s + k - (channels - 1) / 2 of the same frame, clamped to the stack, so the middle channel is slice s
 * itself and a one-channel model sees only s. Which way the stack runs (base to apex or back) is not
 * assumed: training shows the neighbours in both orders.
 */
export function contextSlices(s: number, slices: number, channels: number): number[] {
  if (!(Number.isInteger(channels) && channels >= 1 && channels % 2 === 1)) throw new Error(`input channels must be odd, not ${channels}`);
  const half = (channels - 1) / 2;
  return Array.from({ length: channels }, (_, k) => Math.min(slices - 1, Math.max(0, s + k - half)));
}

/** Channels-last model input [n*n*C] from C prepared planes [n*n] (C = 1 returns the plane's values as they are). */
export function interleaveChannels(planes: readonly Float32Array[], out: Float32Array = new Float32Array(planes.length * (planes[0]?.length ?? 0))): Float32Array {
  const C = planes.length;
  if (C === 1) {
    out.set(planes[0]!);
    return out;
  }
  const len = planes[0]!.length;
  for (let c = 0; c < C; c++) {
    const p = planes[c]!;
    if (p.length !== len) throw new Error('interleaveChannels: planes differ in size');
    for (let i = 0; i < len; i++) out[i * C + c] = p[i]!;
  }
  return out;
}

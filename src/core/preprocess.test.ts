import { describe, expect, it } from 'vitest';
import { mulberry32 } from './random';
import {
  composeAffine,
  contextSlices,
  interleaveChannels,
  intensityStats,
  invertAffine,
  modelToImageAffine,
  normalizeValue,
  resampleImage,
  scoresToImageLabels,
  type Affine2D,
  type IntensityStats,
  type PlaneGeometry,
} from './preprocess';

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

/** scoresToImageLabels as it was before its shortcuts: every image pixel interpolates every class. The reference. */
function plainScoresToImageLabels(
  scores: ArrayLike<number>,
  n: number,
  g: PlaneGeometry,
  map: Affine2D,
  classes: number,
): Uint8Array {
  const out = new Uint8Array(g.cols * g.rows);
  const inv = invertAffine(map);
  for (let y = 0; y < g.rows; y++) {
    for (let x = 0; x < g.cols; x++) {
      const u = inv.a * x + inv.b * y + inv.c;
      const v = inv.d * x + inv.e * y + inv.f;
      if (u < -0.5 || v < -0.5 || u > n - 0.5 || v > n - 0.5) continue;
      const uc = Math.min(Math.max(u, 0), n - 1);
      const vc = Math.min(Math.max(v, 0), n - 1);
      const u0 = Math.min(Math.floor(uc), n - 2);
      const v0 = Math.min(Math.floor(vc), n - 2);
      const fu = uc - u0;
      const fv = vc - v0;
      const i00 = (u0 + n * v0) * classes;
      const i01 = i00 + n * classes;
      let best = 0;
      let bestScore = -Infinity;
      for (let c = 0; c < classes; c++) {
        const s =
          (1 - fu) * (1 - fv) * (scores[i00 + c] as number) +
          fu * (1 - fv) * (scores[i00 + classes + c] as number) +
          (1 - fu) * fv * (scores[i01 + c] as number) +
          fu * fv * (scores[i01 + classes + c] as number);
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
      out[x + g.cols * y] = best;
    }
  }
  return out;
}

/** resampleImage as it was before its axis-aligned form: every tap normalised and bounds-checked. The reference. */
function plainResampleImage(
  image: ArrayLike<number>,
  g: PlaneGeometry,
  map: Affine2D,
  n: number,
  stats: IntensityStats,
): Float32Array {
  const out = new Float32Array(n * n);
  const px = (x: number, y: number): number =>
    x < 0 || y < 0 || x >= g.cols || y >= g.rows ? 0 : normalizeValue(image[x + g.cols * y] as number, stats);
  for (let v = 0; v < n; v++) {
    for (let u = 0; u < n; u++) {
      const x = map.a * u + map.b * v + map.c;
      const y = map.d * u + map.e * v + map.f;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const fx = x - x0;
      const fy = y - y0;
      if (x0 < -1 || y0 < -1 || x0 >= g.cols || y0 >= g.rows) continue;
      const top = px(x0, y0) * (1 - fx) + px(x0 + 1, y0) * fx;
      const bottom = px(x0, y0 + 1) * (1 - fx) + px(x0 + 1, y0 + 1) * fx;
      out[u + n * v] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/** Smooth blobs of each class (as a network's logits look) plus noise, in float32 like the model's output. */
function blobScores(n: number, classes: number, seed: number, noise: number): Float32Array {
  const rand = mulberry32(seed);
  const centres = Array.from({ length: classes }, () => ({ u: rand() * n, v: rand() * n, r: 4 + rand() * n * 0.3 }));
  const s = new Float32Array(n * n * classes);
  for (let v = 0; v < n; v++) {
    for (let u = 0; u < n; u++) {
      for (let c = 0; c < classes; c++) {
        const k = centres[c]!;
        s[(u + n * v) * classes + c] = 6 - (Math.hypot(u - k.u, v - k.v) / k.r) * 3 + (rand() - 0.5) * noise;
      }
    }
  }
  return s;
}

/** Values that are not the same (Object.is: NaN equals NaN, 0 and -0 differ). */
const differentValues = (a: Float32Array, b: Float32Array): number => {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) d++;
  return d;
};

/** Pixels whose labels differ (a count, so a failure says how many, and large arrays compare fast). */
const differing = (a: Uint8Array, b: Uint8Array): number => {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++;
  return d;
};

const rotated = (map: Affine2D, g: PlaneGeometry, degrees: number): Affine2D => {
  const t = (degrees * Math.PI) / 180;
  const cx = (g.cols - 1) / 2;
  const cy = (g.rows - 1) / 2;
  // Rotate the image plane about its centre after the model map: a map with b, d != 0 (the general path).
  const rot: Affine2D = {
    a: Math.cos(t),
    b: -Math.sin(t),
    c: cx - Math.cos(t) * cx + Math.sin(t) * cy,
    d: Math.sin(t),
    e: Math.cos(t),
    f: cy - Math.sin(t) * cx - Math.cos(t) * cy,
  };
  return composeAffine(rot, map);
};

describe('scoresToImageLabels', () => {
  const cases: { name: string; g: PlaneGeometry; n: number; centre?: { x: number; y: number }; degrees?: number }[] = [
    {
      name: 'Sunnybrook-like 256 image, 192 canvas',
      g: { cols: 256, rows: 256, spacingColMm: 1.367, spacingRowMm: 1.367 },
      n: 192,
    },
    {
      name: 'heart crop 128, off centre',
      g: { cols: 256, rows: 216, spacingColMm: 1.25, spacingRowMm: 1.25 },
      n: 128,
      centre: { x: 101.3, y: 140.7 },
    },
    {
      name: 'crop past the image edge',
      g: { cols: 160, rows: 200, spacingColMm: 1.9, spacingRowMm: 1.7 },
      n: 96,
      centre: { x: 10, y: 190 },
    },
    {
      name: 'rotated map (general path)',
      g: { cols: 120, rows: 140, spacingColMm: 1.4, spacingRowMm: 1.4 },
      n: 64,
      degrees: 17,
    },
  ];
  for (const c of cases) {
    it(`gives the labels of the plain interpolation: ${c.name}`, () => {
      const cfg = { inputSize: c.n, spacingMm: 1.5 };
      let map = modelToImageAffine(c.g, cfg, c.centre);
      if (c.degrees) map = rotated(map, c.g, c.degrees);
      for (const [seed, noise] of [
        [1, 0],
        [2, 0.5],
        [3, 8],
      ] as const) {
        const scores = blobScores(c.n, 4, seed, noise);
        const got = scoresToImageLabels(scores, c.n, c.g, map, 4);
        const want = plainScoresToImageLabels(scores, c.n, c.g, map, 4);
        expect(differing(got, want)).toBe(0);
        // Worth something only with class boundaries on the image (where the shortcut must not apply).
        expect(new Set(got).size).toBeGreaterThanOrEqual(2);
      }
    });
  }

  it('gives the plain labels on ties, near-ties and a huge dynamic range', () => {
    const g = { cols: 50, rows: 50, spacingColMm: 1, spacingRowMm: 1 };
    const n = 40;
    const map = modelToImageAffine(g, { inputSize: n, spacingMm: 1.2 });
    const rand = mulberry32(9);
    const scores = new Float32Array(n * n * 3);
    for (let p = 0; p < n * n; p++) {
      const kind = p % 4;
      const base = kind === 3 ? 1e30 * (rand() - 0.5) : Math.round(rand() * 4) - 2;
      scores[3 * p] = base;
      // Exact ties, ties within one float32 step and plain random values, side by side.
      scores[3 * p + 1] =
        kind === 0 ? base : kind === 1 ? Math.fround(base + Math.abs(base) * 2 ** -23) : rand() * 4 - 2;
      scores[3 * p + 2] = kind === 2 ? base : rand() * 1e-6;
    }
    expect(differing(scoresToImageLabels(scores, n, g, map, 3), plainScoresToImageLabels(scores, n, g, map, 3))).toBe(
      0,
    );
  });

  it('gives the plain labels where float64 rounding of the blend decides (margins of a few ulps)', () => {
    // Class 1 wins at every grid pixel by one to three float64 steps of a large score: the blend's own rounding can
    // tie or reverse it, so the shortcut must not apply there (float32 logits never get this close).
    const g = { cols: 64, rows: 64, spacingColMm: 1, spacingRowMm: 1 };
    const n = 30;
    const map = modelToImageAffine(g, { inputSize: n, spacingMm: 1.7 });
    const rand = mulberry32(11);
    const scores = new Float64Array(n * n * 2);
    for (let p = 0; p < n * n; p++) {
      const big = 2 ** (30 + Math.floor(rand() * 10)) * (1 + rand());
      const ulp = 2 ** (Math.floor(Math.log2(big)) - 52);
      scores[2 * p] = big;
      scores[2 * p + 1] = big + ulp * (1 + Math.floor(rand() * 3));
    }
    const want = plainScoresToImageLabels(scores, n, g, map, 2);
    expect(new Set(want).size).toBe(2);
    expect(differing(scoresToImageLabels(scores, n, g, map, 2), want)).toBe(0);
  });

  it('gives the plain labels when scores are infinite or NaN', () => {
    const g = { cols: 30, rows: 30, spacingColMm: 1, spacingRowMm: 1 };
    const n = 24;
    const map = modelToImageAffine(g, { inputSize: n, spacingMm: 1.1 });
    const scores = blobScores(n, 4, 4, 0.2);
    scores[4 * 100 + 2] = Infinity;
    scores[4 * 300 + 1] = -Infinity;
    scores[4 * 301 + 3] = NaN;
    expect(differing(scoresToImageLabels(scores, n, g, map, 4), plainScoresToImageLabels(scores, n, g, map, 4))).toBe(
      0,
    );
  });
});

describe('resampleImage', () => {
  const cases: { name: string; g: PlaneGeometry; n: number; centre?: { x: number; y: number }; spacingMm: number }[] = [
    {
      name: '256 image on the 192 canvas',
      g: { cols: 256, rows: 256, spacingColMm: 1.367, spacingRowMm: 1.367 },
      n: 192,
      spacingMm: 1.5,
    },
    {
      name: 'off-centre heart crop',
      g: { cols: 256, rows: 216, spacingColMm: 1.25, spacingRowMm: 1.4 },
      n: 128,
      centre: { x: 60.2, y: 170.9 },
      spacingMm: 1.5,
    },
    {
      name: 'upsampling, the grid larger than the image',
      g: { cols: 90, rows: 70, spacingColMm: 2.5, spacingRowMm: 2.5 },
      n: 192,
      spacingMm: 1.5,
    },
    {
      name: 'crop entirely outside the image',
      g: { cols: 64, rows: 64, spacingColMm: 1, spacingRowMm: 1 },
      n: 32,
      centre: { x: 500, y: -300 },
      spacingMm: 1.5,
    },
  ];
  for (const c of cases) {
    it(`gives the values of the per-pixel form: ${c.name}`, () => {
      const rand = mulberry32(21);
      const image = new Float32Array(c.g.cols * c.g.rows).map(() => Math.round(rand() * 2000) - 100);
      image[5] = NaN;
      const stats = { low: 10, high: 1700, min: -100, max: 1900 };
      const map = modelToImageAffine(c.g, { inputSize: c.n, spacingMm: c.spacingMm }, c.centre);
      const got = resampleImage(image, c.g, map, c.n, stats);
      expect(differentValues(got, plainResampleImage(image, c.g, map, c.n, stats))).toBe(0);
      // Twice in a row (the scratch buffer is reused) and into a dirty output buffer.
      const again = resampleImage(image, c.g, map, c.n, stats, new Float32Array(c.n * c.n).fill(7));
      expect(differentValues(again, got)).toBe(0);
    });
  }

  it('gives the values of the per-pixel form for a rotated map', () => {
    const g = { cols: 100, rows: 80, spacingColMm: 1.2, spacingRowMm: 1.2 };
    const rand = mulberry32(22);
    const image = new Float32Array(g.cols * g.rows).map(() => rand() * 500);
    const stats = { low: 20, high: 480, min: 0, max: 500 };
    const map = rotated(modelToImageAffine(g, { inputSize: 80, spacingMm: 1.5 }), g, -31);
    expect(differentValues(resampleImage(image, g, map, 80, stats), plainResampleImage(image, g, map, 80, stats))).toBe(
      0,
    );
  });
});

describe('through-plane context', () => {
  it('puts the slice in the middle channel and clamps its neighbours to the stack', () => {
    expect(contextSlices(4, 10, 1)).toEqual([4]);
    expect(contextSlices(4, 10, 3)).toEqual([3, 4, 5]);
    expect(contextSlices(0, 10, 3)).toEqual([0, 0, 1]);
    expect(contextSlices(9, 10, 5)).toEqual([7, 8, 9, 9, 9]);
    expect(contextSlices(0, 1, 3)).toEqual([0, 0, 0]);
    expect(() => contextSlices(0, 10, 2)).toThrow(/odd/);
  });

  it('interleaves planes channels-last', () => {
    const out = interleaveChannels([Float32Array.of(1, 2), Float32Array.of(3, 4), Float32Array.of(5, 6)]);
    expect([...out]).toEqual([1, 3, 5, 2, 4, 6]);
    expect([...interleaveChannels([Float32Array.of(7, 8)])]).toEqual([7, 8]);
    expect(() => interleaveChannels([Float32Array.of(1), Float32Array.of(1, 2)])).toThrow(/differ/);
  });
});

/**
 * Turns labelled training volumes into model batches through the app's own preprocessing
 * (src/core/preprocess): the model "canvas" is the inputSize grid at the model spacing centred on the
 * image, exactly what the app feeds the network. Training takes heart-centred crops of that canvas with
 * geometric augmentation composed into one affine, so image, labels and cached teacher logits move together.
 */
import {
  composeAffine,
  contextSlices,
  interleaveChannels,
  invertAffine,
  modelToImageAffine,
  resampleImage,
  resampleLabels,
  type Affine2D,
  type PlaneGeometry,
  type PreprocessConfig,
} from '../../../src/core/preprocess';
import { NUM_CLASSES } from '../../../src/core/labels';
import { makeRng, type Rng } from '../util/random';
import type { TrainVolume } from './trainVolume';

export interface SliceRef {
  vol: TrainVolume;
  slice: number;
  /** Heart centre on the canvas grid (u, v). */
  centre: { u: number; v: number };
  /** Index into the teacher-logit cache, when there is one. */
  key: string;
}

export interface AugmentConfig {
  enabled: boolean;
  /** Probability of an arbitrary rotation (else a small one within +-smallRotationDeg). */
  fullRotationProb: number;
  smallRotationDeg: number;
  flipProb: number;
  scaleRange: [number, number];
  /**
   * Extra scale range for volumes whose pixel spacing is unknown (spacingKnown false): their nominal
   * spacing may be off by this factor either way, so the model sees every plausible heart size.
   */
  unknownSpacingScale: [number, number];
  /** Largest affine shear (off-diagonal term of the crop-to-canvas map). */
  shearMax: number;
  /** Crop centre jitter around the heart, mm. */
  jitterMm: number;
  gammaRange: [number, number];
  contrastRange: [number, number];
  brightness: number;
  noiseStdMax: number;
  /** Probability and strength (largest log-gain at the crop's corners) of a smooth multiplicative bias field. */
  biasProb: number;
  biasMax: number;
  /** Probability of a Gaussian blur (sigma in crop pixels) and of unsharp-mask sharpening. */
  blurProb: number;
  blurSigma: [number, number];
  sharpenProb: number;
  /** Probability of simulated low resolution: block-average by a factor in `lowResFactor`, then bilinear back. */
  lowResProb: number;
  lowResFactor: [number, number];
  /**
   * Models with through-plane context (channels > 1): probability of showing the neighbours in the reverse
   * order, so the model does not depend on which way a scanner stacks its slices (base to apex or back).
   */
  contextReverseProb: number;
}

/**
 * Augmentation for scanners the model has not seen, after the multi-vendor entries of M&Ms (Campello et al.,
 * IEEE TMI 2021: full rotations and flips, scale, intensity, bias field, blur, noise, low resolution).
 */
export const DEFAULT_AUGMENT: AugmentConfig = {
  enabled: true,
  fullRotationProb: 0.5,
  smallRotationDeg: 30,
  flipProb: 0.5,
  scaleRange: [0.7, 1.4],
  unknownSpacingScale: [0.8, 1.25],
  shearMax: 0.1,
  jitterMm: 30,
  gammaRange: [0.7, 1.5],
  contrastRange: [0.75, 1.3],
  brightness: 0.1,
  noiseStdMax: 0.05,
  biasProb: 0.3,
  biasMax: 0.4,
  blurProb: 0.15,
  blurSigma: [0.5, 1.2],
  sharpenProb: 0.15,
  lowResProb: 0.15,
  lowResFactor: [1.3, 2.2],
  contextReverseProb: 0.5,
};

/** The augmentation of the first published models (before the multi-vendor recipe). */
export const LEGACY_AUGMENT: AugmentConfig = {
  ...DEFAULT_AUGMENT,
  scaleRange: [0.85, 1.2],
  unknownSpacingScale: [1, 1],
  shearMax: 0,
  contrastRange: [0.8, 1.25],
  noiseStdMax: 0.04,
  biasProb: 0,
  blurProb: 0,
  sharpenProb: 0,
  lowResProb: 0,
};

export function planeOf(vol: TrainVolume): PlaneGeometry {
  return { cols: vol.cols, rows: vol.rows, spacingColMm: vol.spacingColMm, spacingRowMm: vol.spacingRowMm };
}

export function canvasToImage(vol: TrainVolume, cfg: PreprocessConfig): Affine2D {
  return modelToImageAffine(planeOf(vol), cfg);
}

/** Every labelled slice of every volume, with its heart centre on the canvas. */
export function sliceRefs(vols: TrainVolume[], cfg: PreprocessConfig): SliceRef[] {
  const refs: SliceRef[] = [];
  for (const vol of vols) {
    const inv = invertAffine(canvasToImage(vol, cfg));
    const n = vol.cols * vol.rows;
    let vx = 0;
    let vy = 0;
    let vc = 0;
    const perSlice: ({ x: number; y: number } | null)[] = [];
    for (let s = 0; s < vol.slices; s++) {
      let sx = 0;
      let sy = 0;
      let c = 0;
      for (let i = 0; i < n; i++) {
        if (vol.labels[s * n + i]! > 0) {
          sx += i % vol.cols;
          sy += Math.floor(i / vol.cols);
          c++;
        }
      }
      perSlice.push(c > 20 ? { x: sx / c, y: sy / c } : null);
      vx += sx;
      vy += sy;
      vc += c;
    }
    const fallback = vc > 0 ? { x: vx / vc, y: vy / vc } : { x: (vol.cols - 1) / 2, y: (vol.rows - 1) / 2 };
    for (let s = 0; s < vol.slices; s++) {
      if (!vol.labelledSlices[s]) continue;
      const p = perSlice[s] ?? fallback;
      refs.push({
        vol,
        slice: s,
        centre: { u: inv.a * p.x + inv.b * p.y + inv.c, v: inv.d * p.x + inv.e * p.y + inv.f },
        key: `${vol.id}/${s}`,
      });
    }
  }
  return refs;
}

/** Crop grid (n x n) -> canvas grid, with the augmentation's rotation, flip, scale and jitter. */
export function cropToCanvas(ref: SliceRef, n: number, cfg: PreprocessConfig, aug: AugmentConfig, rng: Rng): Affine2D {
  const half = (n - 1) / 2;
  if (!aug.enabled) {
    return { a: 1, b: 0, c: ref.centre.u - half, d: 0, e: 1, f: ref.centre.v - half };
  }
  const angle =
    rng.next() < aug.fullRotationProb
      ? rng.uniform(0, 2 * Math.PI)
      : (rng.uniform(-aug.smallRotationDeg, aug.smallRotationDeg) * Math.PI) / 180;
  const logUniform = (r: [number, number]): number => Math.exp(rng.uniform(Math.log(r[0]), Math.log(r[1])));
  const scale = logUniform(aug.scaleRange) * (ref.vol.spacingKnown === false ? logUniform(aug.unknownSpacingScale) : 1);
  const flip = rng.next() < aug.flipProb ? -1 : 1;
  const shear = rng.uniform(-aug.shearMax, aug.shearMax);
  const jitter = aug.jitterMm / cfg.spacingMm;
  const cu = ref.centre.u + rng.uniform(-jitter, jitter);
  const cv = ref.centre.v + rng.uniform(-jitter, jitter);
  const cos = Math.cos(angle) / scale;
  const sin = Math.sin(angle) / scale;
  // canvas = centre + R * S^-1 * H * F * (p - half), H = [[1, shear], [0, 1]]
  const a = cos * flip;
  const b = cos * shear - sin;
  const d = sin * flip;
  const e = sin * shear + cos;
  return { a, b, c: cu - a * half - b * half, d, e, f: cv - d * half - e * half };
}

export interface Batch {
  size: number;
  n: number;
  /** [B, n, n, channels] normalised image (channels: the slice, or the slice with its neighbours). */
  x: Float32Array;
  /** [B, n, n] labels in the sample's label space (unknown classes as background). */
  y: Uint8Array;
  /** [B, C, C] class-merge matrices (row = predicted class, column = target class). */
  merge: Float32Array;
  /** [B, n, n, C] teacher logits, when a cache was given. */
  teacher?: Float32Array;
}

/** Row-stochastic class merge: unknown classes fold into background (marginal loss for partial labels). */
export function mergeMatrix(labelled: number[], classes = NUM_CLASSES): Float32Array {
  const m = new Float32Array(classes * classes);
  for (let c = 0; c < classes; c++) m[c * classes + (labelled.includes(c) ? c : 0)] = 1;
  return m;
}

/** Bilinear, edge-clamped sampling of a channels-last n0 x n0 x C map through `map` (grid -> map pixels). */
function sampleChannels(src: Float32Array, n0: number, C: number, map: Affine2D, n: number, out: Float32Array, off: number): void {
  for (let v = 0; v < n; v++) {
    for (let u = 0; u < n; u++) {
      const x = Math.min(Math.max(map.a * u + map.b * v + map.c, 0), n0 - 1);
      const y = Math.min(Math.max(map.d * u + map.e * v + map.f, 0), n0 - 1);
      const x0 = Math.min(Math.floor(x), n0 - 2);
      const y0 = Math.min(Math.floor(y), n0 - 2);
      const fx = x - x0;
      const fy = y - y0;
      const i00 = (x0 + n0 * y0) * C;
      const i10 = i00 + C;
      const i01 = i00 + n0 * C;
      const i11 = i01 + C;
      const o = off + (u + n * v) * C;
      for (let c = 0; c < C; c++) {
        out[o + c] =
          (1 - fy) * ((1 - fx) * src[i00 + c]! + fx * src[i10 + c]!) + fy * ((1 - fx) * src[i01 + c]! + fx * src[i11 + c]!);
      }
    }
  }
}

export function makeBatch(
  refs: SliceRef[],
  n: number,
  cfg: PreprocessConfig,
  aug: AugmentConfig,
  rng: Rng,
  teacherCache?: Map<string, Float32Array>,
  channels = 1,
): Batch {
  const B = refs.length;
  const C = NUM_CLASSES;
  const x = new Float32Array(B * n * n * channels);
  const y = new Uint8Array(B * n * n);
  const merge = new Float32Array(B * C * C);
  const teacher = teacherCache ? new Float32Array(B * n * n * C) : undefined;
  refs.forEach((ref, b) => {
    const vol = ref.vol;
    const plane = planeOf(vol);
    const toCanvas = cropToCanvas(ref, n, cfg, aug, rng);
    const toImage = composeAffine(canvasToImage(vol, cfg), toCanvas);
    const sliceLen = vol.cols * vol.rows;
    const lab = vol.labels.subarray(ref.slice * sliceLen, (ref.slice + 1) * sliceLen);
    const xs = x.subarray(b * n * n * channels, (b + 1) * n * n * channels);
    const imageOf = (s: number): Float32Array => vol.image.subarray(s * sliceLen, (s + 1) * sliceLen);
    if (channels === 1) {
      resampleImage(imageOf(ref.slice), plane, toImage, n, vol.stats, xs);
    } else {
      // The same geometry for every channel; the neighbours in either order; the same intensity change for all.
      const order = contextSlices(ref.slice, vol.slices, channels);
      if (aug.enabled && rng.next() < aug.contextReverseProb) order.reverse();
      const planes = order.map((s) => resampleImage(imageOf(s), plane, toImage, n, vol.stats));
      if (aug.enabled) {
        const seed = Math.floor(rng.next() * 2 ** 31);
        for (const p of planes) augmentIntensity(p, aug, makeRng(seed), n);
      }
      interleaveChannels(planes, xs);
    }
    resampleLabels(lab, plane, toImage, n, y.subarray(b * n * n, (b + 1) * n * n));
    merge.set(mergeMatrix(vol.labelledClasses), b * C * C);
    if (teacher && teacherCache) {
      const t = teacherCache.get(ref.key);
      if (!t) throw new Error(`no cached teacher logits for ${ref.key}`);
      sampleChannels(t, cfg.inputSize, C, toCanvas, n, teacher, b * n * n * C);
    }
    if (aug.enabled && channels === 1) augmentIntensity(xs, aug, rng, n);
  });
  return { size: B, n, x, y, merge, teacher };
}

/** Intensity augmentation of one n x n crop, in place (labels are untouched). */
export function augmentIntensity(xs: Float32Array, aug: AugmentConfig, rng: Rng, n = Math.round(Math.sqrt(xs.length))): void {
  if (rng.next() < aug.lowResProb) simulateLowRes(xs, n, rng.uniform(aug.lowResFactor[0], aug.lowResFactor[1]));
  if (rng.next() < aug.blurProb) gaussianBlur(xs, n, rng.uniform(aug.blurSigma[0], aug.blurSigma[1]));
  else if (rng.next() < aug.sharpenProb) sharpen(xs, n, rng.uniform(0.3, 1));
  if (rng.next() < aug.biasProb) biasField(xs, n, aug.biasMax, rng);
  const gamma = Math.exp(rng.uniform(Math.log(aug.gammaRange[0]), Math.log(aug.gammaRange[1])));
  const contrast = rng.uniform(aug.contrastRange[0], aug.contrastRange[1]);
  const bright = rng.uniform(-aug.brightness, aug.brightness);
  const noise = rng.uniform(0, aug.noiseStdMax);
  let mean = 0;
  for (let i = 0; i < xs.length; i++) mean += xs[i]!;
  mean /= xs.length;
  for (let i = 0; i < xs.length; i++) {
    let v = Math.pow(Math.max(xs[i]!, 0), gamma);
    v = (v - mean) * contrast + mean + bright;
    if (noise > 0) v += noise * rng.normal();
    xs[i] = v;
  }
}

/** Separable Gaussian blur of an n x n image (edge-clamped), in place. */
export function gaussianBlur(xs: Float32Array, n: number, sigma: number): void {
  const r = Math.max(1, Math.ceil(2.5 * sigma));
  const k = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i]! /= sum;
  const tmp = new Float32Array(xs.length);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      let acc = 0;
      for (let i = -r; i <= r; i++) acc += k[i + r]! * xs[y * n + Math.min(n - 1, Math.max(0, x + i))]!;
      tmp[y * n + x] = acc;
    }
  }
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      let acc = 0;
      for (let i = -r; i <= r; i++) acc += k[i + r]! * tmp[Math.min(n - 1, Math.max(0, y + i)) * n + x]!;
      xs[y * n + x] = acc;
    }
  }
}

/** Unsharp mask: x + amount (x - blur(x)). */
export function sharpen(xs: Float32Array, n: number, amount: number): void {
  const blurred = xs.slice();
  gaussianBlur(blurred, n, 1);
  for (let i = 0; i < xs.length; i++) xs[i] = xs[i]! + amount * (xs[i]! - blurred[i]!);
}

/** Block-average on a grid `factor` times coarser, then bilinear interpolation back (a low-resolution scan). */
export function simulateLowRes(xs: Float32Array, n: number, factor: number): void {
  const m = Math.max(2, Math.round(n / factor));
  const low = new Float32Array(m * m);
  const count = new Float32Array(m * m);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const j = Math.min(m - 1, Math.floor((y * m) / n)) * m + Math.min(m - 1, Math.floor((x * m) / n));
      low[j]! += xs[y * n + x]!;
      count[j]! += 1;
    }
  }
  for (let j = 0; j < low.length; j++) low[j]! /= Math.max(count[j]!, 1);
  for (let y = 0; y < n; y++) {
    const fy = Math.min(Math.max(((y + 0.5) * m) / n - 0.5, 0), m - 1);
    const y0 = Math.min(Math.floor(fy), m - 2);
    const ty = fy - y0;
    for (let x = 0; x < n; x++) {
      const fx = Math.min(Math.max(((x + 0.5) * m) / n - 0.5, 0), m - 1);
      const x0 = Math.min(Math.floor(fx), m - 2);
      const tx = fx - x0;
      const i = y0 * m + x0;
      xs[y * n + x] =
        (1 - ty) * ((1 - tx) * low[i]! + tx * low[i + 1]!) + ty * ((1 - tx) * low[i + m]! + tx * low[i + m + 1]!);
    }
  }
}

/** Smooth multiplicative bias field exp(quadratic in x, y), log-gain at most about `max` in the crop. */
export function biasField(xs: Float32Array, n: number, max: number, rng: Rng): void {
  const c = Array.from({ length: 5 }, () => rng.uniform(-max, max) / 2);
  for (let y = 0; y < n; y++) {
    const v = (2 * y) / (n - 1) - 1;
    for (let x = 0; x < n; x++) {
      const u = (2 * x) / (n - 1) - 1;
      const g = c[0]! * u + c[1]! * v + c[2]! * u * v + c[3]! * (u * u - 0.5) + c[4]! * (v * v - 0.5);
      xs[y * n + x] = xs[y * n + x]! * Math.exp(g);
    }
  }
}

/** The whole canvas of one slice, un-augmented, as the app sees it: [n*n] image. */
export function canvasImage(vol: TrainVolume, slice: number, cfg: PreprocessConfig): Float32Array {
  const sliceLen = vol.cols * vol.rows;
  return resampleImage(
    vol.image.subarray(slice * sliceLen, (slice + 1) * sliceLen),
    planeOf(vol),
    canvasToImage(vol, cfg),
    cfg.inputSize,
    vol.stats,
  );
}

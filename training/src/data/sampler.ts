/**
 * Turns labelled training volumes into model batches through the app's own preprocessing
 * (src/core/preprocess): the model "canvas" is the inputSize grid at the model spacing centred on the
 * image, exactly what the app feeds the network. Training takes heart-centred crops of that canvas with
 * geometric augmentation composed into one affine, so image, labels and cached teacher logits move together.
 */
import {
  composeAffine,
  invertAffine,
  modelToImageAffine,
  resampleImage,
  resampleLabels,
  type Affine2D,
  type PlaneGeometry,
  type PreprocessConfig,
} from '../../../src/core/preprocess';
import { NUM_CLASSES } from '../../../src/core/labels';
import type { Rng } from '../util/random';
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
  /** Crop centre jitter around the heart, mm. */
  jitterMm: number;
  gammaRange: [number, number];
  contrastRange: [number, number];
  brightness: number;
  noiseStdMax: number;
}

export const DEFAULT_AUGMENT: AugmentConfig = {
  enabled: true,
  fullRotationProb: 0.5,
  smallRotationDeg: 30,
  flipProb: 0.5,
  scaleRange: [0.85, 1.2],
  jitterMm: 30,
  gammaRange: [0.7, 1.5],
  contrastRange: [0.8, 1.25],
  brightness: 0.1,
  noiseStdMax: 0.04,
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
  const scale = Math.exp(rng.uniform(Math.log(aug.scaleRange[0]), Math.log(aug.scaleRange[1])));
  const flip = rng.next() < aug.flipProb ? -1 : 1;
  const jitter = aug.jitterMm / cfg.spacingMm;
  const cu = ref.centre.u + rng.uniform(-jitter, jitter);
  const cv = ref.centre.v + rng.uniform(-jitter, jitter);
  const cos = Math.cos(angle) / scale;
  const sin = Math.sin(angle) / scale;
  // canvas = centre + R * S^-1 * F * (p - half)
  const a = cos * flip;
  const b = -sin;
  const d = sin * flip;
  const e = cos;
  return { a, b, c: cu - a * half - b * half, d, e, f: cv - d * half - e * half };
}

export interface Batch {
  size: number;
  n: number;
  /** [B, n, n, 1] normalised image. */
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
): Batch {
  const B = refs.length;
  const C = NUM_CLASSES;
  const x = new Float32Array(B * n * n);
  const y = new Uint8Array(B * n * n);
  const merge = new Float32Array(B * C * C);
  const teacher = teacherCache ? new Float32Array(B * n * n * C) : undefined;
  refs.forEach((ref, b) => {
    const vol = ref.vol;
    const plane = planeOf(vol);
    const toCanvas = cropToCanvas(ref, n, cfg, aug, rng);
    const toImage = composeAffine(canvasToImage(vol, cfg), toCanvas);
    const sliceLen = vol.cols * vol.rows;
    const img = vol.image.subarray(ref.slice * sliceLen, (ref.slice + 1) * sliceLen);
    const lab = vol.labels.subarray(ref.slice * sliceLen, (ref.slice + 1) * sliceLen);
    const xs = x.subarray(b * n * n, (b + 1) * n * n);
    resampleImage(img, plane, toImage, n, vol.stats, xs);
    resampleLabels(lab, plane, toImage, n, y.subarray(b * n * n, (b + 1) * n * n));
    merge.set(mergeMatrix(vol.labelledClasses), b * C * C);
    if (teacher && teacherCache) {
      const t = teacherCache.get(ref.key);
      if (!t) throw new Error(`no cached teacher logits for ${ref.key}`);
      sampleChannels(t, cfg.inputSize, C, toCanvas, n, teacher, b * n * n * C);
    }
    if (aug.enabled) augmentIntensity(xs, aug, rng);
  });
  return { size: B, n, x, y, merge, teacher };
}

function augmentIntensity(xs: Float32Array, aug: AugmentConfig, rng: Rng): void {
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

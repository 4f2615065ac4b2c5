/**
 * A synthetic short-axis cine with known labels: a beating LV (elliptical cavity inside a myocardial ring
 * that thickens in systole at constant area), an RV crescent wrapped around the septum, and a torso with
 * fat, muscle, lungs, spine and descending aorta. bSSFP-like contrast (blood bright, myocardium dark),
 * partial-volume edges, smooth coil shading, low-frequency texture and Rician noise, in raw scanner-like
 * units (about 0..1200) so intensity normalisation is exercised. Deterministic for a given seed.
 *
 * Image axes: x = column (mm, to the right), y = row (mm, down, i.e. posterior); slice 0 is basal,
 * the last slice apical. Labels use the ACDC convention (1 RV cavity, 2 LV myocardium, 3 LV cavity,
 * papillary muscles inside the cavity).
 */
import { Label } from './labels';
import { gaussian, mulberry32 } from './random';
import type { LabelVolume, Volume } from './volume';

export interface PhantomOptions {
  cols: number;
  rows: number;
  /** In-plane pixel size, mm. */
  pixelMm: number;
  slices: number;
  /** Distance between slice centres, mm. */
  sliceMm: number;
  frames: number;
  /** Time between frames, ms (frames × frameMs = one R-R interval). */
  frameMs: number;
  /** End-systole as a fraction of the R-R interval. */
  esPhase: number;
  /** LV cavity radius at ES / at ED (0.62 gives an LVEF near 60 %). */
  esRadiusRatio: number;
  /** Rician noise sigma as a fraction of the blood signal. */
  noise: number;
  /** Blood signal at unit coil sensitivity, raw units. */
  bloodSignal: number;
  seed: number;
}

export const DEFAULT_PHANTOM_OPTIONS: PhantomOptions = {
  cols: 160,
  rows: 160,
  pixelMm: 1.6,
  slices: 10,
  sliceMm: 8,
  frames: 25,
  frameMs: 40,
  esPhase: 0.35,
  esRadiusRatio: 0.62,
  noise: 0.03,
  bloodSignal: 900,
  seed: 1,
};

export interface Phantom {
  volume: Volume;
  labels: LabelVolume;
  /** Frame with the largest LV cavity (0-based). */
  edFrame: number;
  /** Frame with the smallest LV cavity (0-based). */
  esFrame: number;
}

/**
 * How far the ventricles have contracted at a phase of the R-R interval: 0 at end-diastole (R wave),
 * 1 at end-systole, smooth (raised-cosine) ejection and rapid filling, then diastasis.
 */
export function cardiacContraction(phase: number, esPhase = DEFAULT_PHANTOM_OPTIONS.esPhase): number {
  const t = phase - Math.floor(phase);
  if (t <= esPhase) return 0.5 * (1 - Math.cos((Math.PI * t) / esPhase));
  const fill = Math.min(1, (t - esPhase) / esPhase);
  return 0.5 * (1 + Math.cos(Math.PI * fill));
}

/** Relative signal of each tissue (blood = 1), bSSFP-like. */
const SIGNAL = {
  blood: 1,
  myocardium: 0.3,
  fat: 0.85,
  muscle: 0.32,
  mediastinum: 0.42,
  lung: 0.05,
  bone: 0.5,
} as const;

interface Ellipse {
  cx: number;
  cy: number;
  /** Semi-axis along the rotated x axis, mm. */
  a: number;
  b: number;
  /** cos and sin of the rotation. */
  cos: number;
  sin: number;
}

function ellipse(cx: number, cy: number, a: number, b: number, theta = 0): Ellipse {
  return { cx, cy, a, b, cos: Math.cos(theta), sin: Math.sin(theta) };
}

/**
 * Signed distance (mm, negative inside) from a point to an ellipse boundary, measured along the ray from
 * the centre (exact for circles, close for mildly elliptical shapes).
 */
function signedDistance(e: Ellipse, x: number, y: number): number {
  const dx = x - e.cx;
  const dy = y - e.cy;
  const u = (dx * e.cos + dy * e.sin) / e.a;
  const v = (-dx * e.sin + dy * e.cos) / e.b;
  // Math.sqrt rather than Math.hypot: this runs ~10^7 times per phantom and hypot is much slower.
  const d = Math.sqrt(u * u + v * v);
  const r = Math.sqrt(dx * dx + dy * dy);
  if (d < 1e-9) return -Math.min(e.a, e.b);
  return r - r / d;
}

/** Fraction of a pixel inside a boundary at signed distance `sd` (linear ramp over one pixel). */
function coverage(sd: number, pixelMm: number): number {
  const m = 0.5 - sd / pixelMm;
  return m <= 0 ? 0 : m >= 1 ? 1 : m;
}

/** RV ellipse relative to the LV epicardial radius at ED: centre offset towards the septum, semi-axes. */
const RV_OFFSET = 0.75;
const RV_A = 1.2;
const RV_B = 1.15;
/** Fraction by which the RV ellipse shrinks at end-systole. */
const RV_SHRINK = 0.3;

interface SliceHeart {
  lvCavity: Ellipse;
  lvEpi: Ellipse;
  rv: Ellipse | undefined;
  papillary: Ellipse[];
}

/** Heart geometry of one slice at one contraction state. `z` runs from 0 (base) to 1 (apex). */
function heartAt(z: number, c: number, o: PhantomOptions): SliceHeart {
  const taper = Math.sqrt(Math.max(0, 1 - 0.96 * z * z));
  const riEd = 24 * taper;
  const roEd = riEd + 9 - 2 * z;
  const ri = riEd * (1 - c * (1 - o.esRadiusRatio));
  // The myocardium keeps its area (incompressible tissue), so it thickens as the cavity shrinks.
  const ro = Math.sqrt(ri * ri + roEd * roEd - riEd * riEd);
  const cx = 14 + 4 * z;
  const cy = 6 - 2 * z;
  const ecc = 1.08;
  const theta = 0.35;
  const lvCavity = ellipse(cx, cy, ri * ecc, ri / ecc, theta);
  const lvEpi = ellipse(cx, cy, ro * ecc, ro / ecc, theta);
  const rvExtent = Math.sqrt(Math.max(0, Math.min(1, (0.92 - z) / 0.3)));
  const rvScale = rvExtent * (1 - RV_SHRINK * c);
  const rv =
    rvScale > 0.05
      ? ellipse(cx - RV_OFFSET * roEd, cy - 0.18 * roEd, RV_A * roEd * rvScale, RV_B * roEd * rvScale, -0.25)
      : undefined;
  const papillary: Ellipse[] = [];
  if (z > 0.2 && z < 0.75) {
    for (const angle of [2.3, 3.9]) {
      const pr = 3 + 1.5 * c;
      papillary.push(ellipse(cx + 0.62 * ri * Math.cos(angle), cy + 0.62 * ri * Math.sin(angle), pr, pr));
    }
  }
  return { lvCavity, lvEpi, rv, papillary };
}

const BODY = ellipse(0, 8, 118, 92);
const LUNGS = [ellipse(-78, 0, 26, 58, 0.1), ellipse(82, 6, 24, 54, -0.1)];
const SPINE = ellipse(0, 78, 15, 13);
const AORTA = ellipse(30, 58, 11, 11);

/** Pixel rows/columns that can hold any part of the heart (with its fat band), inclusive. */
function pixelBox(h: SliceHeart, o: PhantomOptions): { r0: number; r1: number; c0: number; c1: number } {
  const margin = 10; // mm: fat band, RV wall and partial-volume edges
  const parts = [h.lvEpi, ...(h.rv ? [h.rv] : [])];
  const x0 = Math.min(...parts.map((e) => e.cx - Math.max(e.a, e.b))) - margin;
  const x1 = Math.max(...parts.map((e) => e.cx + Math.max(e.a, e.b))) + margin;
  const y0 = Math.min(...parts.map((e) => e.cy - Math.max(e.a, e.b))) - margin;
  const y1 = Math.max(...parts.map((e) => e.cy + Math.max(e.a, e.b))) + margin;
  const col = (x: number): number => x / o.pixelMm + (o.cols - 1) / 2;
  const row = (y: number): number => y / o.pixelMm + (o.rows - 1) / 2;
  return { c0: Math.floor(col(x0)), c1: Math.ceil(col(x1)), r0: Math.floor(row(y0)), r1: Math.ceil(row(y1)) };
}

/** The static torso of one slice (relative signal) at pixel-centre mm coordinates. */
function torsoSignal(x: number, y: number, pixelMm: number, patch: number): number {
  const body = BODY;
  const sdBody = signedDistance(body, x, y);
  let s = 0;
  const inBody = coverage(sdBody, pixelMm);
  if (inBody > 0) {
    // Subcutaneous fat, then chest-wall muscle, then mediastinal tissue.
    const depth = -sdBody;
    const tissue = depth < 7 ? SIGNAL.fat : depth < 17 ? SIGNAL.muscle : SIGNAL.mediastinum;
    s = inBody * tissue;
  }
  for (const lung of LUNGS) s = mix(s, SIGNAL.lung, coverage(signedDistance(lung, x, y), pixelMm));
  s = mix(s, SIGNAL.bone * (0.8 + 0.4 * patch), coverage(signedDistance(SPINE, x, y), pixelMm));
  s = mix(s, SIGNAL.blood * 0.95, coverage(signedDistance(AORTA, x, y), pixelMm));
  return s;
}

function mix(under: number, over: number, alpha: number): number {
  return under + (over - under) * alpha;
}

/**
 * Builds the phantom cine and its labels.
 * @param opts overrides of `DEFAULT_PHANTOM_OPTIONS` (e.g. `{ frames: 5, seed: 7 }` for a quick test).
 */
export function makePhantom(opts: Partial<PhantomOptions> = {}): Phantom {
  const o: PhantomOptions = { ...DEFAULT_PHANTOM_OPTIONS, ...opts };
  const { cols, rows, slices, frames, pixelMm } = o;
  const plane = cols * rows;
  const data = new Float32Array(plane * slices * frames);
  const labels = new Uint8Array(plane * slices * frames);
  const rand = mulberry32(o.seed);
  const normal = gaussian(rand);

  // Low-frequency texture (wavelengths 20-80 mm) and a patchy pattern for fat and bone.
  const waves = Array.from({ length: 6 }, () => {
    const angle = 2 * Math.PI * rand();
    const k = (2 * Math.PI) / (20 + 60 * rand());
    return { kx: k * Math.cos(angle), ky: k * Math.sin(angle), phase: 2 * Math.PI * rand() };
  });
  const patchPhase = 2 * Math.PI * rand();
  const coil = { x: -20 + 40 * rand(), y: -110 };
  const xMm = (c: number): number => (c - (cols - 1) / 2) * pixelMm;
  const yMm = (r: number): number => (r - (rows - 1) / 2) * pixelMm;

  const torso = new Float32Array(plane);
  const gain = new Float32Array(plane);
  const sigma = o.noise * o.bloodSignal;
  const contraction = Array.from({ length: frames }, (_, f) => cardiacContraction(f / frames, o.esPhase));

  for (let k = 0; k < slices; k++) {
    const z = (k + 0.5) / slices;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const x = xMm(c);
        const y = yMm(r);
        const i = r * cols + c;
        let tex = 0;
        for (const w of waves) tex += Math.sin(w.kx * x + w.ky * y + w.phase + 0.7 * k);
        const patch = 0.5 + 0.5 * Math.sin(0.09 * x + 0.05 * y + patchPhase) * Math.cos(0.07 * y - 0.04 * x);
        torso[i] = torsoSignal(x, y, pixelMm, patch);
        const d2 = (x - coil.x) ** 2 + (y - coil.y) ** 2;
        gain[i] = (0.6 + 0.6 * Math.exp(-d2 / (2 * 110 * 110))) * (1 + 0.05 * tex) * (1 - 0.06 * z);
      }
    }
    for (let f = 0; f < frames; f++) {
      const cf = contraction[f] ?? 0;
      const heart = heartAt(z, cf, o);
      const base = (k + slices * f) * plane;
      const box = pixelBox(heart, o);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const i = r * cols + c;
          let s = torso[i] ?? 0;
          if (r >= box.r0 && r <= box.r1 && c >= box.c0 && c <= box.c1) {
            const x = xMm(c);
            const y = yMm(r);
            const sdEpi = signedDistance(heart.lvEpi, x, y);
            const sdCav = signedDistance(heart.lvCavity, x, y);
            const sdRv = heart.rv ? signedDistance(heart.rv, x, y) : Number.POSITIVE_INFINITY;
            // Epicardial fat: a patchy band around the heart.
            const sdHeart = Math.min(sdEpi, sdRv - 3);
            if (sdHeart < 5) {
              const angle = Math.atan2(y - heart.lvEpi.cy, x - heart.lvEpi.cx);
              const patchy = Math.max(0, Math.sin(3 * angle + patchPhase));
              s = mix(s, SIGNAL.fat, coverage(sdHeart - 3.5, pixelMm) * patchy);
            }
            // RV free wall, RV blood, then the LV on top (the septum belongs to the LV myocardium).
            if (heart.rv) {
              s = mix(s, SIGNAL.myocardium, coverage(sdRv - 3, pixelMm));
              s = mix(s, SIGNAL.blood * 0.97, coverage(sdRv, pixelMm));
            }
            s = mix(s, SIGNAL.myocardium, coverage(sdEpi, pixelMm));
            s = mix(s, SIGNAL.blood * (1 - 0.04 * cf), coverage(sdCav, pixelMm));
            for (const p of heart.papillary) {
              s = mix(s, SIGNAL.myocardium, coverage(signedDistance(p, x, y), pixelMm));
            }
            labels[base + i] =
              sdCav <= 0
                ? Label.LVCavity
                : sdEpi <= 0
                  ? Label.Myocardium
                  : sdRv <= 0
                    ? Label.RVCavity
                    : Label.Background;
          }
          // Rician noise: magnitude of the complex signal with Gaussian noise in both channels.
          const signal = s * (gain[i] ?? 1) * o.bloodSignal;
          const re = signal + sigma * normal();
          const im = sigma * normal();
          data[base + i] = Math.round(Math.sqrt(re * re + im * im));
        }
      }
    }
  }

  let edFrame = 0;
  let esFrame = 0;
  contraction.forEach((cf, f) => {
    if (cf < (contraction[edFrame] ?? 0)) edFrame = f;
    if (cf > (contraction[esFrame] ?? 0)) esFrame = f;
  });
  const dims = { cols, rows, slices, frames };
  const spacingMm = { col: pixelMm, row: pixelMm, slice: o.sliceMm };
  const volume: Volume = {
    data,
    dims,
    spacingMm,
    // Axis-aligned, centred on the middle of the stack.
    affine: [
      pixelMm,
      0,
      0,
      -((cols - 1) / 2) * pixelMm,
      0,
      pixelMm,
      0,
      -((rows - 1) / 2) * pixelMm,
      0,
      0,
      o.sliceMm,
      -((slices - 1) / 2) * o.sliceMm,
      0,
      0,
      0,
      1,
    ],
    frameTimesMs: Array.from({ length: frames }, (_, f) => f * o.frameMs),
    meta: {
      source: 'phantom',
      name: `phantom (seed ${o.seed})`,
      heartRateBpm: 60000 / (frames * o.frameMs),
      sliceThicknessMm: o.sliceMm,
    },
  };
  return { volume, labels: { data: labels, dims: { ...dims } }, edFrame, esFrame };
}

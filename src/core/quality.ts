/**
 * Quality flags a clinician can act on, computed from the masks alone (any source: model, file, edited).
 * Each flag names a frame and, where it applies, a slice, so the UI can jump there; the CSV and the CLI
 * print the same list. A plausible, complete segmentation raises none.
 *
 * Checks (per frame that has masks):
 * - `no-heart`: no LV (myocardium or cavity) on any slice: nothing that looks like a heart was found.
 * - `lv-not-enclosed`: an LV cavity region of a slice whose border touches the myocardium on less than half
 *   its length (the cavity must sit inside the wall; often the outflow tract or atrium on a basal slice).
 * - `basal-lv-cavity`: the same on the first or last slice of the LV's extent, named as what it likely is.
 * - `missing-on-slice`: a structure absent on a slice while both neighbouring slices have it.
 * - `rv-absent`: no RV on a mid-ventricular slice (middle third of the LV's extent) that has an LV.
 * - `slice-jump`: an LV cavity area more than SLICE_JUMP_RATIO times both neighbours' (or less than 1/ratio).
 * - `frame-jump`: LV cavity volume changing between adjacent frames by more than FRAME_JUMP_FRACTION of the
 *   largest LV volume (cardiac motion is smooth at 20-30 frames per cycle; cines of CINE_MIN_FRAMES or more).
 * - `implausible-function`: LVEF, RVEF or LVEDV outside PLAUSIBLE bounds.
 */
import { computeCardiacFunction, type CardiacFunction } from './cardiac/function';
import { frameVolumes, type FrameVolumes, type VolumeGeometry } from './cardiac/volumes';
import { Label } from './labels';
import type { LabelVolume } from './volume';

export type FlagCode =
  | 'no-heart'
  | 'lv-not-enclosed'
  | 'basal-lv-cavity'
  | 'missing-on-slice'
  | 'rv-absent'
  | 'slice-jump'
  | 'frame-jump'
  | 'implausible-function';

export interface QualityFlag {
  code: FlagCode;
  /** 0-based frame. */
  frame: number;
  /** 0-based slice, or null for a whole-frame / whole-series flag. */
  slice: number | null;
  message: string;
}

/** Share of an LV cavity slice's border that must touch myocardium. */
export const LV_ENCLOSURE_MIN = 0.5;
export const SLICE_JUMP_RATIO = 3;
export const FRAME_JUMP_FRACTION = 0.3;
/** The frame-to-frame check needs at least this many frames (a cine, not ED and ES alone). */
export const CINE_MIN_FRAMES = 10;
/** Fewest pixels for a structure to count as present on a slice (speckle is not a structure). */
export const MIN_PRESENT_PX = 10;

/**
 * Bounds outside which a value is implausible for any adult heart, not merely abnormal. Normal adult ranges
 * (Kawel-Boehm N, et al. Reference ranges for CMR in adults and children: 2020 update. JCMR 2020;22:87) are
 * far narrower (LVEF 57-77 %, LVEDV 102-235 ml in men); severe disease reaches LVEF 10 % and LVEDV 400 ml,
 * so these bounds flag segmentation faults, not pathology.
 */
export const PLAUSIBLE = { efPct: [3, 90], lvedvMl: [10, 700] } as const;

export interface QualityInput {
  labels: LabelVolume;
  /** Frames that have masks (default: all). */
  framesReady?: readonly boolean[] | null;
  /** Per-frame LV cavity volume (ml), where known (for the frame-to-frame check). */
  lvVolumeMl?: readonly (number | undefined)[];
  /** The measurements (only checked when every frame has masks). */
  lvefPct?: number;
  rvefPct?: number;
  lvedvMl?: number;
}

interface SliceStats {
  area: number[];
  /**
   * The least enclosed LV cavity region of the slice (2D 4-connected, at least MIN_PRESENT_PX): its border
   * pixels touching myocardium / all its border pixels; 1 when the slice has no such region. Judged per
   * region, so a false blob beside a well-enclosed cavity still shows.
   */
  lvEnclosure: number;
}

const STEPS = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
] as const;

function sliceStats(labels: Uint8Array, o: number, cols: number, rows: number): SliceStats {
  const area = [0, 0, 0, 0];
  const plane = cols * rows;
  for (let i = 0; i < plane; i++) area[labels[o + i]!]! += 1;
  let least = 1;
  if (area[Label.LVCavity]! > 0) {
    const seen = new Uint8Array(plane);
    const queue = new Int32Array(plane);
    for (let start = 0; start < plane; start++) {
      if (labels[o + start] !== Label.LVCavity || seen[start]) continue;
      let head = 0;
      let tail = 0;
      queue[tail++] = start;
      seen[start] = 1;
      let border = 0;
      let touching = 0;
      while (head < tail) {
        const i = queue[head++]!;
        const c = i % cols;
        const r = (i - c) / cols;
        let isBorder = false;
        let touches = false;
        for (const [dc, dr] of STEPS) {
          const cc = c + dc;
          const rr = r + dr;
          if (cc < 0 || rr < 0 || cc >= cols || rr >= rows) {
            isBorder = true;
            continue;
          }
          const j = rr * cols + cc;
          const n = labels[o + j]!;
          if (n === Label.LVCavity) {
            if (!seen[j]) {
              seen[j] = 1;
              queue[tail++] = j;
            }
          } else {
            isBorder = true;
            if (n === Label.Myocardium) touches = true;
          }
        }
        if (isBorder) {
          border++;
          if (touches) touching++;
        }
      }
      if (tail >= MIN_PRESENT_PX && border > 0) least = Math.min(least, touching / border);
    }
  }
  return { area, lvEnclosure: least };
}

const NAMES: Record<number, string> = { [Label.RVCavity]: 'RV cavity', [Label.Myocardium]: 'myocardium', [Label.LVCavity]: 'LV cavity' };

/** All flags of a series' masks, by frame then slice. */
export function qualityFlags(input: QualityInput): QualityFlag[] {
  const { data, dims } = input.labels;
  const { cols, rows, slices, frames } = dims;
  const plane = cols * rows;
  const flags: QualityFlag[] = [];
  const add = (code: FlagCode, frame: number, slice: number | null, message: string): void => {
    flags.push({ code, frame, slice, message });
  };
  const ready = (f: number): boolean => !input.framesReady || input.framesReady[f] === true;
  for (let f = 0; f < frames; f++) {
    if (!ready(f)) continue;
    const stats = Array.from({ length: slices }, (_, s) => sliceStats(data, (f * slices + s) * plane, cols, rows));
    const has = (s: number, label: number): boolean => (stats[s]?.area[label] ?? 0) >= MIN_PRESENT_PX;
    const lvSlices = stats.map((_, s) => s).filter((s) => has(s, Label.LVCavity) || has(s, Label.Myocardium));
    if (lvSlices.length === 0) {
      add('no-heart', f, null, `Frame ${f + 1}: no left ventricle found on any slice; check the image or draw the masks.`);
      continue;
    }
    const first = lvSlices[0]!;
    const last = lvSlices[lvSlices.length - 1]!;
    for (let s = 0; s < slices; s++) {
      const st = stats[s]!;
      if (has(s, Label.LVCavity) && st.lvEnclosure < LV_ENCLOSURE_MIN) {
        const pct = Math.round(st.lvEnclosure * 100);
        if (s === first || s === last) {
          add('basal-lv-cavity', f, s, `Frame ${f + 1}, slice ${s + 1}: LV cavity on the end slice of the ventricle is only ${pct} % enclosed by myocardium; likely outflow tract or atrium.`);
        } else {
          add('lv-not-enclosed', f, s, `Frame ${f + 1}, slice ${s + 1}: LV cavity only ${pct} % enclosed by myocardium.`);
        }
      }
      if (s > 0 && s < slices - 1) {
        for (const label of [Label.RVCavity, Label.Myocardium, Label.LVCavity]) {
          if (!has(s, label) && has(s - 1, label) && has(s + 1, label)) {
            add('missing-on-slice', f, s, `Frame ${f + 1}, slice ${s + 1}: ${NAMES[label]} missing while both neighbouring slices have it.`);
          }
        }
        const a = st.area[Label.LVCavity]!;
        const nb = [stats[s - 1]!.area[Label.LVCavity]!, stats[s + 1]!.area[Label.LVCavity]!];
        if (nb.every((x) => x >= MIN_PRESENT_PX) && a >= MIN_PRESENT_PX) {
          if (nb.every((x) => a > SLICE_JUMP_RATIO * x) || nb.every((x) => a * SLICE_JUMP_RATIO < x)) {
            add('slice-jump', f, s, `Frame ${f + 1}, slice ${s + 1}: LV cavity area jumps against both neighbouring slices (${a} vs ${nb.join(', ')} px).`);
          }
        }
      }
    }
    // Mid-ventricular third of the LV's extent.
    const span = last - first + 1;
    if (span >= 3) {
      const lo = first + Math.floor(span / 3);
      const hi = last - Math.floor(span / 3);
      for (let s = lo; s <= hi; s++) {
        if (has(s, Label.LVCavity) && !has(s, Label.RVCavity)) {
          add('rv-absent', f, s, `Frame ${f + 1}, slice ${s + 1}: no RV on a mid-ventricular slice that has an LV.`);
        }
      }
    }
  }
  const vols = input.lvVolumeMl;
  // Only a cine samples the cycle finely; two frames (ED and ES alone) may differ by the whole stroke volume.
  if (vols && frames >= CINE_MIN_FRAMES) {
    const known = vols.filter((v): v is number => v !== undefined);
    const max = Math.max(0, ...known);
    if (max > 0) {
      for (let f = 1; f < vols.length; f++) {
        const a = vols[f - 1];
        const b = vols[f];
        if (a === undefined || b === undefined || !ready(f) || !ready(f - 1)) continue;
        if (Math.abs(b - a) > FRAME_JUMP_FRACTION * max) {
          add('frame-jump', f, null, `Frame ${f + 1}: LV cavity volume jumps from ${a.toFixed(1)} to ${b.toFixed(1)} ml since frame ${f}.`);
        }
      }
    }
  }
  const complete = Array.from({ length: frames }, (_, f) => ready(f)).every(Boolean);
  if (complete) {
    const out = (v: number | undefined, [lo, hi]: readonly [number, number]): boolean => v !== undefined && (v < lo || v > hi);
    if (out(input.lvefPct, PLAUSIBLE.efPct)) add('implausible-function', 0, null, `LVEF ${input.lvefPct!.toFixed(1)} % is outside ${PLAUSIBLE.efPct.join('-')} %: check the ED and ES masks.`);
    if (out(input.rvefPct, PLAUSIBLE.efPct)) add('implausible-function', 0, null, `RVEF ${input.rvefPct!.toFixed(1)} % is outside ${PLAUSIBLE.efPct.join('-')} %: check the RV masks.`);
    if (out(input.lvedvMl, PLAUSIBLE.lvedvMl)) add('implausible-function', 0, null, `LVEDV ${input.lvedvMl!.toFixed(1)} ml is outside ${PLAUSIBLE.lvedvMl.join('-')} ml: check the masks and the pixel spacing.`);
  }
  return flags;
}

/** One line per flag for the CSV and the CLI: `code@frame/slice` joined by `; ` (1-based, slice `-` when none). */
export function formatFlags(flags: readonly QualityFlag[]): string {
  return flags.map((f) => `${f.code}@${f.frame + 1}/${f.slice === null ? '-' : f.slice + 1}`).join('; ');
}

/**
 * The flags of a series' masks from measurements already made (frame volumes and function, src/core/cardiac):
 * the CLI measures with its own options (`--slices`, phases) and passes them here.
 */
export function measuredQualityFlags(
  labels: LabelVolume,
  measured: { frameVolumes: readonly (FrameVolumes | null)[]; fn: CardiacFunction },
  framesReady?: readonly boolean[] | null,
): QualityFlag[] {
  const { fn } = measured;
  return qualityFlags({
    labels,
    framesReady: framesReady ?? null,
    lvVolumeMl: measured.frameVolumes.map((v) => v?.lvCavityMl),
    ...(fn.lvefPct !== undefined ? { lvefPct: fn.lvefPct } : {}),
    ...(fn.rvefPct !== undefined ? { rvefPct: fn.rvefPct } : {}),
    ...(fn.lvedvMl !== undefined ? { lvedvMl: fn.lvedvMl } : {}),
  });
}

/**
 * The flags of a series' masks with its own measurements (frame volumes, EF, EDV from src/core/cardiac):
 * what the app's panel and CSV show. `framesReady`: frames that have masks (default all).
 */
export function seriesQualityFlags(
  labels: LabelVolume,
  geometry: VolumeGeometry,
  framesReady?: readonly boolean[] | null,
): QualityFlag[] {
  const vols = frameVolumes(labels, geometry, { framesReady: framesReady ?? null });
  return measuredQualityFlags(labels, { frameVolumes: vols, fn: computeCardiacFunction(vols) }, framesReady);
}

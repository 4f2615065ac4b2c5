/**
 * Cardiac function from per-frame chamber volumes: ED/ES selection, EDV, ESV, SV, EF, LV mass,
 * cardiac output. Pure arithmetic on the output of `frameVolumes`; frames that are `null` (not yet
 * segmented) are ignored, so the result fills in as masks arrive.
 */
import type { FrameVolumes } from './volumes';

/** Myocardial tissue density, g/ml. Ref: Schulz-Menger J et al., JCMR 2020 (SCMR post-processing). */
export const MYOCARDIAL_DENSITY_G_PER_ML = 1.05;

export interface CardiacFunctionOptions {
  /** 0-based frame to use as end-diastole instead of the frame with the largest LV cavity. */
  edFrame?: number;
  /** 0-based frame to use as end-systole instead of the frame with the smallest LV cavity. */
  esFrame?: number;
  /** 0-based RV end-diastole frame; default: the LV's ED frame. */
  rvEdFrame?: number;
  /** 0-based RV end-systole frame; default: the LV's ES frame. */
  rvEsFrame?: number;
  /** Heart rate, beats per minute (pass `volume.meta.heartRateBpm`); unknown gives no cardiac output. */
  heartRateBpm?: number;
}

/**
 * All measures; `undefined` where it cannot be computed (frame not available, EDV = 0, unknown heart
 * rate), never NaN. Frame numbers are 0-based indices into the frame list.
 */
export interface CardiacFunction {
  edFrame: number | undefined;
  esFrame: number | undefined;
  rvEdFrame: number | undefined;
  rvEsFrame: number | undefined;
  lvedvMl: number | undefined;
  lvesvMl: number | undefined;
  lvsvMl: number | undefined;
  lvefPct: number | undefined;
  rvedvMl: number | undefined;
  rvesvMl: number | undefined;
  rvsvMl: number | undefined;
  rvefPct: number | undefined;
  /** Myocardium volume at (LV) ED × 1.05 g/ml. */
  lvMassG: number | undefined;
  heartRateBpm: number | undefined;
  /** LVSV × heart rate / 1000. */
  cardiacOutputLPerMin: number | undefined;
}

/** EF = (EDV − ESV) / EDV × 100; `undefined` when EDV is not positive or either volume is unknown. */
export function ejectionFractionPct(edvMl: number | undefined, esvMl: number | undefined): number | undefined {
  if (edvMl === undefined || esvMl === undefined || !(edvMl > 0)) return undefined;
  return ((edvMl - esvMl) / edvMl) * 100;
}

/**
 * Automatic ED and ES: the available frames with the largest and the smallest LV cavity volume
 * (first one on ties; ES is never the ED frame). With one available frame only ED is set.
 */
export function findEdEsFrames(frames: readonly (FrameVolumes | null | undefined)[]): {
  edFrame: number | undefined;
  esFrame: number | undefined;
} {
  let edFrame: number | undefined;
  for (let f = 0; f < frames.length; f++) {
    const v = frames[f];
    if (!v) continue;
    if (edFrame === undefined || v.lvCavityMl > frames[edFrame]!.lvCavityMl) edFrame = f;
  }
  return { edFrame, esFrame: smallestLvFrame(frames, edFrame) };
}

/** The available frame with the smallest LV cavity other than `exclude` (first one on ties). */
function smallestLvFrame(
  frames: readonly (FrameVolumes | null | undefined)[],
  exclude: number | undefined,
): number | undefined {
  let best: number | undefined;
  for (let f = 0; f < frames.length; f++) {
    const v = frames[f];
    if (!v || f === exclude) continue;
    if (best === undefined || v.lvCavityMl < frames[best]!.lvCavityMl) best = f;
  }
  return best;
}

function checkFrame(frame: number | undefined, count: number, name: string): void {
  if (frame === undefined) return;
  if (!Number.isInteger(frame) || frame < 0 || frame >= count) {
    throw new RangeError(`${name} ${frame} is not a frame index in 0..${count - 1}`);
  }
}

function sub(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : a - b;
}

/**
 * LV and RV volumes, stroke volume, ejection fraction, LV mass and cardiac output.
 *
 * The RV is measured at the LV's ED and ES frames unless `rvEdFrame` / `rvEsFrame` say otherwise:
 * one pair of cardiac phases for the whole heart, as in ACDC's reference values, and an RV volume
 * curve from a model is noisier than the LV one, so its own extremes would bias RVEF upwards.
 */
export function computeCardiacFunction(
  frames: readonly (FrameVolumes | null | undefined)[],
  options: CardiacFunctionOptions = {},
): CardiacFunction {
  const n = frames.length;
  checkFrame(options.edFrame, n, 'ED frame');
  checkFrame(options.esFrame, n, 'ES frame');
  checkFrame(options.rvEdFrame, n, 'RV ED frame');
  checkFrame(options.rvEsFrame, n, 'RV ES frame');
  const auto = findEdEsFrames(frames);
  const edFrame = options.edFrame ?? auto.edFrame;
  // With ED overridden, ES is still the smallest LV cavity among the other available frames.
  const esFrame = options.esFrame ?? (options.edFrame === undefined ? auto.esFrame : smallestLvFrame(frames, edFrame));
  const rvEdFrame = options.rvEdFrame ?? edFrame;
  const rvEsFrame = options.rvEsFrame ?? esFrame;
  const at = (f: number | undefined): FrameVolumes | undefined =>
    f === undefined ? undefined : (frames[f] ?? undefined);

  const lvedvMl = at(edFrame)?.lvCavityMl;
  const lvesvMl = at(esFrame)?.lvCavityMl;
  const rvedvMl = at(rvEdFrame)?.rvCavityMl;
  const rvesvMl = at(rvEsFrame)?.rvCavityMl;
  const lvsvMl = sub(lvedvMl, lvesvMl);
  const myoEd = at(edFrame)?.lvMyocardiumMl;
  const hr = options.heartRateBpm;
  const heartRateBpm = hr !== undefined && Number.isFinite(hr) && hr > 0 ? hr : undefined;
  return {
    edFrame,
    esFrame,
    rvEdFrame,
    rvEsFrame,
    lvedvMl,
    lvesvMl,
    lvsvMl,
    lvefPct: ejectionFractionPct(lvedvMl, lvesvMl),
    rvedvMl,
    rvesvMl,
    rvsvMl: sub(rvedvMl, rvesvMl),
    rvefPct: ejectionFractionPct(rvedvMl, rvesvMl),
    lvMassG: myoEd === undefined ? undefined : myoEd * MYOCARDIAL_DENSITY_G_PER_ML,
    heartRateBpm,
    cardiacOutputLPerMin:
      lvsvMl === undefined || heartRateBpm === undefined ? undefined : (lvsvMl * heartRateBpm) / 1000,
  };
}

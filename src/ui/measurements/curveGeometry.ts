/**
 * Layout of the volume-time curve (pure, so it is tested without a DOM): frame -> x, ml -> y, one SVG
 * path per structure that breaks where frames have no mask yet, and round axis ticks.
 */
import type { FrameVolumes } from '@/core/cardiac/volumes';

export interface CurvePoint {
  frame: number;
  x: number;
  y: number;
  ml: number;
}

export interface CurveLayout {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  /** x of each frame's centre. */
  frameX: number[];
  /** Width of the clickable band around each frame. */
  bandWidth: number;
  yTicksMl: number[];
  yOfMl: (ml: number) => number;
  lv: { path: string; points: CurvePoint[] };
  rv: { path: string; points: CurvePoint[] };
}

const MARGIN = { left: 34, right: 8, top: 8, bottom: 24 };

/** Frames (0-based) that get a numbered tick: the first, then every 1, 2, 5 or 10 frames, at most about 10 ticks. */
export function frameTicks(frames: number): number[] {
  if (frames <= 0) return [];
  const step = [1, 2, 5, 10, 20, 50].find((s) => frames / s <= 10) ?? Math.ceil(frames / 10);
  const ticks = [0];
  for (let f = step - 1; f < frames; f += step) if (f > 0) ticks.push(f);
  return ticks;
}

/** A round step (1, 2 or 5 × 10^k) giving about `count` ticks up to `max`. */
export function niceStep(max: number, count = 4): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

function series(
  volumes: readonly (FrameVolumes | null)[],
  pick: (v: FrameVolumes) => number,
  frameX: number[],
  yOfMl: (ml: number) => number,
): { path: string; points: CurvePoint[] } {
  const points: CurvePoint[] = [];
  let path = '';
  let open = false;
  volumes.forEach((v, frame) => {
    if (!v) {
      open = false; // a frame without a mask breaks the line
      return;
    }
    const ml = pick(v);
    const x = frameX[frame]!;
    const y = yOfMl(ml);
    points.push({ frame, x, y, ml });
    path += `${open ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)}`;
    open = true;
  });
  return { path, points };
}

/** Curve layout for `volumes` (null = frame not segmented) in a `width` × `height` SVG. */
export function curveLayout(volumes: readonly (FrameVolumes | null)[], width: number, height: number): CurveLayout {
  const plot = { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
  const n = volumes.length;
  const bandWidth = n > 0 ? (plot.right - plot.left) / n : 0;
  const frameX = Array.from({ length: n }, (_, f) => plot.left + bandWidth * (f + 0.5));
  let maxMl = 0;
  for (const v of volumes) if (v) maxMl = Math.max(maxMl, v.lvCavityMl, v.rvCavityMl);
  const step = niceStep(maxMl);
  const topMl = Math.max(step, Math.ceil(maxMl / step) * step);
  const yOfMl = (ml: number): number => plot.bottom - (ml / topMl) * (plot.bottom - plot.top);
  const yTicksMl: number[] = [];
  for (let t = 0; t <= topMl + step / 2; t += step) yTicksMl.push(Number(t.toPrecision(6)));
  return {
    width,
    height,
    plot,
    frameX,
    bandWidth,
    yTicksMl,
    yOfMl,
    lv: series(volumes, (v) => v.lvCavityMl, frameX, yOfMl),
    rv: series(volumes, (v) => v.rvCavityMl, frameX, yOfMl),
  };
}

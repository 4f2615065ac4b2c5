/**
 * Where the heart is in a series, from a first, coarse segmentation (heart-centred inference: the engine
 * runs the model once on the image-centred canvas, then on a crop centred here). Robust to a few bad slices:
 * the centre is the median over slices of each slice's heart centroid.
 */
import { Label } from './labels';
import type { SpacingMm, VolumeDims } from './volume';

export interface HeartLocation {
  /** Image pixel (x = column, y = row) the crop is centred on. */
  centerPx: { x: number; y: number };
  /** False when no slice showed an LV (myocardium or cavity): the centre is then the image centre. */
  found: boolean;
  /** Slices (indices into the series) whose centroid entered the median. */
  slicesUsed: number[];
}

/** Least LV area (myocardium + cavity) on a slice for it to locate the heart: a small apical LV is ~300 mm². */
export const MIN_LV_AREA_MM2 = 150;
/** Foreground farther than this from the slice's LV centroid is not counted (false positives elsewhere). */
export const HEART_RADIUS_MM = 80;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * `labels` [k][row][col] for the slices `slices[k]` of one frame. Per slice with enough LV: the centroid
 * of the LV (myocardium + cavity), then of all structures within HEART_RADIUS_MM of it (the RV included, as
 * training centres its crops on all labels); the series centre is the per-axis median of those.
 */
export function locateHeartFromLabels(
  labels: Uint8Array,
  dims: Pick<VolumeDims, 'cols' | 'rows'>,
  spacingMm: Pick<SpacingMm, 'col' | 'row'>,
  slices: readonly number[],
): HeartLocation {
  const { cols, rows } = dims;
  const plane = cols * rows;
  const pixelMm2 = spacingMm.col * spacingMm.row;
  const xs: number[] = [];
  const ys: number[] = [];
  const used: number[] = [];
  for (let k = 0; k < slices.length; k++) {
    const o = k * plane;
    let lx = 0;
    let ly = 0;
    let ln = 0;
    for (let i = 0; i < plane; i++) {
      const v = labels[o + i];
      if (v === Label.LVCavity || v === Label.Myocardium) {
        lx += i % cols;
        ly += Math.floor(i / cols);
        ln++;
      }
    }
    if (ln * pixelMm2 < MIN_LV_AREA_MM2) continue;
    const cx = lx / ln;
    const cy = ly / ln;
    let fx = 0;
    let fy = 0;
    let fn = 0;
    for (let i = 0; i < plane; i++) {
      if (labels[o + i] === Label.Background) continue;
      const x = i % cols;
      const y = Math.floor(i / cols);
      if (Math.hypot((x - cx) * spacingMm.col, (y - cy) * spacingMm.row) > HEART_RADIUS_MM) continue;
      fx += x;
      fy += y;
      fn++;
    }
    xs.push(fx / fn);
    ys.push(fy / fn);
    used.push(slices[k]!);
  }
  if (used.length === 0) return { centerPx: { x: (cols - 1) / 2, y: (rows - 1) / 2 }, found: false, slicesUsed: [] };
  return { centerPx: { x: median(xs), y: median(ys) }, found: true, slicesUsed: used };
}

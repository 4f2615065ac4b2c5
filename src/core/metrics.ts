/**
 * Segmentation metrics on one 3D label map (one frame: slices x rows x cols): Dice per class and the
 * 95th-percentile symmetric Hausdorff distance in mm (surface voxels, anisotropic spacing).
 */
import type { SpacingMm } from './volume';

export interface Grid3 {
  cols: number;
  rows: number;
  slices: number;
}

/** Dice of class `label`; NaN when the class is absent from both maps. */
export function dice(pred: ArrayLike<number>, truth: ArrayLike<number>, label: number): number {
  let inter = 0;
  let a = 0;
  let b = 0;
  for (let i = 0; i < pred.length; i++) {
    const p = pred[i] === label;
    const t = truth[i] === label;
    if (p) a++;
    if (t) b++;
    if (p && t) inter++;
  }
  return a + b === 0 ? NaN : (2 * inter) / (a + b);
}

/** Voxels of class `label` with at least one 4-neighbour (in-plane) or slice neighbour of another class. */
function surface(map: ArrayLike<number>, g: Grid3, label: number): number[] {
  const out: number[] = [];
  const { cols, rows, slices } = g;
  for (let s = 0; s < slices; s++) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = c + cols * (r + rows * s);
        if (map[i] !== label) continue;
        const edge =
          c === 0 || c === cols - 1 || r === 0 || r === rows - 1 ||
          map[i - 1] !== label || map[i + 1] !== label || map[i - cols] !== label || map[i + cols] !== label ||
          (s > 0 && map[i - cols * rows] !== label) || (s < slices - 1 && map[i + cols * rows] !== label);
        if (edge) out.push(i);
      }
    }
  }
  return out;
}

function directedDistances(from: number[], to: number[], g: Grid3, sp: SpacingMm): number[] {
  const plane = g.cols * g.rows;
  const tx = new Float64Array(to.length);
  const ty = new Float64Array(to.length);
  const tz = new Float64Array(to.length);
  to.forEach((i, k) => {
    tx[k] = (i % g.cols) * sp.col;
    ty[k] = (Math.floor(i / g.cols) % g.rows) * sp.row;
    tz[k] = Math.floor(i / plane) * sp.slice;
  });
  return from.map((i) => {
    const x = (i % g.cols) * sp.col;
    const y = (Math.floor(i / g.cols) % g.rows) * sp.row;
    const z = Math.floor(i / plane) * sp.slice;
    let best = Infinity;
    for (let k = 0; k < to.length; k++) {
      const dx = x - tx[k]!;
      const dy = y - ty[k]!;
      const dz = z - tz[k]!;
      const d = dx * dx + dy * dy + dz * dz;
      if (d < best) best = d;
    }
    return Math.sqrt(best);
  });
}

function percentile(values: number[], pct: number): number {
  const s = values.slice().sort((a, b) => a - b);
  const idx = Math.min(s.length - 1, Math.max(0, Math.ceil((pct / 100) * s.length) - 1));
  return s[idx]!;
}

/**
 * 95% Hausdorff distance (mm) between the surfaces of class `label`: the 95th percentile of the union of
 * both directed surface distances. NaN when either map lacks the class.
 */
export function hausdorff95(pred: ArrayLike<number>, truth: ArrayLike<number>, g: Grid3, sp: SpacingMm, label: number): number {
  const a = surface(pred, g, label);
  const b = surface(truth, g, label);
  if (a.length === 0 || b.length === 0) return NaN;
  return percentile([...directedDistances(a, b, g, sp), ...directedDistances(b, a, g, sp)], 95);
}

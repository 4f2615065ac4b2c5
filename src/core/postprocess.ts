/**
 * Clean-up of a model's label maps, shared by the app's worker, the batch CLI and training's evaluation.
 * Per frame, 3D connected components (6-connectivity: in-plane neighbours plus the same pixel in adjacent
 * slices) of each structure are judged, then every enclosed background hole of a slice takes the label that
 * surrounds it most.
 *
 * - `largest`: keep each structure's largest component (the first published models' clean-up).
 * - `anatomical` (default): keep what anatomy allows, so that a false blob cannot delete the real structure
 *   by being bigger. The myocardium is its largest component; the LV cavity is the component with the most
 *   voxels touching that myocardium (the cavity is enclosed by it); the RV is the component with the most
 *   voxels near the myocardium (the RV lies against the septum). A false LV blob in the outflow tract or
 *   atrium and a false RV outside the heart touch the myocardium little or not at all, however large they
 *   are. One component per structure, as `largest`: keeping further "enclosed" pieces was tried and chosen
 *   against on validation patients (it kept false rings beyond the base and apex). Keeping further RV pieces
 *   that lie against the myocardium (RvExtraRule, for an RV broken along the long axis) gained at most 0.001 ES RV
 *   Dice on training patients and nothing on validation patients, so DEFAULT_RV_EXTRA is off (training/RESULTS.md).
 */
import { Label } from './labels';

export interface LabelGrid {
  cols: number;
  rows: number;
  slices: number;
}

const STRUCTURES = [Label.RVCavity, Label.Myocardium, Label.LVCavity];

interface Components {
  /** Component id per voxel (0 = not this label). */
  id: Int32Array;
  /** Voxel count per id (index 0 unused). */
  sizes: number[];
}

/** 3D 6-connected components of one label. */
export function components(labels: Uint8Array, g: LabelGrid, label: number): Components {
  const { cols, rows, slices } = g;
  const plane = cols * rows;
  const id = new Int32Array(labels.length);
  const queue = new Int32Array(labels.length);
  const sizes = [0];
  let cid = 0;
  let tail = 0;
  // One closure for the whole labelling (not one per voxel): it reads the current component id and queue end.
  const visit = (j: number): void => {
    if (labels[j] === label && id[j] === 0) {
      id[j] = cid;
      queue[tail++] = j;
    }
  };
  for (let start = 0; start < labels.length; start++) {
    if (labels[start] !== label || id[start] !== 0) continue;
    cid = sizes.length;
    let head = 0;
    tail = 0;
    queue[tail++] = start;
    id[start] = cid;
    while (head < tail) {
      const i = queue[head++]!;
      const c = i % cols;
      const r = Math.floor(i / cols) % rows;
      const s = Math.floor(i / plane);
      if (c > 0) visit(i - 1);
      if (c < cols - 1) visit(i + 1);
      if (r > 0) visit(i - cols);
      if (r < rows - 1) visit(i + cols);
      if (s > 0) visit(i - plane);
      if (s < slices - 1) visit(i + plane);
    }
    sizes.push(tail);
  }
  return { id, sizes };
}

function largestId(sizes: number[]): number {
  let best = 0;
  for (let k = 1; k < sizes.length; k++) if (sizes[k]! > (sizes[best] ?? 0)) best = k;
  return best;
}

function keepIds(labels: Uint8Array, label: number, comps: Components, keep: Set<number>): void {
  for (let i = 0; i < labels.length; i++) if (labels[i] === label && !keep.has(comps.id[i]!)) labels[i] = Label.Background;
}

/** In place on one frame's labels [slice][row][col]: each structure's largest 3D component. */
export function keepLargestComponents(labels: Uint8Array, g: LabelGrid): void {
  for (const label of STRUCTURES) {
    const comps = components(labels, g, label);
    keepIds(labels, label, comps, new Set([largestId(comps.sizes)]));
  }
}

/** RV voxels within this many pixels (in-plane) of the myocardium count as lying against it. */
export const RV_CONTACT_RADIUS_PX = 2;

/** Per component: voxels with an in-plane neighbour (within `radius` pixels, Chebyshev) in `mask`. */
function contactCounts(
  labels: Uint8Array,
  g: LabelGrid,
  comps: Components,
  mask: Uint8Array,
  radius: number,
): number[] {
  const { cols, rows } = g;
  const plane = cols * rows;
  const contact = comps.sizes.map(() => 0);
  for (let i = 0; i < labels.length; i++) {
    const cid = comps.id[i]!;
    if (cid === 0) continue;
    const c = i % cols;
    const r = Math.floor(i / cols) % rows;
    const o = i - (i % plane);
    let touches = false;
    for (let dr = -radius; dr <= radius && !touches; dr++) {
      const rr = r + dr;
      if (rr < 0 || rr >= rows) continue;
      for (let dc = -radius; dc <= radius; dc++) {
        const cc = c + dc;
        if (cc < 0 || cc >= cols) continue;
        if (mask[o + rr * cols + cc]) {
          touches = true;
          break;
        }
      }
    }
    if (touches) contact[cid]! += 1;
  }
  return contact;
}

/** The component with the most contact; without any contact, the largest. */
function mostInContact(contact: number[], sizes: number[]): number {
  let best = 0;
  for (let k = 1; k < contact.length; k++) {
    if (contact[k]! > contact[best]! || (contact[k] === contact[best] && sizes[k]! > (sizes[best] ?? 0))) best = k;
  }
  return contact[best]! > 0 ? best : largestId(sizes);
}

/**
 * Further RV components the anatomical clean-up keeps beside the main one (null: none). An under-segmented RV can
 * break into pieces along the long axis (the main crescent on mid slices, a piece on apical slices); a piece is
 * kept when at least `minNearFraction` of its voxels lie near the myocardium, it has at least `minVoxels` voxels
 * and (with `otherSlices`) it lies only on slices where the main component is absent.
 */
export interface RvExtraRule {
  minNearFraction: number;
  minVoxels: number;
  otherSlices: boolean;
}

/** Slices a component occupies. */
function componentSlices(comps: Components, plane: number, cid: number): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < comps.id.length; i++) if (comps.id[i] === cid) out.add(Math.floor(i / plane));
  return out;
}

/** In place: the anatomical clean-up described at the top of this file. */
export function keepAnatomicalComponents(labels: Uint8Array, g: LabelGrid, rvExtra: RvExtraRule | null = null): void {
  const myo = components(labels, g, Label.Myocardium);
  keepIds(labels, Label.Myocardium, myo, new Set([largestId(myo.sizes)]));
  const myoMask = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) if (labels[i] === Label.Myocardium) myoMask[i] = 1;

  const lv = components(labels, g, Label.LVCavity);
  const lvContact = contactCounts(labels, g, lv, myoMask, 1);
  keepIds(labels, Label.LVCavity, lv, new Set([mostInContact(lvContact, lv.sizes)]));

  const rv = components(labels, g, Label.RVCavity);
  const rvContact = contactCounts(labels, g, rv, myoMask, RV_CONTACT_RADIUS_PX);
  const mainRv = mostInContact(rvContact, rv.sizes);
  const keepRv = new Set([mainRv]);
  if (rvExtra && rv.sizes.length > 2) {
    const plane = g.cols * g.rows;
    const mainSlices = rvExtra.otherSlices ? componentSlices(rv, plane, mainRv) : new Set<number>();
    for (let k = 1; k < rv.sizes.length; k++) {
      if (k === mainRv || rv.sizes[k]! < rvExtra.minVoxels || rvContact[k]! < rvExtra.minNearFraction * rv.sizes[k]!) continue;
      if (rvExtra.otherSlices && [...componentSlices(rv, plane, k)].some((s) => mainSlices.has(s))) continue;
      keepRv.add(k);
    }
  }
  keepIds(labels, Label.RVCavity, rv, keepRv);
}

/** In place, per slice: background regions that do not touch the border take their majority neighbour label. */
export function fillHoles(labels: Uint8Array, g: LabelGrid): void {
  const { cols, rows, slices } = g;
  const plane = cols * rows;
  const seen = new Uint8Array(plane);
  const queue = new Int32Array(plane);
  for (let s = 0; s < slices; s++) {
    const o = s * plane;
    seen.fill(0);
    for (let start = 0; start < plane; start++) {
      if (labels[o + start] !== Label.Background || seen[start]) continue;
      let head = 0;
      let tail = 0;
      queue[tail++] = start;
      seen[start] = 1;
      let touchesBorder = false;
      const votes = [0, 0, 0, 0];
      while (head < tail) {
        const i = queue[head++]!;
        const c = i % cols;
        const r = Math.floor(i / cols);
        if (c === 0 || r === 0 || c === cols - 1 || r === rows - 1) touchesBorder = true;
        const visit = (j: number): void => {
          const v = labels[o + j]!;
          if (v === Label.Background) {
            if (!seen[j]) {
              seen[j] = 1;
              queue[tail++] = j;
            }
          } else votes[v] = (votes[v] ?? 0) + 1;
        };
        if (c > 0) visit(i - 1);
        if (c < cols - 1) visit(i + 1);
        if (r > 0) visit(i - cols);
        if (r < rows - 1) visit(i + cols);
      }
      if (touchesBorder) continue;
      let fill = 1;
      for (let v = 2; v < votes.length; v++) if (votes[v]! > votes[fill]!) fill = v;
      for (let k = 0; k < tail; k++) labels[o + queue[k]!] = fill;
    }
  }
}

export type PostprocessMode = 'largest' | 'anatomical';

export const DEFAULT_POSTPROCESS: PostprocessMode = 'anatomical';

/** The anatomical clean-up's rule for further RV components (RvExtraRule); null keeps one RV component. */
export const DEFAULT_RV_EXTRA: RvExtraRule | null = null;

/** The clean-up on the whole grid, in place (postprocessFrame runs it on the labels' bounding box). */
export function postprocessGrid(
  labels: Uint8Array,
  g: LabelGrid,
  mode: PostprocessMode = DEFAULT_POSTPROCESS,
  rvExtra: RvExtraRule | null = DEFAULT_RV_EXTRA,
): Uint8Array {
  if (mode === 'largest') keepLargestComponents(labels, g);
  else keepAnatomicalComponents(labels, g, rvExtra);
  fillHoles(labels, g);
  return labels;
}

/** In-plane box [c0, c1) x [r0, r1) holding every labelled voxel of every slice, or null when none is labelled. */
function labelledBox(labels: Uint8Array, g: LabelGrid): { c0: number; c1: number; r0: number; r1: number } | null {
  const { cols, rows, slices } = g;
  let c0 = cols;
  let c1 = -1;
  let r0 = rows;
  let r1 = -1;
  for (let s = 0; s < slices; s++) {
    for (let r = 0; r < rows; r++) {
      const o = (s * rows + r) * cols;
      let first = -1;
      for (let c = 0; c < cols; c++) {
        if (labels[o + c] !== Label.Background) {
          first = c;
          break;
        }
      }
      if (first < 0) continue;
      let last = cols - 1;
      while (labels[o + last] === Label.Background) last--;
      if (first < c0) c0 = first;
      if (last > c1) c1 = last;
      if (r < r0) r0 = r;
      if (r > r1) r1 = r;
    }
  }
  return c1 < 0 ? null : { c0, c1: c1 + 1, r0, r1: r1 + 1 };
}

/**
 * The app's, the CLI's and the evaluation's clean-up of one frame, in place. It runs on the labels' bounding box
 * (over all slices) with a one-pixel background margin, not on the whole image: the same result (every component
 * lies inside; the margin, like the image border, marks background that is not an enclosed hole), in a fraction of
 * the time on a heart-centred crop of a wide field of view.
 */
export function postprocessFrame(
  labels: Uint8Array,
  g: LabelGrid,
  mode: PostprocessMode = DEFAULT_POSTPROCESS,
  rvExtra: RvExtraRule | null = DEFAULT_RV_EXTRA,
): Uint8Array {
  const box = labelledBox(labels, g);
  if (!box) return labels;
  const c0 = Math.max(0, box.c0 - 1);
  const c1 = Math.min(g.cols, box.c1 + 1);
  const r0 = Math.max(0, box.r0 - 1);
  const r1 = Math.min(g.rows, box.r1 + 1);
  const w = c1 - c0;
  const h = r1 - r0;
  if (w * h >= 0.8 * g.cols * g.rows) return postprocessGrid(labels, g, mode, rvExtra);
  const sub = new Uint8Array(w * h * g.slices);
  for (let s = 0; s < g.slices; s++) {
    for (let r = 0; r < h; r++) {
      const from = (s * g.rows + r0 + r) * g.cols + c0;
      sub.set(labels.subarray(from, from + w), (s * h + r) * w);
    }
  }
  postprocessGrid(sub, { cols: w, rows: h, slices: g.slices }, mode, rvExtra);
  for (let s = 0; s < g.slices; s++) {
    for (let r = 0; r < h; r++) {
      labels.set(sub.subarray((s * h + r) * w, (s * h + r + 1) * w), (s * g.rows + r0 + r) * g.cols + c0);
    }
  }
  return labels;
}

/**
 * Clean-up of a model's label maps, shared by the app's worker and the batch CLI:
 * per frame keep the largest 3D connected component of each structure (6-connectivity: in-plane
 * neighbours plus the same pixel in adjacent slices), then give every enclosed background hole of a
 * slice the label that surrounds it most.
 */
import { Label } from './labels';

export interface LabelGrid {
  cols: number;
  rows: number;
  slices: number;
}

const STRUCTURES = [Label.RVCavity, Label.Myocardium, Label.LVCavity];

/** In place on one frame's labels [slice][row][col]. */
export function keepLargestComponents(labels: Uint8Array, g: LabelGrid): void {
  const { cols, rows, slices } = g;
  const plane = cols * rows;
  const comp = new Int32Array(labels.length);
  const queue = new Int32Array(labels.length);
  for (const label of STRUCTURES) {
    comp.fill(0);
    let next = 0;
    let bestId = 0;
    let bestSize = 0;
    for (let start = 0; start < labels.length; start++) {
      if (labels[start] !== label || comp[start] !== 0) continue;
      const id = ++next;
      let head = 0;
      let tail = 0;
      queue[tail++] = start;
      comp[start] = id;
      while (head < tail) {
        const i = queue[head++]!;
        const c = i % cols;
        const r = Math.floor(i / cols) % rows;
        const s = Math.floor(i / plane);
        const visit = (j: number): void => {
          if (labels[j] === label && comp[j] === 0) {
            comp[j] = id;
            queue[tail++] = j;
          }
        };
        if (c > 0) visit(i - 1);
        if (c < cols - 1) visit(i + 1);
        if (r > 0) visit(i - cols);
        if (r < rows - 1) visit(i + cols);
        if (s > 0) visit(i - plane);
        if (s < slices - 1) visit(i + plane);
      }
      if (tail > bestSize) {
        bestSize = tail;
        bestId = id;
      }
    }
    for (let i = 0; i < labels.length; i++) if (labels[i] === label && comp[i] !== bestId) labels[i] = Label.Background;
  }
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

/** The app's and the CLI's clean-up of one frame. */
export function postprocessFrame(labels: Uint8Array, g: LabelGrid): Uint8Array {
  keepLargestComponents(labels, g);
  fillHoles(labels, g);
  return labels;
}

/**
 * Hand editing of one label slice (one slice of one frame of a `LabelVolume`): brush, eraser, fill of an enclosed
 * region, and an undo history of per-slice diffs. Pure: the operations write into the slice they are given and
 * return what changed; nothing here knows about the screen.
 *
 * Coordinates are image pixels with pixel (c, r) centred at (c, r), 0-based, as in `contours.ts`; a viewer whose
 * pixel (c, r) spans [c, c + 1) converts by subtracting 0.5.
 */
import { Label, type LabelValue } from './labels';
import type { LabelVolume } from './volume';
import { sliceOffset } from './volume';

export interface SliceGrid {
  cols: number;
  rows: number;
}

export interface PixelPoint {
  x: number;
  y: number;
}

/** What a brush stroke does: paint a structure over whatever is there, or erase one structure (others stay). */
export type BrushOp =
  { kind: 'paint'; label: Exclude<LabelValue, 0> } | { kind: 'erase'; label: Exclude<LabelValue, 0> };

/**
 * Applies `op` to every pixel whose centre lies within `radiusPx` of the segment `from`-`to` (a disc when they are
 * equal), so a drag painted as segments between pointer positions leaves no gaps however fast the pointer moves.
 * @returns the number of pixels whose label changed.
 */
export function brushSegment(
  slice: Uint8Array,
  grid: SliceGrid,
  from: PixelPoint,
  to: PixelPoint,
  radiusPx: number,
  op: BrushOp,
): number {
  const { cols, rows } = grid;
  if (slice.length !== cols * rows) throw new RangeError(`slice has ${slice.length} pixels, grid ${cols}×${rows}`);
  const r = Math.max(0, radiusPx);
  const c0 = Math.max(0, Math.ceil(Math.min(from.x, to.x) - r));
  const c1 = Math.min(cols - 1, Math.floor(Math.max(from.x, to.x) + r));
  const r0 = Math.max(0, Math.ceil(Math.min(from.y, to.y) - r));
  const r1 = Math.min(rows - 1, Math.floor(Math.max(from.y, to.y) + r));
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const len2 = dx * dx + dy * dy;
  const r2 = r * r;
  let changed = 0;
  for (let y = r0; y <= r1; y++) {
    for (let x = c0; x <= c1; x++) {
      // Distance from the pixel centre to the nearest point of the segment.
      const t = len2 > 0 ? Math.min(1, Math.max(0, ((x - from.x) * dx + (y - from.y) * dy) / len2)) : 0;
      const ex = x - (from.x + t * dx);
      const ey = y - (from.y + t * dy);
      if (ex * ex + ey * ey > r2) continue;
      const i = x + cols * y;
      const v = slice[i] as number;
      if (op.kind === 'paint') {
        if (v !== op.label) {
          slice[i] = op.label;
          changed++;
        }
      } else if (v === op.label) {
        slice[i] = Label.Background;
        changed++;
      }
    }
  }
  return changed;
}

export interface FillResult {
  /** Pixels that took the new label. */
  changed: number;
  /** False when the region clicked reaches the image border: nothing is filled then. */
  enclosed: boolean;
}

/**
 * Fills the region clicked with `label`: the 4-connected pixels that share the seed's label (a hole in the LV
 * cavity, the background inside the myocardial ring). A region that reaches the image border is not enclosed, and
 * filling it would flood the image, so it is left unchanged.
 */
export function fillEnclosedRegion(
  slice: Uint8Array,
  grid: SliceGrid,
  seed: PixelPoint,
  label: Exclude<LabelValue, 0>,
): FillResult {
  const { cols, rows } = grid;
  if (slice.length !== cols * rows) throw new RangeError(`slice has ${slice.length} pixels, grid ${cols}×${rows}`);
  const sx = Math.round(seed.x);
  const sy = Math.round(seed.y);
  if (sx < 0 || sy < 0 || sx >= cols || sy >= rows) return { changed: 0, enclosed: false };
  const start = sx + cols * sy;
  const target = slice[start] as number;
  if (target === label) return { changed: 0, enclosed: true };
  const inRegion = new Uint8Array(slice.length);
  const stack = new Int32Array(slice.length);
  let top = 0;
  stack[top++] = start;
  inRegion[start] = 1;
  const region: number[] = [];
  let enclosed = true;
  while (top > 0) {
    const i = stack[--top] as number;
    region.push(i);
    const x = i % cols;
    const y = (i - x) / cols;
    if (x === 0 || y === 0 || x === cols - 1 || y === rows - 1) enclosed = false;
    const visit = (j: number): void => {
      if (inRegion[j] === 0 && slice[j] === target) {
        inRegion[j] = 1;
        stack[top++] = j;
      }
    };
    if (x > 0) visit(i - 1);
    if (x < cols - 1) visit(i + 1);
    if (y > 0) visit(i - cols);
    if (y < rows - 1) visit(i + cols);
  }
  if (!enclosed) return { changed: 0, enclosed: false };
  for (const i of region) slice[i] = label;
  return { changed: region.length, enclosed: true };
}

/** One undoable change: the pixels of one (slice, frame) that changed, with their values before and after. */
export interface SliceEdit {
  slice: number;
  frame: number;
  /** Pixel indices within the slice, ascending. */
  indices: Uint32Array;
  before: Uint8Array;
  after: Uint8Array;
}

/** The diff between two versions of one label slice; `undefined` when they are equal. */
export function diffSlice(slice: number, frame: number, before: Uint8Array, after: Uint8Array): SliceEdit | undefined {
  if (before.length !== after.length) throw new RangeError('the two slices differ in size');
  let n = 0;
  for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) n++;
  if (n === 0) return undefined;
  const indices = new Uint32Array(n);
  const b = new Uint8Array(n);
  const a = new Uint8Array(n);
  let k = 0;
  for (let i = 0; i < before.length; i++) {
    if (before[i] !== after[i]) {
      indices[k] = i;
      b[k] = before[i] as number;
      a[k] = after[i] as number;
      k++;
    }
  }
  return { slice, frame, indices, before: b, after: a };
}

/** Writes an edit's `after` values (`redo`) or `before` values (`undo`) into `labels`. */
export function applySliceEdit(labels: LabelVolume, edit: SliceEdit, direction: 'undo' | 'redo'): void {
  const o = sliceOffset(labels.dims, edit.slice, edit.frame);
  const values = direction === 'undo' ? edit.before : edit.after;
  for (let k = 0; k < edit.indices.length; k++) labels.data[o + (edit.indices[k] as number)] = values[k] as number;
}

/** Undo and redo stacks; immutable, so React state can hold it. The newest edit is last in each. */
export interface EditHistory {
  done: readonly SliceEdit[];
  undone: readonly SliceEdit[];
}

export const EMPTY_HISTORY: EditHistory = { done: [], undone: [] };

/** How many edits undo can reach back (each holds only the pixels it changed). */
export const HISTORY_LIMIT = 200;

/** The history after a new edit: it goes on the undo stack and the redo stack is cleared. */
export function recordEdit(history: EditHistory, edit: SliceEdit, limit = HISTORY_LIMIT): EditHistory {
  const done = [...history.done, edit];
  return { done: done.length > limit ? done.slice(done.length - limit) : done, undone: [] };
}

/** Undoes the newest edit in `labels`; `undefined` when there is nothing to undo. */
export function undoEdit(
  history: EditHistory,
  labels: LabelVolume,
): { history: EditHistory; edit: SliceEdit } | undefined {
  const edit = history.done[history.done.length - 1];
  if (!edit) return undefined;
  applySliceEdit(labels, edit, 'undo');
  return { history: { done: history.done.slice(0, -1), undone: [...history.undone, edit] }, edit };
}

/** Redoes the newest undone edit in `labels`; `undefined` when there is nothing to redo. */
export function redoEdit(
  history: EditHistory,
  labels: LabelVolume,
): { history: EditHistory; edit: SliceEdit } | undefined {
  const edit = history.undone[history.undone.length - 1];
  if (!edit) return undefined;
  applySliceEdit(labels, edit, 'redo');
  return { history: { done: [...history.done, edit], undone: history.undone.slice(0, -1) }, edit };
}

import { describe, expect, it } from 'vitest';
import { Label } from './labels';
import {
  applySliceEdit,
  brushSegment,
  diffSlice,
  EMPTY_HISTORY,
  fillEnclosedRegion,
  recordEdit,
  redoEdit,
  undoEdit,
} from './maskEdit';
import { sliceView, type LabelVolume } from './volume';

const countOf = (a: Uint8Array, v: number): number => a.reduce((n, x) => n + (x === v ? 1 : 0), 0);
const at = (a: Uint8Array, cols: number, x: number, y: number): number => a[x + cols * y] as number;

describe('brushSegment', () => {
  it('paints a disc of the pixels whose centres lie within the radius', () => {
    const grid = { cols: 20, rows: 20 };
    const s = new Uint8Array(400);
    // Radius 2 around a pixel centre: the 13 integer points with dx² + dy² <= 4.
    const changed = brushSegment(s, grid, { x: 10, y: 10 }, { x: 10, y: 10 }, 2, {
      kind: 'paint',
      label: Label.LVCavity,
    });
    expect(changed).toBe(13);
    expect(countOf(s, Label.LVCavity)).toBe(13);
    expect(at(s, 20, 12, 10)).toBe(Label.LVCavity);
    expect(at(s, 20, 11, 11)).toBe(Label.LVCavity);
    expect(at(s, 20, 12, 11)).toBe(0);
    // Painting the same disc again changes nothing.
    expect(brushSegment(s, grid, { x: 10, y: 10 }, { x: 10, y: 10 }, 2, { kind: 'paint', label: 3 })).toBe(0);
  });

  it('approaches πr² for a large disc and paints over other structures', () => {
    const grid = { cols: 100, rows: 100 };
    const s = new Uint8Array(10_000).fill(Label.Myocardium);
    const changed = brushSegment(s, grid, { x: 50.3, y: 49.6 }, { x: 50.3, y: 49.6 }, 20, {
      kind: 'paint',
      label: Label.RVCavity,
    });
    expect(Math.abs(changed - Math.PI * 400) / (Math.PI * 400)).toBeLessThan(0.01);
    expect(countOf(s, Label.RVCavity)).toBe(changed);
  });

  it('paints a gap-free capsule between two pointer positions', () => {
    const grid = { cols: 30, rows: 10 };
    const s = new Uint8Array(300);
    brushSegment(s, grid, { x: 2, y: 5 }, { x: 27, y: 5 }, 1, { kind: 'paint', label: Label.Myocardium });
    // Rows 4..6 from x = 2 to 27 plus the two end caps (x = 1 and 28 on row 5): 3 * 26 + 2.
    expect(countOf(s, Label.Myocardium)).toBe(3 * 26 + 2);
    for (let x = 2; x <= 27; x++) expect(at(s, 30, x, 4)).toBe(Label.Myocardium);
  });

  it('erases only the chosen structure', () => {
    const grid = { cols: 10, rows: 10 };
    const s = new Uint8Array(100);
    for (let i = 0; i < 100; i++) s[i] = i % 2 === 0 ? Label.LVCavity : Label.Myocardium;
    const changed = brushSegment(s, grid, { x: 4.5, y: 4.5 }, { x: 4.5, y: 4.5 }, 50, {
      kind: 'erase',
      label: Label.LVCavity,
    });
    expect(changed).toBe(50);
    expect(countOf(s, Label.LVCavity)).toBe(0);
    expect(countOf(s, Label.Myocardium)).toBe(50);
    expect(countOf(s, Label.Background)).toBe(50);
  });

  it('clips at the image border', () => {
    const grid = { cols: 8, rows: 6 };
    const s = new Uint8Array(48);
    // Centre at a corner pixel, radius 1: the corner, its right and lower neighbours.
    expect(brushSegment(s, grid, { x: 0, y: 0 }, { x: 0, y: 0 }, 1, { kind: 'paint', label: 1 })).toBe(3);
    expect(brushSegment(s, grid, { x: -50, y: -50 }, { x: -40, y: -40 }, 2, { kind: 'paint', label: 1 })).toBe(0);
  });
});

/** A 12x12 slice with a myocardial ring (square) around a background hole of 4x4. */
function ring(): Uint8Array {
  const s = new Uint8Array(144);
  for (let y = 2; y <= 9; y++) for (let x = 2; x <= 9; x++) s[x + 12 * y] = Label.Myocardium;
  for (let y = 4; y <= 7; y++) for (let x = 4; x <= 7; x++) s[x + 12 * y] = Label.Background;
  return s;
}

describe('fillEnclosedRegion', () => {
  const grid = { cols: 12, rows: 12 };

  it('fills the background enclosed by the myocardium with the LV cavity', () => {
    const s = ring();
    expect(fillEnclosedRegion(s, grid, { x: 5.2, y: 6.4 }, Label.LVCavity)).toEqual({ changed: 16, enclosed: true });
    expect(countOf(s, Label.LVCavity)).toBe(16);
    expect(at(s, 12, 4, 4)).toBe(Label.LVCavity);
    expect(at(s, 12, 3, 3)).toBe(Label.Myocardium);
    expect(at(s, 12, 0, 0)).toBe(Label.Background);
  });

  it('leaves a region that reaches the border alone', () => {
    const s = ring();
    const before = s.slice();
    expect(fillEnclosedRegion(s, grid, { x: 0, y: 5 }, Label.RVCavity)).toEqual({ changed: 0, enclosed: false });
    expect(s).toEqual(before);
  });

  it('does not leak through a diagonal gap (4-connected) but does through an open side', () => {
    const s = ring();
    // Two ring pixels gone along the diagonal: the hole meets the outside only corner to corner.
    s[2 + 12 * 2] = Label.Background;
    s[3 + 12 * 3] = Label.Background;
    expect(fillEnclosedRegion(s, grid, { x: 5, y: 5 }, Label.LVCavity)).toEqual({ changed: 16, enclosed: true });
    const open = ring();
    for (let x = 2; x <= 3; x++) open[x + 12 * 5] = Label.Background;
    expect(fillEnclosedRegion(open, grid, { x: 5, y: 5 }, Label.LVCavity)).toEqual({ changed: 0, enclosed: false });
  });

  it('fills a region of another structure and ignores clicks on the label itself or outside', () => {
    const s = ring();
    s.fill(Label.LVCavity, 5 + 12 * 5, 5 + 12 * 5 + 2);
    // The two LV pixels inside the hole are their own region.
    expect(fillEnclosedRegion(s, grid, { x: 5, y: 5 }, Label.RVCavity).changed).toBe(2);
    expect(fillEnclosedRegion(s, grid, { x: 5, y: 5 }, Label.RVCavity).changed).toBe(0);
    expect(fillEnclosedRegion(s, grid, { x: 40, y: 5 }, Label.RVCavity)).toEqual({ changed: 0, enclosed: false });
  });
});

describe('edit history', () => {
  const dims = { cols: 4, rows: 3, slices: 2, frames: 2 };
  const volume = (): LabelVolume => ({ data: new Uint8Array(4 * 3 * 2 * 2), dims });

  it('diffs a slice into the changed pixels only', () => {
    const before = new Uint8Array([0, 0, 1, 2, 3, 0]);
    const after = new Uint8Array([0, 3, 1, 0, 3, 0]);
    const d = diffSlice(1, 0, before, after);
    expect(d && Array.from(d.indices)).toEqual([1, 3]);
    expect(d && Array.from(d.before)).toEqual([0, 2]);
    expect(d && Array.from(d.after)).toEqual([3, 0]);
    expect(diffSlice(0, 0, before, before.slice())).toBeUndefined();
  });

  it('undoes and redoes edits of different slices in order, and a new edit clears redo', () => {
    const labels = volume();
    let history = EMPTY_HISTORY;
    const edit = (slice: number, frame: number, paint: (s: Uint8Array) => void): void => {
      const view = sliceView(labels.data, dims, slice, frame);
      const before = view.slice();
      paint(view);
      const d = diffSlice(slice, frame, before, view);
      if (d) history = recordEdit(history, d);
    };
    edit(1, 1, (s) => s.fill(Label.LVCavity, 0, 5));
    edit(0, 1, (s) => s.fill(Label.RVCavity, 6));
    edit(1, 1, (s) => s.fill(Label.Myocardium, 2, 4));
    const snapshot = labels.data.slice();
    expect(history.done).toHaveLength(3);

    let step = undoEdit(history, labels);
    expect(step?.edit.slice).toBe(1);
    history = step!.history;
    expect(Array.from(sliceView(labels.data, dims, 1, 1))).toEqual([3, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0, 0]);
    step = undoEdit(history, labels);
    history = step!.history;
    step = undoEdit(history, labels);
    history = step!.history;
    expect(labels.data.every((v) => v === 0)).toBe(true);
    expect(undoEdit(history, labels)).toBeUndefined();

    for (let i = 0; i < 3; i++) history = redoEdit(history, labels)!.history;
    expect(labels.data).toEqual(snapshot);
    expect(redoEdit(history, labels)).toBeUndefined();

    history = undoEdit(history, labels)!.history;
    edit(0, 0, (s) => s.fill(Label.LVCavity, 0, 1));
    expect(history.undone).toHaveLength(0);
    expect(history.done).toHaveLength(3);
  });

  it('keeps at most `limit` edits', () => {
    let history = EMPTY_HISTORY;
    const d = diffSlice(0, 0, new Uint8Array([0]), new Uint8Array([1]))!;
    for (let i = 0; i < 7; i++) history = recordEdit(history, { ...d, slice: i }, 5);
    expect(history.done.map((e) => e.slice)).toEqual([2, 3, 4, 5, 6]);
  });

  it('applies an edit at its own slice and frame', () => {
    const labels = volume();
    const d = diffSlice(1, 1, new Uint8Array(12), new Uint8Array(12).fill(2, 11))!;
    applySliceEdit(labels, d, 'redo');
    expect(labels.data[labels.data.length - 1]).toBe(2);
    expect(labels.data.reduce((n, v) => n + v, 0)).toBe(2);
    applySliceEdit(labels, d, 'undo');
    expect(labels.data.every((v) => v === 0)).toBe(true);
  });
});

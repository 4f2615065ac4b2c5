import { describe, expect, it } from 'vitest';
import { fillHoles, keepLargestComponents, postprocessFrame, postprocessGrid } from './postprocess';

const g = { cols: 10, rows: 10, slices: 2 };
const idx = (c: number, r: number, s: number): number => c + g.cols * (r + g.rows * s);

describe('keepLargestComponents', () => {
  it('keeps the largest 3D blob of each structure and drops the rest', () => {
    const m = new Uint8Array(g.cols * g.rows * g.slices);
    for (let r = 2; r < 5; r++) for (let c = 2; c < 5; c++) { m[idx(c, r, 0)] = 3; m[idx(c, r, 1)] = 3; } // 18 voxels
    m[idx(8, 8, 0)] = 3; // stray voxel
    m[idx(0, 9, 1)] = 1; // RV: single voxel stays (it is the largest RV component)
    keepLargestComponents(m, g);
    expect(m.filter((v) => v === 3).length).toBe(18);
    expect(m[idx(8, 8, 0)]).toBe(0);
    expect(m[idx(0, 9, 1)]).toBe(1);
  });
  it('joins components through adjacent slices', () => {
    const m = new Uint8Array(g.cols * g.rows * g.slices);
    m[idx(1, 1, 0)] = 2; m[idx(1, 1, 1)] = 2; m[idx(2, 1, 1)] = 2; // 3 connected via slice
    m[idx(7, 7, 0)] = 2; m[idx(7, 8, 0)] = 2; // 2
    keepLargestComponents(m, g);
    expect(m.filter((v) => v === 2).length).toBe(3);
  });
});

describe('fillHoles', () => {
  it('fills enclosed background with the surrounding label, leaves border-touching background', () => {
    const m = new Uint8Array(g.cols * g.rows * g.slices);
    for (let r = 2; r < 7; r++) for (let c = 2; c < 7; c++) m[idx(c, r, 0)] = 3;
    m[idx(4, 4, 0)] = 0; // hole inside LV cavity
    fillHoles(m, g);
    expect(m[idx(4, 4, 0)]).toBe(3);
    expect(m[idx(0, 0, 0)]).toBe(0);
    expect(m.filter((v) => v === 3).length).toBe(25);
  });
});

describe('postprocessFrame on the labels bounding box', () => {
  /** Rings, discs and stray voxels of every label, placed in a sub-region (or reaching an edge) of a 64x48 grid. */
  function randomFrame(seed: number, grid: { cols: number; rows: number; slices: number }, edge: boolean): Uint8Array {
    let x = seed;
    const rand = (): number => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
    const { cols, rows, slices } = grid;
    const m = new Uint8Array(cols * rows * slices);
    const cx = edge ? 4 : 20 + rand() * 20;
    const cy = 14 + rand() * 20;
    for (let s = 0; s < slices; s++) {
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const d = Math.hypot(c - cx, r - cy);
          const o = c + cols * (r + rows * s);
          if (d < 4 + rand() * 1.5) m[o] = 3;
          else if (d < 7) m[o] = 2;
          else if (d < 10 && c < cx) m[o] = 1;
          // Strays near the heart only, so that the bounding box is a part of the grid.
          if (d < 16 && rand() < 0.02) m[o] = 1 + Math.floor(rand() * 3);
          if (d < 7 && rand() < 0.02) m[o] = 0;
        }
      }
    }
    return m;
  }

  it('gives exactly the whole-grid result, with either clean-up, also when the labels reach the image edge', () => {
    const grid = { cols: 64, rows: 48, slices: 4 };
    let checked = 0;
    for (let seed = 1; seed <= 12; seed++) {
      for (const mode of ['anatomical', 'largest'] as const) {
        const m = randomFrame(seed, grid, seed % 3 === 0);
        const whole = postprocessGrid(m.slice(), grid, mode);
        const boxed = postprocessFrame(m.slice(), grid, mode);
        expect(boxed).toEqual(whole);
        if (!whole.every((v, i) => v === m[i])) checked++;
      }
    }
    // The clean-up did change these frames: the comparison is not between two untouched copies.
    expect(checked).toBe(24);
  });

  it('leaves a frame without labels as it is', () => {
    const m = new Uint8Array(g.cols * g.rows * g.slices);
    expect(postprocessFrame(m, g)).toEqual(new Uint8Array(m.length));
  });
});

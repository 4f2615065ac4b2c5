import { describe, expect, it } from 'vitest';
import { fillHoles, keepLargestComponents } from './postprocess';

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

import { describe, expect, it } from 'vitest';
import { Label } from './labels';
import { locateHeartFromLabels } from './heartLocation';

const dims = { cols: 100, rows: 80 };
const spacing = { col: 1.5, row: 1.5 };

function slice(cx: number, cy: number, r: number, extra?: (m: Uint8Array) => void): Uint8Array {
  const m = new Uint8Array(dims.cols * dims.rows);
  for (let y = 0; y < dims.rows; y++) for (let x = 0; x < dims.cols; x++) if (Math.hypot(x - cx, y - cy) <= r) m[x + dims.cols * y] = Label.Myocardium;
  extra?.(m);
  return m;
}

describe('locateHeartFromLabels', () => {
  it('finds an off-centre heart as the median of the slices, robust to one bad slice', () => {
    const stack = [slice(70, 20, 8), slice(71, 21, 9), slice(20, 60, 9), slice(70, 20, 8), slice(69, 19, 7)];
    const data = new Uint8Array(stack.length * dims.cols * dims.rows);
    stack.forEach((s, i) => data.set(s, i * s.length));
    const loc = locateHeartFromLabels(data, dims, spacing, [3, 4, 5, 6, 7]);
    expect(loc.found).toBe(true);
    expect(loc.slicesUsed).toEqual([3, 4, 5, 6, 7]);
    expect(Math.abs(loc.centerPx.x - 70)).toBeLessThan(1.1);
    expect(Math.abs(loc.centerPx.y - 20)).toBeLessThan(1.1);
  });

  it('ignores slices with too little LV and foreground far from the LV', () => {
    const far = (m: Uint8Array): void => {
      for (let y = 75; y < 80; y++) for (let x = 0; x < 5; x++) m[x + dims.cols * y] = Label.RVCavity; // > 80 mm away
    };
    const data = new Uint8Array(2 * dims.cols * dims.rows);
    data.set(slice(50, 40, 10, far), 0);
    data.set(slice(10, 10, 2), dims.cols * dims.rows); // 13 px = 29 mm²: too small to count
    const loc = locateHeartFromLabels(data, dims, spacing, [0, 1]);
    expect(loc.slicesUsed).toEqual([0]);
    expect(Math.abs(loc.centerPx.x - 50)).toBeLessThan(0.5);
    expect(Math.abs(loc.centerPx.y - 40)).toBeLessThan(0.5);
  });

  it('says when no heart was found and falls back to the image centre', () => {
    const loc = locateHeartFromLabels(new Uint8Array(dims.cols * dims.rows), dims, spacing, [0]);
    expect(loc).toEqual({ centerPx: { x: 49.5, y: 39.5 }, found: false, slicesUsed: [] });
  });
});

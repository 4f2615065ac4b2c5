import { describe, expect, it } from 'vitest';
import { dice, hausdorff95 } from './metrics';

const g = { cols: 20, rows: 20, slices: 1 };
const sp = { col: 1, row: 1, slice: 5 };
function square(x0: number, y0: number, size: number, label = 1): Uint8Array {
  const m = new Uint8Array(g.cols * g.rows);
  for (let y = y0; y < y0 + size; y++) for (let x = x0; x < x0 + size; x++) m[x + g.cols * y] = label;
  return m;
}

describe('dice', () => {
  it('is 1 for identical maps and 2|A∩B|/(|A|+|B|) otherwise', () => {
    const a = square(2, 2, 4);
    expect(dice(a, a, 1)).toBe(1);
    const b = square(4, 2, 4); // overlaps 2 of 4 columns: 8 of 16 pixels
    expect(dice(a, b, 1)).toBeCloseTo((2 * 8) / 32, 10);
    expect(dice(a, b, 2)).toBeNaN();
  });
});

describe('hausdorff95', () => {
  it('is 0 for identical maps and the shift for a shifted square', () => {
    const a = square(2, 2, 6);
    expect(hausdorff95(a, a, g, sp, 1)).toBe(0);
    const b = square(5, 2, 6);
    expect(hausdorff95(a, b, g, sp, 1)).toBeCloseTo(3, 6);
  });
  it('scales with pixel spacing', () => {
    const a = square(2, 2, 6);
    const b = square(5, 2, 6);
    expect(hausdorff95(a, b, g, { col: 2, row: 1, slice: 1 }, 1)).toBeCloseTo(6, 6);
  });
});

import { describe, expect, it } from 'vitest';
import {
  lvLabelsFromContours,
  parseContourFile,
  parseSunnybrookContour,
  parseSunnybrookContourName,
  rasterizePolygon,
  SUNNYBROOK_PIXEL_OFFSET,
  type Point2,
} from './contours';
import { Label } from './labels';

const count = (m: Uint8Array): number => m.reduce((a, v) => a + v, 0);
const square = (x0: number, y0: number, x1: number, y1: number): Point2[] => [
  { x: x0, y: y0 },
  { x: x1, y: y0 },
  { x: x1, y: y1 },
  { x: x0, y: y1 },
];

describe('rasterizePolygon', () => {
  it('fills exactly the pixels whose centres are inside a square', () => {
    // Edges on pixel borders: centres 3..7 in x and y.
    const m = rasterizePolygon(square(2.5, 2.5, 7.5, 7.5), 12, 10);
    expect(count(m)).toBe(25);
    expect(m[3 + 12 * 3]).toBe(1);
    expect(m[7 + 12 * 7]).toBe(1);
    expect(m[8 + 12 * 7]).toBe(0);
    expect(m[2 + 12 * 3]).toBe(0);
    // Edges through pixel centres: left/top inclusive, right/bottom exclusive (2..6).
    const h = rasterizePolygon(square(2, 2, 7, 7), 12, 10);
    expect(count(h)).toBe(25);
    expect(h[2 + 12 * 2]).toBe(1);
    expect(h[7 + 12 * 2]).toBe(0);
    // The winding direction does not matter, and clipping at the border is safe.
    expect(count(rasterizePolygon(square(2.5, 2.5, 7.5, 7.5).reverse(), 12, 10))).toBe(25);
    expect(count(rasterizePolygon(square(-5, -5, 3.5, 2.5), 12, 10))).toBe(4 * 3);
  });

  it('gives a circle about its area', () => {
    const circle = Array.from({ length: 360 }, (_, i) => ({
      x: 50 + 20 * Math.cos((i * Math.PI) / 180),
      y: 40 + 20 * Math.sin((i * Math.PI) / 180),
    }));
    expect(count(rasterizePolygon(circle, 100, 80)) / (Math.PI * 400)).toBeCloseTo(1, 1);
  });
});

describe('contour files', () => {
  it('parses "x y" lines and rejects garbage', () => {
    expect(parseContourFile('1.5 2\n3 4.25\r\n\n5 6\n')).toEqual([
      { x: 1.5, y: 2 },
      { x: 3, y: 4.25 },
      { x: 5, y: 6 },
    ]);
    expect(() => parseContourFile('1 2\nfoo bar\n3 4', 'c.txt')).toThrow('c.txt, line 2');
    expect(() => parseContourFile('1 2\n', 'c.txt')).toThrow('at least 3 points');
    expect(parseSunnybrookContour('2 3\n4 5\n6 7')[0]).toEqual({
      x: 2 + SUNNYBROOK_PIXEL_OFFSET,
      y: 3 + SUNNYBROOK_PIXEL_OFFSET,
    });
  });

  it('reads Sunnybrook file names', () => {
    expect(parseSunnybrookContourName('IM-0001-0048-icontour-manual.txt')).toEqual({ imageNumber: 48, kind: 'inner' });
    expect(parseSunnybrookContourName('x/IM-0001-0219-ocontour-manual.txt')).toEqual({
      imageNumber: 219,
      kind: 'outer',
    });
    expect(parseSunnybrookContourName('notes.txt')).toBeUndefined();
  });

  it('makes LV cavity and myocardium labels from inner and outer contours', () => {
    const labels = lvLabelsFromContours(square(4.5, 4.5, 7.5, 7.5), square(2.5, 2.5, 9.5, 9.5), 12, 12);
    expect(labels.filter((v) => v === Label.LVCavity).length).toBe(9);
    expect(labels.filter((v) => v === Label.Myocardium).length).toBe(49 - 9);
    expect(labels.filter((v) => v === Label.RVCavity).length).toBe(0);
  });
});

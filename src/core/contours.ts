/**
 * Polygon contours -> pixel masks, and the Sunnybrook contour text format.
 *
 * Coordinate convention: point (x, y) is (column, row) in pixels, 0-based, and the centre of pixel
 * (c, r) is at exactly (c, r), so pixel (c, r) covers [c - 0.5, c + 0.5) × [r - 0.5, r + 0.5).
 *
 * Sunnybrook contour files ("x y" per line) are 1-based in this convention: measured on the 84 expert
 * contours of the three patients we have, the image gradient along the contours is highest when they
 * are shifted by about (-1, -1) pixel (see contours.test.ts). `parseSunnybrookContour` applies it.
 */
import { Label } from './labels';

export interface Point2 {
  x: number;
  y: number;
}

/**
 * Fills a closed polygon: 1 where the pixel centre is inside (even-odd rule), else 0.
 * Centres exactly on a left or top edge count as inside, on a right or bottom edge as outside, so
 * two polygons sharing an edge never both claim a pixel.
 * @returns cols × rows mask, column fastest.
 */
export function rasterizePolygon(points: Point2[], cols: number, rows: number): Uint8Array {
  const mask = new Uint8Array(cols * rows);
  const n = points.length;
  if (n < 3) return mask;
  const xs: number[] = [];
  for (let r = 0; r < rows; r++) {
    xs.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const a = points[i] as Point2;
      const b = points[j] as Point2;
      // Half-open in y, so a vertex on the scan line is counted once.
      if (a.y <= r !== b.y <= r) xs.push(a.x + ((r - a.y) * (b.x - a.x)) / (b.y - a.y));
    }
    xs.sort((p, q) => p - q);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const c0 = Math.max(0, Math.ceil(xs[k] as number));
      const c1 = Math.min(cols, Math.ceil(xs[k + 1] as number));
      mask.fill(1, r * cols + c0, r * cols + Math.max(c0, c1));
    }
  }
  return mask;
}

/**
 * Parses a contour text file: one point per line, "x y" (column, row), coordinates as written.
 * @throws Error naming the file and line when a line is not two numbers or there are < 3 points.
 */
export function parseContourFile(text: string, name = 'contour file'): Point2[] {
  const points: Point2[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const t = line.trim();
    if (t === '') return;
    const parts = t.split(/[\s,]+/);
    const x = Number(parts[0]);
    const y = Number(parts[1]);
    if (parts.length !== 2 || !Number.isFinite(x) || !Number.isFinite(y)) {
      throw new Error(`${name}, line ${i + 1}: expected "x y", found "${t.slice(0, 40)}"`);
    }
    points.push({ x, y });
  });
  if (points.length < 3) throw new Error(`${name}: a contour needs at least 3 points, found ${points.length}`);
  return points;
}

/** Add to Sunnybrook file coordinates to get 0-based pixel-centre coordinates. */
export const SUNNYBROOK_PIXEL_OFFSET = -1;

/** Parses a Sunnybrook contour file into 0-based pixel-centre coordinates (see the module note). */
export function parseSunnybrookContour(text: string, name?: string): Point2[] {
  return parseContourFile(text, name).map((p) => ({
    x: p.x + SUNNYBROOK_PIXEL_OFFSET,
    y: p.y + SUNNYBROOK_PIXEL_OFFSET,
  }));
}

/** What a Sunnybrook contour file name says: `IM-0001-0048-icontour-manual.txt` -> image 48, inner. */
export interface SunnybrookContourName {
  /** The DICOM InstanceNumber of the image the contour was drawn on. */
  imageNumber: number;
  /** inner = endocardium (LV cavity), outer = epicardium. */
  kind: 'inner' | 'outer';
}

/** Parses a Sunnybrook contour file name; undefined for other names. */
export function parseSunnybrookContourName(fileName: string): SunnybrookContourName | undefined {
  const m = /IM-\d+-(\d+)-([io])contour-manual\.txt$/i.exec(fileName);
  if (!m) return undefined;
  return { imageNumber: Number(m[1]), kind: m[2]?.toLowerCase() === 'i' ? 'inner' : 'outer' };
}

/**
 * ACDC-convention labels from LV contours: LV cavity inside the endocardium, myocardium inside the
 * epicardium but outside the endocardium. Either contour may be missing.
 */
export function lvLabelsFromContours(
  inner: Point2[] | undefined,
  outer: Point2[] | undefined,
  cols: number,
  rows: number,
): Uint8Array {
  const out = new Uint8Array(cols * rows);
  if (outer) {
    const m = rasterizePolygon(outer, cols, rows);
    for (let i = 0; i < m.length; i++) if (m[i]) out[i] = Label.Myocardium;
  }
  if (inner) {
    const m = rasterizePolygon(inner, cols, rows);
    for (let i = 0; i < m.length; i++) if (m[i]) out[i] = Label.LVCavity;
  }
  return out;
}

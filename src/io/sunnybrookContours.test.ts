/**
 * The Sunnybrook contour convention (src/core/contours.ts) checked on the real images: lives in io/
 * because it needs the DICOM reader, and core must not import io.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseContourFile,
  parseSunnybrookContour,
  parseSunnybrookContourName,
  rasterizePolygon,
  SUNNYBROOK_PIXEL_OFFSET,
} from '@/core/contours';
import { decodeDicomPixels, parseDicomFile, type DicomImage } from './dicom';
import { sharedDataPath, sharedDataPresent } from './testing/sharedData';

const count = (m: Uint8Array): number => m.reduce((a, v) => a + v, 0);

const SUNNYBROOK = sharedDataPath('sunnybrook');
const PATIENTS = ['SCD0000101', 'SCD0000201', 'SCD0000301'];
const present = sharedDataPresent(...PATIENTS.map((p) => `sunnybrook/${p}`));

function image(patient: string, instance: number): { img: DicomImage; px: Float32Array } {
  const bytes = new Uint8Array(readFileSync(join(SUNNYBROOK, patient, 'dicom', `${instance}.dcm`)));
  const img = parseDicomFile({ name: `${instance}.dcm`, path: '', bytes }) as DicomImage;
  const px = new Float32Array(img.rows * img.cols);
  decodeDicomPixels(img, px, 0);
  return { img, px };
}

describe.skipIf(!present)('Sunnybrook contours on their images', () => {
  it('an endocardial contour covers a plausible, bright LV cavity', () => {
    const { img, px } = image('SCD0000101', 48);
    const text = readFileSync(
      join(SUNNYBROOK, 'SCD0000101/contours/i-contours/IM-0001-0048-icontour-manual.txt'),
      'utf8',
    );
    const inner = rasterizePolygon(parseSunnybrookContour(text), img.cols, img.rows);
    const area = count(inner);
    expect(area).toBeGreaterThan(500);
    expect(area).toBeLessThan(5000);
    // Ring 3-8 px outside the contour (myocardium and beyond), by dilating the mask.
    const dilate = (m: Uint8Array, steps: number): Uint8Array => {
      let cur = m;
      for (let s = 0; s < steps; s++) {
        const next = cur.slice();
        for (let i = img.cols; i < cur.length - img.cols; i++) {
          if (cur[i - 1] || cur[i + 1] || cur[i - img.cols] || cur[i + img.cols]) next[i] = 1;
        }
        cur = next;
      }
      return cur;
    };
    const near = dilate(inner, 3);
    const far = dilate(inner, 8);
    let sIn = 0;
    let sRing = 0;
    let nRing = 0;
    for (let i = 0; i < px.length; i++) {
      if (inner[i]) sIn += px[i] ?? 0;
      else if (far[i] && !near[i]) {
        sRing += px[i] ?? 0;
        nRing++;
      }
    }
    expect(sIn / area / (sRing / nRing)).toBeGreaterThan(1.3);
  });

  it('the contours are 1-based: the image edge along them is strongest at a shift of -1 pixel', () => {
    // Mean image gradient magnitude sampled (bilinearly) along each contour, for a few shifts.
    const shifts = [-1.5, -1, -0.5, 0, 0.5];
    const total = new Array<number>(shifts.length).fill(0);
    for (const patient of PATIENTS) {
      for (const kind of ['i-contours', 'o-contours']) {
        const dir = join(SUNNYBROOK, patient, 'contours', kind);
        for (const name of readdirSync(dir)) {
          const info = parseSunnybrookContourName(name);
          if (!info) continue;
          const { img, px } = image(patient, info.imageNumber);
          const w = img.cols;
          const grad = (c: number, r: number): number => {
            const i = r * w + c;
            return Math.hypot((px[i + 1] ?? 0) - (px[i - 1] ?? 0), (px[i + w] ?? 0) - (px[i - w] ?? 0));
          };
          const sample = (x: number, y: number): number => {
            const c = Math.floor(x);
            const r = Math.floor(y);
            const fx = x - c;
            const fy = y - r;
            return (
              (1 - fx) * (1 - fy) * grad(c, r) +
              fx * (1 - fy) * grad(c + 1, r) +
              (1 - fx) * fy * grad(c, r + 1) +
              fx * fy * grad(c + 1, r + 1)
            );
          };
          const pts = parseContourFile(readFileSync(join(dir, name), 'utf8'));
          const atZero = pts.reduce((a, p) => a + sample(p.x, p.y), 0);
          shifts.forEach((s, k) => {
            total[k] = (total[k] ?? 0) + pts.reduce((a, p) => a + sample(p.x + s, p.y + s), 0) / atZero;
          });
        }
      }
    }
    const best = shifts[total.indexOf(Math.max(...total))];
    expect(best).toBe(SUNNYBROOK_PIXEL_OFFSET);
  });
});

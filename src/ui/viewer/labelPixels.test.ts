import { describe, expect, it } from 'vitest';
import { Label } from '@/core/labels';
import { LABEL_COLORS, labelRgbaLut } from '@/ui/masks/labelColors';
import { paintLabelOutline, paintLabels, rgbaLut32, sameLabels } from './labelPixels';

describe('paintLabels', () => {
  const lut32 = rgbaLut32(labelRgbaLut());

  it('writes each label’s RGBA bytes, background transparent, from the given offset', () => {
    const labels = new Uint8Array([9, 9, Label.Background, Label.RVCavity, Label.Myocardium, Label.LVCavity]);
    const rgba = new Uint8ClampedArray(4 * 4).fill(77);
    const any = paintLabels(labels, 2, 4, lut32, new Uint32Array(rgba.buffer));
    expect(any).toBe(true);
    const pixel = (i: number): number[] => Array.from(rgba.subarray(i * 4, i * 4 + 4));
    expect(pixel(0)).toEqual([0, 0, 0, 0]);
    expect(pixel(1)).toEqual([...LABEL_COLORS[Label.RVCavity], 255]);
    expect(pixel(2)).toEqual([...LABEL_COLORS[Label.Myocardium], 255]);
    expect(pixel(3)).toEqual([...LABEL_COLORS[Label.LVCavity], 255]);
  });

  it('reports an all-background slice as empty and clears what was there', () => {
    const rgba = new Uint8ClampedArray(3 * 4).fill(200);
    expect(paintLabels(new Uint8Array(3), 0, 3, lut32, new Uint32Array(rgba.buffer))).toBe(false);
    expect(Array.from(rgba)).toEqual(new Array<number>(12).fill(0));
  });

  it('leaves labels the lookup does not know transparent', () => {
    const rgba = new Uint8ClampedArray(4);
    expect(paintLabels(new Uint8Array([17]), 0, 1, lut32, new Uint32Array(rgba.buffer))).toBe(true);
    expect(Array.from(rgba)).toEqual([0, 0, 0, 0]);
  });
});

describe('sameLabels', () => {
  it('compares label slices value by value', () => {
    expect(sameLabels(new Uint8Array([0, 1, 3]), new Uint8Array([0, 1, 3]))).toBe(true);
    expect(sameLabels(new Uint8Array([0, 1, 3]), new Uint8Array([0, 2, 3]))).toBe(false);
    expect(sameLabels(new Uint8Array([0, 1]), new Uint8Array([0, 1, 0]))).toBe(false);
  });

  it('takes a missing slice as all background', () => {
    expect(sameLabels(undefined, undefined)).toBe(true);
    expect(sameLabels(undefined, new Uint8Array(4))).toBe(true);
    expect(sameLabels(new Uint8Array(4), undefined)).toBe(true);
    expect(sameLabels(undefined, new Uint8Array([0, 0, 2, 0]))).toBe(false);
  });
});

describe('paintLabelOutline', () => {
  const lut32 = rgbaLut32(labelRgbaLut());

  it('paints the 4-neighbour boundary of each structure and leaves the inside transparent', () => {
    // 6x5: a 4x3 LV cavity block (cols 1-4, rows 1-3) with one myocardium pixel at its right edge.
    const cols = 6;
    const rows = 5;
    const labels = new Uint8Array(cols * rows);
    for (let y = 1; y <= 3; y++) for (let x = 1; x <= 4; x++) labels[x + cols * y] = Label.LVCavity;
    labels[4 + cols * 2] = Label.Myocardium;
    const out = new Uint32Array(cols * rows);
    expect(paintLabelOutline(labels, 0, cols, rows, lut32, out)).toBe(true);
    const lv = lut32[Label.LVCavity];
    const painted = (x: number, y: number): number => out[x + cols * y] as number;
    // Inner LV pixels (2,2) and (3,2) have only LV neighbours except (3,2), which touches the myocardium pixel.
    expect(painted(2, 2)).toBe(0);
    expect(painted(3, 2)).toBe(lv);
    expect(painted(1, 1)).toBe(lv);
    expect(painted(4, 3)).toBe(lv);
    expect(painted(4, 2)).toBe(lut32[Label.Myocardium]);
    expect(painted(0, 0)).toBe(0);
    expect(Array.from(out).filter((v) => v !== 0)).toHaveLength(11);
  });

  it('outlines a structure that touches the image border along the border', () => {
    const labels = new Uint8Array(9).fill(Label.RVCavity);
    const out = new Uint32Array(9);
    paintLabelOutline(labels, 0, 3, 3, lut32, out);
    expect(Array.from(out).map((v) => (v === 0 ? 0 : 1))).toEqual([1, 1, 1, 1, 0, 1, 1, 1, 1]);
    expect(paintLabelOutline(new Uint8Array(9), 0, 3, 3, lut32, out)).toBe(false);
  });
});

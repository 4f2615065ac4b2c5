import { describe, expect, it } from 'vitest';
import { Label } from '@/core/labels';
import { LABEL_COLORS, labelRgbaLut } from '@/ui/masks/labelColors';
import { paintLabels, rgbaLut32, sameLabels } from './labelPixels';

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

import { describe, expect, it } from 'vitest';
import { countLabelVoxels, volumesFromCounts } from '@/core/cardiac/volumes';
import { Label } from '@/core/labels';
import type { LabelVolume } from '@/core/volume';
import { countAt, incrementalLabelCounts, type CountStore } from './frameCounts';

const dims = { cols: 6, rows: 5, slices: 3, frames: 4 };
const plane = dims.cols * dims.rows;

/** Frame f, slice s holds (f + 1) × (s + 1) LV voxels, s + 1 myocardium voxels and f RV voxels. */
function labels(): LabelVolume {
  const data = new Uint8Array(plane * dims.slices * dims.frames);
  for (let f = 0; f < dims.frames; f++) {
    for (let s = 0; s < dims.slices; s++) {
      const o = plane * (s + dims.slices * f);
      let i = o;
      for (let k = 0; k < (f + 1) * (s + 1); k++) data[i++] = Label.LVCavity;
      for (let k = 0; k < s + 1; k++) data[i++] = Label.Myocardium;
      for (let k = 0; k < f; k++) data[i++] = Label.RVCavity;
    }
  }
  return { data, dims };
}

describe('incrementalLabelCounts', () => {
  it('counts each frame once as it becomes ready and matches a full count', () => {
    const lab = labels();
    const cache = new WeakMap<Uint8Array, CountStore>();
    const a = incrementalLabelCounts(lab, [true, false, false, false], cache);
    expect(a.newlyCounted).toBe(1);
    expect(countAt(a.counts, 2, 0, Label.LVCavity)).toBe(3);
    const b = incrementalLabelCounts(lab, [true, false, true, false], cache);
    expect(b.newlyCounted).toBe(1);
    const again = incrementalLabelCounts(lab, [true, false, true, false], cache);
    expect(again.newlyCounted).toBe(0);
    const all = incrementalLabelCounts(lab, [true, true, true, true], cache);
    expect(all.newlyCounted).toBe(2);
    expect(all.counts.counts).toEqual(countLabelVoxels(lab).counts);
    // Earlier results are copies: later calls do not change them.
    expect(countAt(a.counts, 0, 1, Label.LVCavity)).toBe(0);
    expect(a.counts.framesReady).toEqual([true, false, false, false]);
  });

  it('gives null volumes for frames not ready and the disc sum for the others', () => {
    const lab = labels();
    const { counts } = incrementalLabelCounts(lab, [false, true, false, true], new WeakMap());
    const v = volumesFromCounts(counts, { spacingMm: { col: 1, row: 2, slice: 10 } });
    expect(v[0]).toBeNull();
    // Frame 1: LV = 2 × (1 + 2 + 3) = 12 voxels of 20 mm³.
    expect(v[1]?.lvCavityMl).toBeCloseTo(0.24, 12);
    expect(v[3]?.rvCavityMl).toBeCloseTo((3 * 3 * 20) / 1000, 12);
  });

  it('starts over for a new label buffer and rejects flags of the wrong length', () => {
    const cache = new WeakMap<Uint8Array, CountStore>();
    incrementalLabelCounts(labels(), [true, true, true, true], cache);
    expect(incrementalLabelCounts(labels(), [true, true, true, true], cache).newlyCounted).toBe(4);
    expect(() => incrementalLabelCounts(labels(), [true], cache)).toThrow(RangeError);
  });
});

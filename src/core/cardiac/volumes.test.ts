import { describe, expect, it } from 'vitest';
import { Label, type LabelValue } from '../labels';
import type { LabelVolume, VolumeDims } from '../volume';
import {
  countFrameLabelVoxels,
  countLabelVoxels,
  discHeightMm,
  frameVolumes,
  volumesFromCounts,
  type VolumeGeometry,
} from './volumes';

function emptyLabels(dims: VolumeDims): LabelVolume {
  return { data: new Uint8Array(dims.cols * dims.rows * dims.slices * dims.frames), dims };
}

/** Paints an axis-aligned rectangle of w × h pixels with its corner at (c0, r0). */
function paintRect(
  lab: LabelVolume,
  slice: number,
  frame: number,
  c0: number,
  r0: number,
  w: number,
  h: number,
  value: LabelValue,
): void {
  const { cols, rows, slices } = lab.dims;
  for (let r = r0; r < r0 + h; r++) {
    for (let c = c0; c < c0 + w; c++) {
      lab.data[c + cols * (r + rows * (slice + slices * frame))] = value;
    }
  }
}

const geom = (col: number, row: number, slice: number, thickness?: number): VolumeGeometry => ({
  spacingMm: { col, row, slice },
  meta: thickness === undefined ? {} : { sliceThicknessMm: thickness },
});

describe('frameVolumes: stack of discs with exactly known areas', () => {
  // Rectangles have an exact pixel area, so the disc sum must equal the analytic sum to rounding.
  const dims = { cols: 40, rows: 30, slices: 5, frames: 2 };
  const lab = emptyLabels(dims);
  const sides = [
    [4, 6],
    [10, 8],
    [12, 12],
    [9, 7],
    [3, 2],
  ] as const;
  sides.forEach(([w, h], s) => {
    paintRect(lab, s, 0, 2, 2, w, h, Label.LVCavity);
    paintRect(lab, s, 1, 2, 2, Math.ceil(w / 2), h, Label.LVCavity);
    paintRect(lab, s, 0, 20, 2, 5, 5, Label.RVCavity);
    paintRect(lab, s, 0, 20, 20, 3, 1, Label.Myocardium);
  });
  const g = geom(1.25, 1.5, 8);
  const pixelMm2 = 1.25 * 1.5;

  it('LV cavity, myocardium and RV equal Σ area × slice distance', () => {
    const v = frameVolumes(lab, g);
    const lvEd = sides.reduce((a, [w, h]) => a + w * h * pixelMm2 * 8, 0) / 1000;
    const lvEs = sides.reduce((a, [w, h]) => a + Math.ceil(w / 2) * h * pixelMm2 * 8, 0) / 1000;
    expect(v[0]!.lvCavityMl).toBeCloseTo(lvEd, 12);
    expect(v[1]!.lvCavityMl).toBeCloseTo(lvEs, 12);
    expect(v[0]!.rvCavityMl).toBeCloseTo((5 * 25 * pixelMm2 * 8) / 1000, 12);
    expect(v[0]!.lvMyocardiumMl).toBeCloseTo((5 * 3 * pixelMm2 * 8) / 1000, 12);
    expect(v[1]!.rvCavityMl).toBe(0);
    expect(lvEd).toBeCloseTo(4.755, 10); // 317 px × 1.875 mm² × 8 mm
  });

  it('excluded slices contribute 0', () => {
    const v = frameVolumes(lab, g, { includedSlices: [false, true, true, true, false] });
    const expected = ((10 * 8 + 12 * 12 + 9 * 7) * pixelMm2 * 8) / 1000;
    expect(v[0]!.lvCavityMl).toBeCloseTo(expected, 12);
    expect(v[0]!.rvCavityMl).toBeCloseTo((3 * 25 * pixelMm2 * 8) / 1000, 12);
  });

  it('recomputes a slice selection from the counts without the labels', () => {
    const counts = countLabelVoxels(lab);
    expect(Array.from(counts.counts.subarray(0, 4))).toEqual([40 * 30 - 24 - 25 - 3, 25, 3, 24]);
    const none = volumesFromCounts(counts, g, [false, false, false, false, false]);
    expect(none[0]).toEqual({ lvCavityMl: 0, lvMyocardiumMl: 0, rvCavityMl: 0 });
  });

  it('rejects a slice mask of the wrong length', () => {
    expect(() => frameVolumes(lab, g, { includedSlices: [true, true] })).toThrow(RangeError);
  });
});

describe('frameVolumes: sampled shapes on fine grids', () => {
  it('circular discs of known radii: within 0.5% of Σ π r² h', () => {
    const sp = 0.1; // mm
    const radiiMm = [5, 12, 18, 20, 15, 8];
    const n = 420;
    const dims = { cols: n, rows: n, slices: radiiMm.length, frames: 1 };
    const lab = emptyLabels(dims);
    radiiMm.forEach((r, s) => {
      for (let y = 0; y < n; y++) {
        for (let x = 0; x < n; x++) {
          const dx = (x + 0.5 - n / 2) * sp;
          const dy = (y + 0.5 - n / 2) * sp;
          if (dx * dx + dy * dy <= r * r) lab.data[x + n * (y + n * s)] = Label.LVCavity;
        }
      }
    });
    const v = frameVolumes(lab, geom(sp, sp, 10))[0]!;
    const analytic = radiiMm.reduce((a, r) => a + Math.PI * r * r * 10, 0) / 1000;
    expect(analytic).toBeCloseTo(37.134, 3); // π × 1182 mm² × 10 mm
    expect(Math.abs(v.lvCavityMl / analytic - 1)).toBeLessThan(0.005);
  });

  it('an ellipsoid sampled at slice centres: within 1% of 4/3 π a b c', () => {
    const a = 30; // mm, along columns
    const b = 22; // mm, along rows
    const c = 45; // mm, long axis across slices
    const sp = 0.5;
    const dz = 1;
    const cols = Math.ceil((2 * a) / sp) + 4;
    const rows = Math.ceil((2 * b) / sp) + 4;
    const slices = Math.ceil((2 * c) / dz);
    const lab = emptyLabels({ cols, rows, slices, frames: 1 });
    for (let s = 0; s < slices; s++) {
      const z = (s + 0.5 - slices / 2) * dz;
      for (let r = 0; r < rows; r++) {
        const y = (r + 0.5 - rows / 2) * sp;
        for (let q = 0; q < cols; q++) {
          const x = (q + 0.5 - cols / 2) * sp;
          if ((x / a) ** 2 + (y / b) ** 2 + (z / c) ** 2 <= 1) {
            lab.data[q + cols * (r + rows * s)] = Label.LVCavity;
          }
        }
      }
    }
    const v = frameVolumes(lab, geom(sp, sp, dz))[0]!;
    const analytic = ((4 / 3) * Math.PI * a * b * c) / 1000; // 124.4 ml
    expect(analytic).toBeCloseTo(124.41, 2);
    expect(Math.abs(v.lvCavityMl / analytic - 1)).toBeLessThan(0.01);
  });
});

describe('frameVolumes: single slice and partial results', () => {
  it('one slice uses the slice thickness, falling back to the slice spacing', () => {
    const lab = emptyLabels({ cols: 10, rows: 10, slices: 1, frames: 1 });
    paintRect(lab, 0, 0, 0, 0, 10, 5, Label.LVCavity); // 50 px
    expect(frameVolumes(lab, geom(2, 2, 0, 6))[0]!.lvCavityMl).toBeCloseTo((50 * 4 * 6) / 1000, 12);
    expect(frameVolumes(lab, geom(2, 2, 7))[0]!.lvCavityMl).toBeCloseTo((50 * 4 * 7) / 1000, 12);
    // With several slices the distance between centres wins over the thickness (gaps count).
    expect(discHeightMm(geom(2, 2, 10, 8), 2)).toBe(10);
  });

  it('frames that are not ready give null and are not read', () => {
    const lab = emptyLabels({ cols: 4, rows: 4, slices: 2, frames: 3 });
    paintRect(lab, 0, 0, 0, 0, 2, 2, Label.LVCavity);
    paintRect(lab, 1, 1, 0, 0, 4, 4, Label.RVCavity);
    lab.data.fill(Label.LVCavity, 2 * 16 * 2); // frame 2: garbage from a segmentation still running
    const v = frameVolumes(lab, geom(1, 1, 10), { framesReady: [true, true, false] });
    expect(v[2]).toBeNull();
    expect(v[0]!.lvCavityMl).toBeCloseTo(0.04, 12);
    expect(v[1]!.rvCavityMl).toBeCloseTo(0.16, 12);
  });

  it('labels arriving frame by frame (null while not segmented)', () => {
    const dims = { cols: 4, rows: 4, slices: 2 };
    const f1 = new Uint8Array(32).fill(Label.Myocardium, 0, 5);
    const counts = countFrameLabelVoxels([null, f1, undefined], dims);
    const v = volumesFromCounts(counts, geom(1, 1, 10));
    expect(v).toEqual([null, { lvCavityMl: 0, lvMyocardiumMl: 0.05, rvCavityMl: 0 }, null]);
    expect(() => countFrameLabelVoxels([new Uint8Array(3)], dims)).toThrow(RangeError);
  });

  it('ignores label values above 3', () => {
    const lab = emptyLabels({ cols: 2, rows: 2, slices: 1, frames: 1 });
    lab.data.set([3, 4, 255, 3]);
    expect(frameVolumes(lab, geom(1, 1, 1000))[0]!.lvCavityMl).toBe(2);
  });
});

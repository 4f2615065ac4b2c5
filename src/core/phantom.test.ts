import { describe, expect, it } from 'vitest';
import { Label } from './labels';
import { cardiacContraction, DEFAULT_PHANTOM_OPTIONS, makePhantom } from './phantom';

// Quick settings: the default 256 mm field of view on a coarse grid.
const SMALL = { cols: 80, rows: 80, pixelMm: 3.2, slices: 6, sliceMm: 12, frames: 10, frameMs: 80 };

function countPerFrame(labels: Uint8Array, frameSize: number, frames: number, label: number): number[] {
  return Array.from({ length: frames }, (_, f) => {
    let n = 0;
    for (let i = f * frameSize; i < (f + 1) * frameSize; i++) if (labels[i] === label) n++;
    return n;
  });
}

describe('cardiacContraction', () => {
  it('is 0 at end-diastole, 1 at end-systole, periodic and within [0, 1]', () => {
    expect(cardiacContraction(0)).toBe(0);
    expect(cardiacContraction(DEFAULT_PHANTOM_OPTIONS.esPhase)).toBeCloseTo(1, 12);
    expect(cardiacContraction(1.2)).toBeCloseTo(cardiacContraction(0.2), 12);
    for (let t = 0; t < 1; t += 0.01) {
      const c = cardiacContraction(t);
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThanOrEqual(1);
    }
    expect(cardiacContraction(0.9)).toBe(0); // diastasis
  });
});

describe('makePhantom', () => {
  const p = makePhantom(SMALL);
  const { cols, rows, slices, frames } = p.volume.dims;
  const frameSize = cols * rows * slices;

  it('has the requested grid, geometry and timing', () => {
    expect(p.volume.dims).toEqual({ cols: 80, rows: 80, slices: 6, frames: 10 });
    expect(p.labels.dims).toEqual(p.volume.dims);
    expect(p.volume.data.length).toBe(80 * 80 * 6 * 10);
    expect(p.volume.spacingMm).toEqual({ col: 3.2, row: 3.2, slice: 12 });
    expect(p.volume.frameTimesMs).toEqual([0, 80, 160, 240, 320, 400, 480, 560, 640, 720]);
    expect(p.volume.meta.heartRateBpm).toBe(75);
    expect(p.volume.affine.slice(0, 4)).toEqual([3.2, 0, 0, -3.2 * 39.5]);
  });

  it('labels all four classes', () => {
    const seen = new Set(p.labels.data);
    expect([...seen].sort()).toEqual([Label.Background, Label.RVCavity, Label.Myocardium, Label.LVCavity]);
  });

  it('beats: LV and RV cavities are largest at ED and smallest at ES; the myocardium keeps its volume', () => {
    const lv = countPerFrame(p.labels.data, frameSize, frames, Label.LVCavity);
    const rv = countPerFrame(p.labels.data, frameSize, frames, Label.RVCavity);
    const myo = countPerFrame(p.labels.data, frameSize, frames, Label.Myocardium);
    expect(p.edFrame).toBe(0);
    // ES at 0.35 of the cycle lies between frames 3 and 4 of 10.
    expect([3, 4]).toContain(p.esFrame);
    expect(Math.max(...lv)).toBe(lv[p.edFrame]);
    expect(Math.min(...lv)).toBe(lv[p.esFrame]);
    const ef = 1 - (lv[p.esFrame] ?? 0) / (lv[p.edFrame] ?? 1);
    expect(ef).toBeGreaterThan(0.5);
    expect(ef).toBeLessThan(0.75);
    expect(rv[p.esFrame]).toBeLessThan((rv[p.edFrame] ?? 0) * 0.75);
    for (const m of myo) expect(m / (myo[0] ?? 1)).toBeCloseTo(1, 1);
    // Apex smaller than base.
    const plane = cols * rows;
    const lvInSlice = (s: number): number =>
      p.labels.data.subarray(s * plane, (s + 1) * plane).filter((v) => v === Label.LVCavity).length;
    expect(lvInSlice(slices - 1)).toBeLessThan(lvInSlice(0) / 2);
  });

  it('looks like bSSFP: bright blood, dark myocardium, raw scanner-like values', () => {
    const mean = (label: number): number => {
      let s = 0;
      let n = 0;
      p.labels.data.forEach((v, i) => {
        if (v === label) {
          s += p.volume.data[i] ?? 0;
          n++;
        }
      });
      return s / n;
    };
    expect(mean(Label.LVCavity)).toBeGreaterThan(600);
    expect(mean(Label.LVCavity) / mean(Label.Myocardium)).toBeGreaterThan(2);
    expect(mean(Label.RVCavity) / mean(Label.Myocardium)).toBeGreaterThan(2);
    let max = 0;
    let min = Infinity;
    for (const v of p.volume.data) {
      max = Math.max(max, v);
      min = Math.min(min, v);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeGreaterThan(900);
    expect(max).toBeLessThan(1600);
    expect(p.volume.data.every((v) => Number.isInteger(v))).toBe(true);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    // Byte comparison: toEqual on 400k-element typed arrays takes seconds.
    const same = (a: Float32Array | Uint8Array, b: Float32Array | Uint8Array): boolean =>
      Buffer.compare(new Uint8Array(a.buffer), new Uint8Array(b.buffer)) === 0;
    const again = makePhantom(SMALL);
    expect(same(again.volume.data, p.volume.data)).toBe(true);
    expect(same(again.labels.data, p.labels.data)).toBe(true);
    const other = makePhantom({ ...SMALL, seed: 2 });
    expect(same(other.labels.data, p.labels.data)).toBe(true); // the anatomy does not depend on the seed
    expect(same(other.volume.data, p.volume.data)).toBe(false);
  });
});

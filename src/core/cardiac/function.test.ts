import { describe, expect, it } from 'vitest';
import { Label } from '../labels';
import type { LabelVolume } from '../volume';
import { computeCardiacFunction, ejectionFractionPct, findEdEsFrames } from './function';
import { frameVolumes, type FrameVolumes } from './volumes';

const fv = (lv: number, myo: number, rv: number): FrameVolumes => ({
  lvCavityMl: lv,
  lvMyocardiumMl: myo,
  rvCavityMl: rv,
});

describe('computeCardiacFunction on a phantom with analytically known disc volumes', () => {
  // 3 slices × 4 frames, 1 × 1 mm pixels, 10 mm between slice centres: 1 px = 0.01 ml.
  // LV cavity squares of side k per slice; myocardium a 4-px-wide frame around them at ED only.
  const cols = 64;
  const rows = 64;
  const slices = 3;
  const frames = 4;
  const lvSide = [
    [27, 38, 33], // frame 0
    [26, 34, 30],
    [18, 25, 20], // frame 2: ES
    [28, 41, 35], // frame 3: ED (largest)
  ];
  const rvSide = [
    [10, 12, 8],
    [9, 11, 7],
    [8, 6, 5],
    [11, 13, 9],
  ];
  const lab: LabelVolume = {
    data: new Uint8Array(cols * rows * slices * frames),
    dims: { cols, rows, slices, frames },
  };
  const put = (s: number, f: number, c0: number, side: number, value: number): void => {
    for (let r = c0; r < c0 + side; r++) {
      for (let c = c0; c < c0 + side; c++) lab.data[c + cols * (r + rows * (s + slices * f))] = value;
    }
  };
  for (let f = 0; f < frames; f++) {
    for (let s = 0; s < slices; s++) {
      const k = lvSide[f]![s]!;
      if (f === 3) put(s, f, 2, k + 8, Label.Myocardium);
      put(s, f, 6, k, Label.LVCavity);
      // RV squares sit in the free corner (cols/rows 52..63).
      const j = rvSide[f]![s]!;
      for (let r = 52; r < 52 + j; r++) {
        for (let c = 52; c < 52 + j; c++) lab.data[c + cols * (r + rows * (s + slices * f))] = Label.RVCavity;
      }
    }
  }
  const sumSq = (sides: number[]): number => sides.reduce((a, k) => a + k * k, 0) * 0.01;
  const geometry = { spacingMm: { col: 1, row: 1, slice: 10 } };
  const volumes = frameVolumes(lab, geometry);

  it('finds ED (largest LV) and ES (smallest LV) and gives exact volumes and EF', () => {
    const r = computeCardiacFunction(volumes);
    expect(r.edFrame).toBe(3);
    expect(r.esFrame).toBe(2);
    const edv = sumSq(lvSide[3]!); // (784 + 1681 + 1225) px = 36.90 ml
    const esv = sumSq(lvSide[2]!); // (324 + 625 + 400) px = 13.49 ml
    expect(edv).toBeCloseTo(36.9, 10);
    expect(esv).toBeCloseTo(13.49, 10);
    expect(r.lvedvMl).toBeCloseTo(edv, 10);
    expect(r.lvesvMl).toBeCloseTo(esv, 10);
    expect(r.lvsvMl).toBeCloseTo(23.41, 10);
    expect(r.lvefPct).toBeCloseTo((23.41 / 36.9) * 100, 10); // 63.44 %
    expect(Math.abs(r.lvefPct! - 63.4417)).toBeLessThan(0.05);
    // Myocardium at ED: (k+8)² − k² = 16k + 64 px per slice.
    const myoMl = [28, 41, 35].reduce((a, k) => a + 16 * k + 64, 0) * 0.01; // 18.56 ml
    expect(r.lvMassG).toBeCloseTo(myoMl * 1.05, 10);
    expect(r.lvMassG).toBeCloseTo(19.488, 10);
  });

  it('measures the RV at the LV ED/ES frames by default, or at its own frames', () => {
    const r = computeCardiacFunction(volumes);
    expect(r.rvEdFrame).toBe(3);
    expect(r.rvEsFrame).toBe(2);
    expect(r.rvedvMl).toBeCloseTo(sumSq(rvSide[3]!), 10); // 3.71 ml
    expect(r.rvesvMl).toBeCloseTo(sumSq(rvSide[2]!), 10); // 1.25 ml
    expect(r.rvsvMl).toBeCloseTo(2.46, 10);
    expect(r.rvefPct).toBeCloseTo((2.46 / 3.71) * 100, 10);
    const own = computeCardiacFunction(volumes, { rvEdFrame: 0, rvEsFrame: 1 });
    expect(own.rvedvMl).toBeCloseTo(3.08, 10);
    expect(own.rvesvMl).toBeCloseTo(2.51, 10);
    expect(own.lvedvMl).toBeCloseTo(36.9, 10);
  });

  it('honours ED/ES overrides', () => {
    const r = computeCardiacFunction(volumes, { edFrame: 0, esFrame: 1 });
    expect(r.lvedvMl).toBeCloseTo(sumSq(lvSide[0]!), 10);
    expect(r.lvesvMl).toBeCloseTo(sumSq(lvSide[1]!), 10);
    expect(r.lvMassG).toBe(0); // no myocardium painted at frame 0
    // ED overridden alone: ES is still the smallest of the other frames.
    expect(computeCardiacFunction(volumes, { edFrame: 0 }).esFrame).toBe(2);
    expect(() => computeCardiacFunction(volumes, { edFrame: 4 })).toThrow(RangeError);
    expect(() => computeCardiacFunction(volumes, { esFrame: 1.5 })).toThrow(RangeError);
  });
});

describe('computeCardiacFunction edge cases', () => {
  it('heart rate gives cardiac output = LVSV × HR / 1000', () => {
    const r = computeCardiacFunction([fv(150, 60, 160), fv(60, 70, 70)], { heartRateBpm: 72 });
    expect(r.lvsvMl).toBe(90);
    expect(r.lvefPct).toBe(60);
    expect(r.heartRateBpm).toBe(72);
    expect(r.cardiacOutputLPerMin).toBeCloseTo(6.48, 12);
    const noHr = computeCardiacFunction([fv(150, 60, 160), fv(60, 70, 70)]);
    expect(noHr.heartRateBpm).toBeUndefined();
    expect(noHr.cardiacOutputLPerMin).toBeUndefined();
    expect(computeCardiacFunction([fv(1, 0, 0)], { heartRateBpm: Number.NaN }).heartRateBpm).toBe(undefined);
  });

  it('EF is undefined, not NaN, when EDV is 0', () => {
    const r = computeCardiacFunction([fv(0, 0, 0), fv(0, 0, 0)]);
    expect(r.lvedvMl).toBe(0);
    expect(r.lvefPct).toBeUndefined();
    expect(r.rvefPct).toBeUndefined();
    expect(ejectionFractionPct(0, 0)).toBeUndefined();
    expect(ejectionFractionPct(100, undefined)).toBeUndefined();
  });

  it('uses only the frames available so far', () => {
    const partial = [null, fv(120, 50, 100), null, fv(80, 55, 70), fv(100, 52, 90), null];
    const r = computeCardiacFunction(partial);
    expect([r.edFrame, r.esFrame]).toEqual([1, 3]);
    expect(r.lvefPct).toBeCloseTo(33.333333, 5);
    // An override pointing at a frame that is not ready gives undefined measures, not an error.
    const early = computeCardiacFunction(partial, { esFrame: 2 });
    expect(early.lvesvMl).toBeUndefined();
    expect(early.lvefPct).toBeUndefined();
    expect(early.lvedvMl).toBe(120);
  });

  it('one available frame sets ED only; none sets nothing', () => {
    const one = computeCardiacFunction([null, fv(120, 50, 100)]);
    expect(one.edFrame).toBe(1);
    expect(one.esFrame).toBeUndefined();
    expect(one.lvedvMl).toBe(120);
    expect(one.lvMassG).toBeCloseTo(52.5, 12);
    expect(one.lvefPct).toBeUndefined();
    const none = computeCardiacFunction([null, null]);
    expect(Object.values(none).every((v) => v === undefined)).toBe(true);
  });

  it('takes the first frame on ties and never picks ED as ES', () => {
    expect(findEdEsFrames([fv(5, 0, 0), fv(5, 0, 0), fv(5, 0, 0)])).toEqual({ edFrame: 0, esFrame: 1 });
  });
});

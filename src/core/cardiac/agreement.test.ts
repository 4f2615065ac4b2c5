import { describe, expect, it } from 'vitest';
import { Label } from '../labels';
import { agreementFromOverlaps, frameOverlap } from './agreement';

/** A 4x4 plane per slice; `rows` are label strings, e.g. '0033'. */
const plane = (...rows: string[]): number[] => rows.flatMap((r) => [...r].map(Number));

describe('frameOverlap + agreementFromOverlaps', () => {
  // Slice 0: reference LV 4 voxels, test LV 2 of them + 2 elsewhere. Slice 1: identical RV.
  const ref = new Uint8Array([...plane('3300', '3300', '0000', '0000'), ...plane('1100', '0000', '0000', '0000')]);
  const test = new Uint8Array([...plane('3000', '3000', '0033', '0000'), ...plane('1100', '0000', '0000', '0000')]);
  const overlap = frameOverlap(ref, test, 16, 2);

  it('counts intersection, reference and test voxels per slice and structure', () => {
    // slice 0, LV cavity (k = 2): 2 shared, 4 reference, 4 test.
    expect([...overlap.subarray(0 * 9 + 2 * 3, 0 * 9 + 2 * 3 + 3)]).toEqual([2, 4, 4]);
    // slice 1, RV (k = 0): 2, 2, 2.
    expect([...overlap.subarray(9, 12)]).toEqual([2, 2, 2]);
  });

  it('gives Dice per structure and the volume difference per frame', () => {
    const a = agreementFromOverlaps([overlap, null, overlap], 2, undefined, 0.5);
    expect(a.frames.map((f) => f.frame)).toEqual([0, 2]);
    const f0 = a.frames[0]!;
    expect(f0.dice.lv).toBeCloseTo(0.5); // 2·2 / (4 + 4)
    expect(f0.dice.rv).toBe(1);
    expect(f0.dice.myo).toBeUndefined(); // in neither mask
    expect(f0.referenceMl.lv).toBe(2);
    expect(f0.differenceMl.lv).toBe(0);
    expect(a.dice.lv).toBeCloseTo(0.5);
    expect(a.meanAbsDifferenceMl.lv).toBe(0);
  });

  it('leaves excluded slices out', () => {
    const a = agreementFromOverlaps([overlap], 2, [true, false], 1);
    expect(a.dice.rv).toBeUndefined();
    expect(a.frames[0]!.referenceMl.lv).toBe(4);
  });

  it('signs the difference test − reference', () => {
    const less = new Uint8Array(ref.length);
    less[0] = Label.LVCavity;
    const a = agreementFromOverlaps([frameOverlap(ref, less, 16, 2)], 2, undefined, 1);
    expect(a.frames[0]!.differenceMl.lv).toBe(-3);
    expect(a.frames[0]!.differenceMl.rv).toBe(-2);
  });

  it('refuses frames of different sizes', () => {
    expect(() => frameOverlap(ref, test.subarray(1), 16, 2)).toThrow(RangeError);
  });
});

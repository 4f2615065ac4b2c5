import { describe, expect, it } from 'vitest';
import { computeCardiacFunction } from './function';
import { indexedMeasures, lvefAgainstRange, referenceSex } from './indexedMeasures';

const result = computeCardiacFunction(
  [
    { lvCavityMl: 160, lvMyocardiumMl: 120, rvCavityMl: 170 },
    { lvCavityMl: 60, lvMyocardiumMl: 125, rvCavityMl: 80 },
  ],
  { heartRateBpm: 60 },
);

describe('indexedMeasures', () => {
  it('divides each measure by the BSA and reads it against the range', () => {
    const rows = new Map(indexedMeasures(result, 2, 'male').map((r) => [r.key, r]));
    expect(rows.get('lvedvi')).toMatchObject({
      value: 80,
      unit: 'ml/m²',
      verdict: 'within',
      range: { lower: 57, upper: 105 },
    });
    expect(rows.get('lvesvi')?.value).toBe(30);
    expect(rows.get('lvmi')).toMatchObject({ value: 63, verdict: 'within' }); // 120 ml × 1.05 g/ml / 2 m²
    expect(rows.get('rvedvi')).toMatchObject({ value: 85 });
    expect(rows.get('rvedvi')?.range).toBeUndefined();
    expect(rows.get('ci')?.value).toBeCloseTo(3); // 100 ml × 60 / 1000 / 2
    expect(indexedMeasures(result, 1.2, 'female').find((r) => r.key === 'lvedvi')?.verdict).toBe('above'); // 133
  });

  it('is empty without a BSA', () => {
    expect(indexedMeasures(result, undefined, 'male')).toEqual([]);
  });

  it('reads LVEF against its range without a body size', () => {
    expect(lvefAgainstRange(result, undefined)).toMatchObject({ value: 62.5, verdict: 'within' });
    expect(referenceSex('F')).toBe('female');
    expect(referenceSex('O')).toBeUndefined();
  });
});

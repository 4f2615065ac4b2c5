import { describe, expect, it } from 'vitest';
import { compareToRange, referenceRange } from './referenceRanges';

describe('referenceRange', () => {
  it('is mean ± 2 SD of the published values per sex', () => {
    expect(referenceRange('lvedvIndex', 'male')).toEqual({ lower: 57, upper: 105, unit: 'ml/m²', sex: 'male' });
    expect(referenceRange('lvedvIndex', 'female')).toEqual({ lower: 56, upper: 96, unit: 'ml/m²', sex: 'female' });
    expect(referenceRange('lvef', 'female')).toMatchObject({ lower: 57, upper: 77 });
    expect(referenceRange('lvMassIndex', 'male')).toMatchObject({ lower: 49, upper: 85, unit: 'g/m²' });
  });

  it('spans both sexes when the sex is unknown', () => {
    expect(referenceRange('lvedvIndex', undefined)).toEqual({ lower: 56, upper: 105, unit: 'ml/m²', sex: 'either' });
    expect(referenceRange('lvMassIndex', undefined)).toMatchObject({ lower: 41, upper: 85 });
  });
});

describe('compareToRange', () => {
  const r = referenceRange('lvef', 'male');
  it('says below, within or above, and nothing for an unknown value', () => {
    expect(compareToRange(40, r)).toBe('below');
    expect(compareToRange(57, r)).toBe('within');
    expect(compareToRange(80, r)).toBe('above');
    expect(compareToRange(undefined, r)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { bodySurfaceAreaM2, indexToBsa, isPlausibleBodySize } from './bodySurfaceArea';

describe('bodySurfaceAreaM2 (Mosteller)', () => {
  it('gives √(h·w/3600): 180 cm, 80 kg -> 2.000 m²; 160 cm, 57.6 kg -> 1.600 m²', () => {
    expect(bodySurfaceAreaM2({ heightCm: 180, weightKg: 80 })).toBeCloseTo(2, 6);
    expect(bodySurfaceAreaM2({ heightCm: 160, weightKg: 57.6 })).toBeCloseTo(1.6, 6);
  });

  it('is undefined for missing or implausible sizes (DICOM writes 0 for "not recorded")', () => {
    expect(bodySurfaceAreaM2(undefined)).toBeUndefined();
    expect(bodySurfaceAreaM2({ heightCm: 0, weightKg: 70 })).toBeUndefined();
    expect(bodySurfaceAreaM2({ heightCm: 1.8, weightKg: 70 })).toBeUndefined(); // metres, not cm
    expect(bodySurfaceAreaM2({ heightCm: 175 })).toBeUndefined();
    expect(isPlausibleBodySize({ heightCm: 175, weightKg: Number.NaN })).toBe(false);
  });
});

describe('indexToBsa', () => {
  it('divides by the BSA and is undefined when either is unknown', () => {
    expect(indexToBsa(150, 2)).toBe(75);
    expect(indexToBsa(undefined, 2)).toBeUndefined();
    expect(indexToBsa(150, undefined)).toBeUndefined();
    expect(indexToBsa(150, 0)).toBeUndefined();
  });
});

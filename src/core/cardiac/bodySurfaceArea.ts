/**
 * Body surface area and BSA-indexed measures. BSA by Mosteller's formula, the one CMR reference-range papers
 * index by (Kawel-Boehm et al., JCMR 2020, see referenceRanges.ts).
 * Ref: Mosteller RD, "Simplified calculation of body-surface area", N Engl J Med 1987;317:1098.
 */

/** Height and weight of the patient as the series records them. */
export interface BodySize {
  heightCm: number;
  weightKg: number;
}

/** Heights and weights outside these bounds are taken as missing or mistyped, not used. */
const HEIGHT_CM = { min: 40, max: 250 } as const;
const WEIGHT_KG = { min: 2, max: 400 } as const;

/** True when both values are plausible for a person (a DICOM PatientSize of 0 means "not recorded"). */
export function isPlausibleBodySize(size: Partial<BodySize> | undefined): size is BodySize {
  const h = size?.heightCm;
  const w = size?.weightKg;
  return (
    h !== undefined &&
    w !== undefined &&
    Number.isFinite(h) &&
    Number.isFinite(w) &&
    h >= HEIGHT_CM.min &&
    h <= HEIGHT_CM.max &&
    w >= WEIGHT_KG.min &&
    w <= WEIGHT_KG.max
  );
}

/** Mosteller: BSA (m²) = √(height cm × weight kg / 3600); `undefined` when the size is not plausible. */
export function bodySurfaceAreaM2(size: Partial<BodySize> | undefined): number | undefined {
  if (!isPlausibleBodySize(size)) return undefined;
  return Math.sqrt((size.heightCm * size.weightKg) / 3600);
}

/** `value / bsa` (ml/m², g/m², l/min/m²); `undefined` when either is unknown. */
export function indexToBsa(value: number | undefined, bsaM2: number | undefined): number | undefined {
  if (value === undefined || bsaM2 === undefined || !Number.isFinite(value) || !(bsaM2 > 0)) return undefined;
  return value / bsaM2;
}

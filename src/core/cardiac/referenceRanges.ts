/**
 * Published normal ranges for adult short-axis SSFP cine CMR, to set a patient's measures against.
 *
 * Source of the numbers: Kawel-Boehm N, Maceira A, Valsangiacomo-Buechel ER, et al., "Normal values for
 * cardiovascular magnetic resonance in adults and children", JCMR 2015;17:29 (pooled SSFP adult values, papillary
 * muscles counted in the LV mass, as cineseg's masks do), as mean ± 2 SD. Their update, Kawel-Boehm N, Hetzel SJ,
 * Ambale-Venkatesh B, et al., "Reference ranges ('normal values') for cardiovascular magnetic resonance (CMR) in
 * adults and children: 2020 update", JCMR 2020;22:87, gives age- and sex-specific tables; those are not encoded
 * here, so a range is a guide for a research read-out, not a diagnosis.
 *
 * Only the LV is covered: no RV range is encoded until its values are checked against the paper.
 */

export type Sex = 'male' | 'female';

/** Measures with a reference range here. Indexed volumes ml/m², mass g/m², EF %. */
export type ReferenceMeasure = 'lvedvIndex' | 'lvesvIndex' | 'lvMassIndex' | 'lvef';

export interface ReferenceRange {
  lower: number;
  upper: number;
  unit: string;
  /** Which sex the range is for; `either` when the sex is unknown (the union of both ranges). */
  sex: Sex | 'either';
}

/** Mean and SD per sex (Kawel-Boehm et al. 2015, SSFP, adults). */
const NORMS: Record<ReferenceMeasure, { unit: string; male: [number, number]; female: [number, number] }> = {
  lvedvIndex: { unit: 'ml/m²', male: [81, 12], female: [76, 10] },
  lvesvIndex: { unit: 'ml/m²', male: [26, 6], female: [24, 5] },
  lvMassIndex: { unit: 'g/m²', male: [67, 9], female: [61, 10] },
  lvef: { unit: '%', male: [67, 5], female: [67, 5] },
};

export const REFERENCE_SOURCE =
  'Kawel-Boehm et al., JCMR 2015;17:29 (adult SSFP, mean ± 2 SD); see the 2020 update, JCMR 2020;22:87';

/** The normal range (mean ± 2 SD) of `measure`; with `sex` unknown, the union of the male and female ranges. */
export function referenceRange(measure: ReferenceMeasure, sex: Sex | undefined): ReferenceRange {
  const n = NORMS[measure];
  const range = ([mean, sd]: [number, number]): [number, number] => [mean - 2 * sd, mean + 2 * sd];
  if (sex) {
    const [lower, upper] = range(n[sex]);
    return { lower, upper, unit: n.unit, sex };
  }
  const [ml, mu] = range(n.male);
  const [fl, fu] = range(n.female);
  return { lower: Math.min(ml, fl), upper: Math.max(mu, fu), unit: n.unit, sex: 'either' };
}

export type RangeVerdict = 'below' | 'within' | 'above';

/** Where `value` lies against `range`; `undefined` when the value is unknown. */
export function compareToRange(value: number | undefined, range: ReferenceRange): RangeVerdict | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  return value < range.lower ? 'below' : value > range.upper ? 'above' : 'within';
}

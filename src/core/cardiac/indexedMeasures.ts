/**
 * The measures a CMR report indexes to body surface area, each with its published normal range where one is
 * encoded (referenceRanges.ts). One list for the panel and the CSV, so they can never disagree.
 */
import { indexToBsa } from './bodySurfaceArea';
import type { CardiacFunction } from './function';
import {
  compareToRange,
  referenceRange,
  type RangeVerdict,
  type ReferenceMeasure,
  type ReferenceRange,
  type Sex,
} from './referenceRanges';

export interface IndexedValue {
  key: string;
  /** e.g. "LVEDV/BSA". */
  name: string;
  /** `undefined` when the measure or the BSA is unknown. */
  value: number | undefined;
  unit: string;
  range?: ReferenceRange;
  verdict?: RangeVerdict;
}

const ROWS: {
  key: string;
  name: string;
  unit: string;
  pick: (r: CardiacFunction) => number | undefined;
  ref?: ReferenceMeasure;
}[] = [
  { key: 'lvedvi', name: 'LVEDV/BSA', unit: 'ml/m²', pick: (r) => r.lvedvMl, ref: 'lvedvIndex' },
  { key: 'lvesvi', name: 'LVESV/BSA', unit: 'ml/m²', pick: (r) => r.lvesvMl, ref: 'lvesvIndex' },
  { key: 'lvsvi', name: 'LVSV/BSA', unit: 'ml/m²', pick: (r) => r.lvsvMl },
  { key: 'lvmi', name: 'LV mass/BSA', unit: 'g/m²', pick: (r) => r.lvMassG, ref: 'lvMassIndex' },
  { key: 'rvedvi', name: 'RVEDV/BSA', unit: 'ml/m²', pick: (r) => r.rvedvMl },
  { key: 'rvesvi', name: 'RVESV/BSA', unit: 'ml/m²', pick: (r) => r.rvesvMl },
  { key: 'rvsvi', name: 'RVSV/BSA', unit: 'ml/m²', pick: (r) => r.rvsvMl },
  { key: 'ci', name: 'cardiac index', unit: 'l/min/m²', pick: (r) => r.cardiacOutputLPerMin },
];

/** The BSA-indexed measures of `result` (empty when the BSA is unknown). */
export function indexedMeasures(
  result: CardiacFunction,
  bsaM2: number | undefined,
  sex: Sex | undefined,
): IndexedValue[] {
  if (bsaM2 === undefined) return [];
  return ROWS.map((row) => {
    const value = indexToBsa(row.pick(result), bsaM2);
    const range = row.ref ? referenceRange(row.ref, sex) : undefined;
    const verdict = range ? compareToRange(value, range) : undefined;
    return {
      key: row.key,
      name: row.name,
      value,
      unit: row.unit,
      ...(range ? { range } : {}),
      ...(verdict ? { verdict } : {}),
    };
  });
}

/** LVEF against its normal range (needs no body size). */
export function lvefAgainstRange(result: CardiacFunction, sex: Sex | undefined): IndexedValue {
  const range = referenceRange('lvef', sex);
  const verdict = compareToRange(result.lvefPct, range);
  return { key: 'lvef', name: 'LVEF', value: result.lvefPct, unit: '%', range, ...(verdict ? { verdict } : {}) };
}

/** DICOM PatientSex -> the sex a reference range is for (O and unknown: no sex-specific range). */
export function referenceSex(patientSex: 'M' | 'F' | 'O' | undefined): Sex | undefined {
  return patientSex === 'M' ? 'male' : patientSex === 'F' ? 'female' : undefined;
}

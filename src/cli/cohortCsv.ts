/**
 * The cohort CSV: one row per study (id, identity, volumes, EF, mass, flags, model, status, message),
 * built from the studies' result.json files. RFC 4180 like the per-study CSV (src/io/csv), with the same
 * number formats and formula guard on free text, but without a byte-order mark: it is read by pandas and
 * R far more often than opened in Excel, and a BOM would become part of the first column's name there.
 */
import { formatFlags } from '@/core/quality';
import { csvField, formatNumber } from '@/io/csv';
import type { CohortStudy } from './cohortStudies';
import type { StudyResult, StudyStatus } from './studyResult';

const COLUMNS = [
  'study_id',
  'input',
  'source',
  'patient_id',
  'patient_name',
  'study_date',
  'series_instance_uid',
  'series_number',
  'series_description',
  'file_name',
  'slices',
  'frames',
  'ed_frame',
  'es_frame',
  'lvedv_ml',
  'lvesv_ml',
  'lvsv_ml',
  'lvef_pct',
  'rvedv_ml',
  'rvesv_ml',
  'rvsv_ml',
  'rvef_pct',
  'lv_mass_g',
  'heart_rate_bpm',
  'cardiac_output_l_min',
  'flags',
  'model_id',
  'model_version',
  'status',
  'message',
] as const;

type Column = (typeof COLUMNS)[number];

/** Free-text columns from file headers and messages: guarded against spreadsheet formulas. */
const TEXT: ReadonlySet<Column> = new Set([
  'study_id',
  'input',
  'patient_id',
  'patient_name',
  'series_description',
  'file_name',
  'flags',
  'message',
]);

export const COHORT_CSV_HEADER: readonly string[] = COLUMNS;

const frameNumber = (f: number | undefined): string => (f === undefined ? '' : String(f + 1));

function rowOf(study: CohortStudy, r: StudyResult | undefined): Record<Column, string> {
  const id = r?.identity;
  const fn = r?.function ?? {};
  const status: StudyStatus = r?.status ?? 'not_run';
  return {
    study_id: study.id,
    input: study.input,
    source: id?.source ?? '',
    patient_id: id?.patientId ?? '',
    patient_name: id?.patientName ?? '',
    study_date: id?.studyDate ?? '',
    series_instance_uid: id?.seriesInstanceUid ?? '',
    series_number: id?.seriesNumber === undefined ? '' : String(id.seriesNumber),
    series_description: id?.seriesDescription ?? '',
    file_name: id?.fileName ?? '',
    slices: r?.dims ? String(r.dims.slices) : '',
    frames: r?.dims ? String(r.dims.frames) : '',
    ed_frame: frameNumber(fn.edFrame),
    es_frame: frameNumber(fn.esFrame),
    lvedv_ml: formatNumber(fn.lvedvMl, 1),
    lvesv_ml: formatNumber(fn.lvesvMl, 1),
    lvsv_ml: formatNumber(fn.lvsvMl, 1),
    lvef_pct: formatNumber(fn.lvefPct, 1),
    rvedv_ml: formatNumber(fn.rvedvMl, 1),
    rvesv_ml: formatNumber(fn.rvesvMl, 1),
    rvsv_ml: formatNumber(fn.rvsvMl, 1),
    rvef_pct: formatNumber(fn.rvefPct, 1),
    lv_mass_g: formatNumber(fn.lvMassG, 1),
    heart_rate_bpm: formatNumber(fn.heartRateBpm, 0),
    cardiac_output_l_min: formatNumber(fn.cardiacOutputLPerMin, 2),
    flags: formatFlags(r?.flags ?? []),
    model_id: r?.model.id ?? '',
    model_version: r?.model.version ?? '',
    status,
    message: r ? r.message : 'no result yet: run the cohort (or this study) first',
  };
}

/** The cohort CSV text for `studies` in order; `results` maps a study id to its recorded result. */
export function cohortCsv(studies: readonly CohortStudy[], results: ReadonlyMap<string, StudyResult>): string {
  const line = (fields: readonly string[]): string => fields.join(',') + '\r\n';
  let out = line(COLUMNS.map((c) => csvField(c)));
  for (const s of studies) {
    const row = rowOf(s, results.get(s.id));
    out += line(COLUMNS.map((c) => csvField(row[c], TEXT.has(c))));
  }
  return out;
}

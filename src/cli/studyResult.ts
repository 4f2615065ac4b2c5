/**
 * The record of one study of a cohort, `<out-dir>/<id>/result.json`: written last, after the labels and
 * the CSV, so its presence with status "ok" (and those files present at their recorded sizes) is the
 * completion marker that lets an interrupted cohort resume. A failure is recorded there too (status and
 * message) for the cohort CSV; a later run tries a failed study again.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CardiacFunction } from '@/core/cardiac/function';
import type { QualityFlag } from '@/core/quality';
import type { VolumeDims } from '@/core/volume';
import type { StudyIdentity } from './studyIdentity';
import { writeOutput } from './study';

export const STUDY_RESULT_FORMAT = 'cineseg-study-result/1';

/**
 * ok: segmented, outputs written. bad_input: the study's files cannot be used (the message says why).
 * error: anything else went wrong with this study (a write failing, the model process stopping).
 * not_run: no result yet (only in a cohort CSV made before every study ran).
 */
export type StudyStatus = 'ok' | 'bad_input' | 'error' | 'not_run';

export interface ModelKey {
  id: string;
  version: string;
  tta: boolean;
}

export interface StudyResult {
  format: typeof STUDY_RESULT_FORMAT;
  id: string;
  /** The study's path as its cohort folder or list gives it. */
  input: string;
  status: Exclude<StudyStatus, 'not_run'>;
  message: string;
  model: ModelKey & { backend: string };
  identity?: StudyIdentity;
  dims?: VolumeDims;
  /** Frame numbers 0-based, as core computes them; absent values are unknown. */
  function?: Partial<CardiacFunction>;
  /** Quality flags of the masks and measures (src/core/quality). */
  flags?: QualityFlag[];
  /** Files written, relative to the study's folder, with their sizes (checked on resume). */
  outputs: { file: string; bytes: number }[];
  seconds: number;
}

/** The study's output folder and files. */
export function studyPaths(outDir: string, id: string): { dir: string; labels: string; csv: string; result: string } {
  const dir = path.join(outDir, id);
  return {
    dir,
    labels: path.join(dir, 'labels.nii.gz'),
    csv: path.join(dir, 'function.csv'),
    result: path.join(dir, 'result.json'),
  };
}

/** The recorded result of a study, or undefined when there is none (or it is unreadable: redo the study). */
export function readStudyResult(outDir: string, id: string): StudyResult | undefined {
  const file = studyPaths(outDir, id).result;
  if (!existsSync(file)) return undefined;
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as StudyResult;
    return r.format === STUDY_RESULT_FORMAT && r.id === id ? r : undefined;
  } catch {
    return undefined;
  }
}

export function writeStudyResult(outDir: string, result: StudyResult): void {
  writeOutput(studyPaths(outDir, result.id).result, JSON.stringify(result, null, 1) + '\n');
}

/** Done: segmented by the same model (and TTA choice), every output still there at its recorded size. */
export function isStudyDone(outDir: string, id: string, model: ModelKey): boolean {
  const r = readStudyResult(outDir, id);
  if (r?.status !== 'ok') return false;
  if (r.model.id !== model.id || r.model.version !== model.version || r.model.tta !== model.tta) return false;
  const dir = studyPaths(outDir, id).dir;
  return r.outputs.every((o) => {
    const file = path.join(dir, o.file);
    return existsSync(file) && statSync(file).size === o.bytes;
  });
}

/**
 * `npm run segment -- --cohort <folder | list file> --out-dir <folder> [--jobs N]`: many studies, each
 * through the same steps as one (cohortStudy.ts), in this process or in N worker processes; studies
 * already done are skipped so that an interrupted run resumes; a failing study is recorded and the others
 * go on; then one cohort CSV. Also the two halves that Snakemake's rules call: one study (`--only <id>`)
 * and the cohort CSV from the recorded results (`--cohort-csv-only`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkManifest, type ModelManifest } from '@/segment/manifest';
import { disposeModel } from '@/segment/engine';
import { cohortCsv } from './cohortCsv';
import { runInWorkers } from './cohortPool';
import { processStudy } from './cohortStudy';
import { listCohortStudies, type CohortStudy } from './cohortStudies';
import { UsageError } from './errors';
import { resolveModelDir } from './models';
import { initNodeBackend, type NodeBackendName } from './nodeBackend';
import { formatDuration, secondsLeft } from './progress';
import { loadModelFolder, writeOutput } from './study';
import { isStudyDone, readStudyResult, type ModelKey, type StudyResult, type StudyStatus } from './studyResult';

export interface CohortOptions {
  cohort: string;
  outDir?: string;
  jobs: number;
  only: string[];
  cohortCsv?: string;
  csvOnly: boolean;
  listStudies: boolean;
  model?: string;
  modelDir?: string;
  backend: NodeBackendName;
  tta: boolean | undefined;
}

export interface CohortIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const STATUS_WORDS: Record<StudyStatus, string> = {
  ok: 'ok',
  bad_input: 'bad input',
  error: 'error',
  not_run: 'not run',
};

function readManifest(modelDir: string): ModelManifest {
  const manifest = JSON.parse(readFileSync(path.join(modelDir, 'manifest.json'), 'utf8')) as ModelManifest;
  checkManifest(manifest);
  return manifest;
}

/** Writes the cohort CSV from the recorded results; returns the status of every study. */
function writeCohortCsv(studies: readonly CohortStudy[], outDir: string, file: string): StudyStatus[] {
  const results = new Map<string, StudyResult>();
  for (const s of studies) {
    const r = readStudyResult(outDir, s.id);
    if (r) results.set(s.id, r);
  }
  writeOutput(file, cohortCsv(studies, results));
  return studies.map((s) => results.get(s.id)?.status ?? 'not_run');
}

function summary(statuses: readonly StudyStatus[]): string {
  const count = (s: StudyStatus): number => statuses.filter((x) => x === s).length;
  const parts = (['ok', 'bad_input', 'error', 'not_run'] as const)
    .filter((s) => s === 'ok' || count(s) > 0)
    .map((s) => `${count(s)} ${STATUS_WORDS[s]}`);
  return `${statuses.length} ${statuses.length === 1 ? 'study' : 'studies'}: ${parts.join(', ')}`;
}

/** 0 when every study is ok, 2 when any is not (its status and message are in the cohort CSV). */
const exitStatus = (statuses: readonly StudyStatus[]): number => (statuses.every((s) => s === 'ok') ? 0 : 2);

/**
 * Runs the cohort; resolves to the exit status: 0 all studies ok; 2 some study failed (bad input, an
 * error, or, for --cohort-csv-only, not run yet), with the cohort CSV still written; 1 the cohort
 * could not run (model missing or corrupt, no worker could start). Usage errors throw UsageError.
 */
export async function runCohort(opts: CohortOptions, io: CohortIo): Promise<number> {
  const all = listCohortStudies(opts.cohort, opts.outDir);
  if (opts.listStudies) {
    for (const s of all) io.stdout(`${s.id}\t${s.path}\n`);
    return 0;
  }
  if (opts.outDir === undefined) throw new UsageError('--cohort needs --out-dir <folder> for the results');
  const outDir = path.resolve(opts.outDir);
  const unknown = opts.only.filter((id) => !all.some((s) => s.id === id));
  if (unknown.length > 0) throw new UsageError(`--only ${unknown.join(', ')}: no such study in ${opts.cohort}`);
  const studies = opts.only.length > 0 ? all.filter((s) => opts.only.includes(s.id)) : all;
  const csvFile = path.resolve(opts.cohortCsv ?? path.join(outDir, 'cohort.csv'));

  if (opts.csvOnly) {
    const statuses = writeCohortCsv(studies, outDir, csvFile);
    io.stdout(`cohort   ${summary(statuses)}\nwrote    ${csvFile}\n`);
    return exitStatus(statuses);
  }

  const modelDir = resolveModelDir(opts);
  const manifest = readManifest(modelDir);
  const model: ModelKey = { id: manifest.id, version: manifest.version, tta: opts.tta ?? manifest.tta };
  const todo = studies.filter((s) => !isStudyDone(outDir, s.id, model));
  const jobs = Math.max(1, Math.min(opts.jobs, todo.length));
  io.stderr(
    `cohort ${opts.cohort}: ${studies.length} ${studies.length === 1 ? 'study' : 'studies'}, ` +
      `${studies.length - todo.length} already done (skipped), ${todo.length} to segment` +
      (todo.length > 0 ? ` with ${jobs} job${jobs === 1 ? '' : 's'}` : '') +
      `; model ${model.id} ${model.version}${model.tta ? ' (TTA)' : ''}\n`,
  );

  const t0 = performance.now();
  let done = 0;
  const onResult = (r: StudyResult): void => {
    done++;
    const left = secondsLeft(done, todo.length, (performance.now() - t0) / 1000);
    const what = r.status === 'ok' ? `ok in ${r.seconds.toFixed(1)} s` : `${STATUS_WORDS[r.status]}: ${r.message}`;
    const eta = done < todo.length && left !== undefined ? ` (about ${formatDuration(left)} left)` : '';
    io.stderr(`[${done}/${todo.length}] ${r.id}: ${what}${eta}\n`);
  };

  let fatal: string | undefined;
  try {
    if (todo.length === 0) {
      // nothing to segment
    } else if (jobs === 1) {
      const backend = await initNodeBackend(opts.backend);
      const loaded = await loadModelFolder(modelDir);
      try {
        for (const s of todo) onResult(processStudy(s, { model: loaded, backend, tta: model.tta, outDir }));
      } finally {
        disposeModel(loaded);
      }
    } else {
      await runInWorkers(todo, { jobs, modelDir, model, backend: opts.backend, outDir }, onResult);
    }
  } catch (e) {
    fatal = e instanceof Error ? e.message : String(e);
  }

  // With --only (Snakemake's per-study rule) the aggregate rule writes the cohort CSV, once.
  const statuses =
    opts.only.length > 0
      ? studies.map((s) => readStudyResult(outDir, s.id)?.status ?? 'not_run')
      : writeCohortCsv(studies, outDir, csvFile);
  io.stdout(`cohort   ${summary(statuses)}\n`);
  if (opts.only.length === 0) io.stdout(`wrote    ${csvFile}\n`);
  if (todo.length > 0) io.stderr(`done in ${formatDuration((performance.now() - t0) / 1000)}\n`);
  if (fatal !== undefined) {
    io.stderr(`cineseg segment: the cohort stopped: ${fatal}\n`);
    return 1;
  }
  return exitStatus(statuses);
}

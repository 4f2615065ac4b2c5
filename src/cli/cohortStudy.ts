/**
 * Segments one study of a cohort into its output folder and records the outcome; never throws, so one
 * bad study cannot stop the others. The same code runs in the cohort's own process (--jobs 1) and in
 * each worker process (--jobs N).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { LoadError } from '@/io/index';
import type { LoadedModel } from '@/segment/engine';
import type { CohortStudy } from './cohortStudies';
import { UsageError } from './errors';
import { analysisOptions, measureSeries, readSeries, segmentSeries, studyFlags, writeStudyOutputs } from './study';
import { studyIdentity, type StudyIdentity } from './studyIdentity';
import { studyPaths, writeStudyResult, type StudyResult } from './studyResult';
import type { VolumeDims } from '@/core/volume';

export interface StudyContext {
  model: LoadedModel;
  backend: string;
  tta: boolean;
  outDir: string;
}

/** Runs `study` and writes its outputs and `result.json`; returns the result. */
export function processStudy(study: CohortStudy, ctx: StudyContext): StudyResult {
  const t0 = performance.now();
  const { manifest } = ctx.model;
  const base = {
    format: 'cineseg-study-result/1' as const,
    id: study.id,
    input: study.input,
    model: { id: manifest.id, version: manifest.version, tta: ctx.tta, backend: ctx.backend },
  };
  let identity: StudyIdentity | undefined;
  let dims: VolumeDims | undefined;
  let result: StudyResult;
  try {
    const volume = readSeries([study.path], undefined);
    identity = studyIdentity(volume);
    dims = { ...volume.dims };
    const analysis = analysisOptions({}, volume.dims.slices, volume.dims.frames);
    const labels = segmentSeries(ctx.model, volume, ctx.tta);
    const measured = measureSeries(volume, labels, analysis);
    const paths = studyPaths(ctx.outDir, study.id);
    const flags = studyFlags(labels, measured);
    const written = writeStudyOutputs({ out: paths.labels, csv: paths.csv }, volume, labels, measured, analysis, manifest, flags);
    result = {
      ...base,
      status: 'ok',
      message: '',
      identity,
      dims,
      function: measured.fn,
      flags,
      outputs: written.map((f) => ({ file: path.relative(paths.dir, f), bytes: statSync(f).size })),
      seconds: (performance.now() - t0) / 1000,
    };
  } catch (e) {
    result = {
      ...base,
      status: e instanceof LoadError || e instanceof UsageError ? 'bad_input' : 'error',
      message: e instanceof Error ? e.message : String(e),
      ...(identity ? { identity } : {}),
      ...(dims ? { dims } : {}),
      outputs: [],
      seconds: (performance.now() - t0) / 1000,
    };
  }
  try {
    writeStudyResult(ctx.outDir, result);
  } catch (e) {
    result = {
      ...result,
      status: 'error',
      message: `cannot write result.json: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  return result;
}

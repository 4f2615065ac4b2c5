/**
 * Batch segmentation for users with many studies, with the browser's own code: io's loaders, the engine
 * (src/segment/engine: preprocessing, model, postprocessing), core's cardiac analysis, io's writers.
 *
 *   npm run segment -- <NIfTI file(s) | DICOM folder> --out labels.nii.gz --csv metrics.csv [--model student|teacher]
 *   npm run segment -- --cohort <folder | list file> --out-dir results [--jobs N]      (many studies: cohort.ts)
 *
 * Progress goes to stderr, the summary to stdout. Exit status: 0 done, 2 bad input or usage (the message
 * says what to fix; for a cohort: some study failed, see its cohort CSV), 1 anything else (model missing
 * or corrupt, a write failing).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { CardiacFunction } from '@/core/cardiac/function';
import type { QualityFlag } from '@/core/quality';
import type { Volume } from '@/core/volume';
import { formatSliceRanges } from '@/io/csv';
import { LoadError } from '@/io/index';
import { disposeModel } from '@/segment/engine';
import { ModelError } from '@/segment/manifest';
import { runCohort, type CohortOptions } from './cohort';
import { UsageError } from './errors';
import { resolveModelDir } from './models';
import { initNodeBackend, type NodeBackendName } from './nodeBackend';
import {
  analysisOptions,
  loadModelFolder,
  measureSeries,
  readSeries,
  segmentSeries,
  studyFlags,
  writeStudyOutputs,
  type AnalysisOptions,
} from './study';

export const USAGE = `Usage: npm run segment -- <NIfTI file(s) | DICOM folder> [options]

Segments a cardiac short-axis cine (LV cavity, LV myocardium, RV cavity) with the app's model and reports
volumes, EF and LV mass.

Options:
  --out <file.nii.gz>   label volume (0 background, 1 RV cavity, 2 LV myocardium, 3 LV cavity) on the
                        input's grid; for DICOM input also <file>.index.json (InstanceNumber, SOPInstanceUID
                        of each slice and frame)
  --csv <file.csv>      volumes per frame (ml) and the summary (EDV, ESV, SV, EF, LV mass, ED/ES frames, ...)
  --model <id>          model id in public/models/index.json (student, teacher): its newest version;
                        default: the app's default model
  --model-dir <folder>  a model folder (manifest.json, model.json, weights.bin) instead of --model
  --series <uid>        SeriesInstanceUID to use when the DICOM folder holds several series
  --slices <list>       slices to include in the volumes, 1-based (e.g. 2-10 to leave out a basal and an
                        apical slice; default: all), as the app's slice checkboxes
  --ed <frame>          end-diastolic frame, 1-based (default: the largest LV cavity)
  --es <frame>          end-systolic frame, 1-based (default: the smallest LV cavity)
  --backend <name>      auto (default: tfjs-node if installed, else wasm, else cpu), node, wasm or cpu
  --no-tta              skip test-time augmentation even if the model asks for it (faster, less accurate)
  -h, --help            this text

Many studies (a cohort):
  npm run segment -- --cohort <folder | list file> --out-dir <folder> [--jobs N] [--model ...]
  --cohort <path>       a folder whose every entry is one study (a DICOM folder, a folder of NIfTI
                        frames, or a NIfTI file; *_gt label files are skipped), or a text file with
                        one study path per line (relative to the file; # comments)
  --out-dir <folder>    per study <id>/labels.nii.gz, <id>/function.csv, <id>/result.json; and
                        cohort.csv, a row per study (identity, volumes, EF, mass, flags, model, status)
  --jobs <n>            studies segmented in parallel, each in its own process (default 1)
  --cohort-csv <file>   the cohort CSV elsewhere (default <out-dir>/cohort.csv)
  --only <id>           segment only this study (repeatable); no cohort CSV (Snakemake's per-study rule)
  --cohort-csv-only     write the cohort CSV from the results present; segment nothing
  --list-studies        print each study's id and path (tab-separated) and stop
  Studies already done with the same model are skipped, so a stopped run resumes; a failing study is
  recorded (status, message) and the others go on. Exit status 0 when every study is ok, 2 when any is
  not (the cohort CSV is still written), 1 when the cohort cannot run.`;

/** Where the CLI writes; the tests capture it. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

interface CliOptions {
  inputs: string[];
  out?: string;
  csv?: string;
  model?: string;
  modelDir?: string;
  series?: string;
  slices?: string;
  ed?: string;
  es?: string;
  backend: NodeBackendName;
  tta: boolean | undefined;
}

type Parsed = { kind: 'help' } | { kind: 'study'; opts: CliOptions } | { kind: 'cohort'; opts: CohortOptions };

/** Options that only make sense for one study, refused with --cohort. */
const STUDY_ONLY = ['out', 'csv', 'series', 'slices', 'ed', 'es'] as const;
const COHORT_ONLY = ['out-dir', 'jobs', 'only', 'cohort-csv', 'cohort-csv-only', 'list-studies'] as const;

function parseJobs(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--jobs must be a whole number of at least 1, not "${text}"`);
  return n;
}

function parseCli(argv: string[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        csv: { type: 'string' },
        model: { type: 'string' },
        'model-dir': { type: 'string' },
        series: { type: 'string' },
        slices: { type: 'string' },
        ed: { type: 'string' },
        es: { type: 'string' },
        backend: { type: 'string', default: 'auto' },
        'no-tta': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        cohort: { type: 'string' },
        'out-dir': { type: 'string' },
        jobs: { type: 'string' },
        only: { type: 'string', multiple: true },
        'cohort-csv': { type: 'string' },
        'cohort-csv-only': { type: 'boolean', default: false },
        'list-studies': { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const v = parsed.values;
  if (v.help) return { kind: 'help' };
  if (!['auto', 'node', 'wasm', 'cpu'].includes(v.backend)) {
    throw new UsageError(`--backend must be auto, node, wasm or cpu, not "${v.backend}"`);
  }
  if (v.model !== undefined && v['model-dir'] !== undefined)
    throw new UsageError('give --model or --model-dir, not both');
  const shared = {
    ...(v.model !== undefined ? { model: v.model } : {}),
    ...(v['model-dir'] !== undefined ? { modelDir: v['model-dir'] } : {}),
    backend: v.backend as NodeBackendName,
    tta: v['no-tta'] ? false : undefined,
  };
  const values: Record<string, unknown> = v;
  const given = (name: string): boolean => values[name] !== undefined && values[name] !== false;

  if (v.cohort !== undefined) {
    const wrong = STUDY_ONLY.filter(given);
    if (wrong.length > 0 || parsed.positionals.length > 0) {
      const what = wrong.length > 0 ? wrong.map((w) => `--${w}`).join(', ') : `the input ${parsed.positionals[0]}`;
      throw new UsageError(`${what} cannot be combined with --cohort (each study's outputs go to --out-dir)`);
    }
    return {
      kind: 'cohort',
      opts: {
        cohort: v.cohort,
        ...(v['out-dir'] !== undefined ? { outDir: v['out-dir'] } : {}),
        jobs: parseJobs(v.jobs),
        only: v.only ?? [],
        ...(v['cohort-csv'] !== undefined ? { cohortCsv: v['cohort-csv'] } : {}),
        csvOnly: v['cohort-csv-only'],
        listStudies: v['list-studies'],
        ...shared,
      },
    };
  }
  const cohortOnly = COHORT_ONLY.filter(given);
  if (cohortOnly.length > 0) throw new UsageError(`--${cohortOnly[0]} needs --cohort <folder | list file>`);
  if (parsed.positionals.length === 0) throw new UsageError('name a NIfTI file or a DICOM folder to segment');
  if (v.out !== undefined && !/\.nii(\.gz)?$/i.test(v.out))
    throw new UsageError(`--out must end in .nii.gz or .nii: ${v.out}`);
  return {
    kind: 'study',
    opts: {
      inputs: parsed.positionals,
      ...(v.out !== undefined ? { out: v.out } : {}),
      ...(v.csv !== undefined ? { csv: v.csv } : {}),
      ...(v.series !== undefined ? { series: v.series } : {}),
      ...(v.slices !== undefined ? { slices: v.slices } : {}),
      ...(v.ed !== undefined ? { ed: v.ed } : {}),
      ...(v.es !== undefined ? { es: v.es } : {}),
      ...shared,
    },
  };
}

const ml = (x: number | undefined, unit: string, d = 1): string => (x === undefined ? '—' : `${x.toFixed(d)} ${unit}`);

function summaryText(volume: Volume, fn: CardiacFunction, model: string, includedSlices: boolean[]): string {
  const { cols, rows, slices, frames } = volume.dims;
  const frame = (f: number | undefined): string => (f === undefined ? '—' : String(f + 1));
  return (
    [
      `series   ${volume.meta.name} (${volume.meta.source}, ${cols}×${rows}, ${slices} slices, ${frames} frames)`,
      `model    ${model}`,
      `slices   ${formatSliceRanges(includedSlices)} of ${slices}`,
      `ED/ES    frame ${frame(fn.edFrame)} / frame ${frame(fn.esFrame)}`,
      `LV       EDV ${ml(fn.lvedvMl, 'ml')}  ESV ${ml(fn.lvesvMl, 'ml')}  SV ${ml(fn.lvsvMl, 'ml')}  EF ${ml(fn.lvefPct, '%')}`,
      `RV       EDV ${ml(fn.rvedvMl, 'ml')}  ESV ${ml(fn.rvesvMl, 'ml')}  SV ${ml(fn.rvsvMl, 'ml')}  EF ${ml(fn.rvefPct, '%')}`,
      `LV mass  ${ml(fn.lvMassG, 'g')}`,
      ...(fn.heartRateBpm !== undefined
        ? [`HR       ${ml(fn.heartRateBpm, 'bpm', 0)}  cardiac output ${ml(fn.cardiacOutputLPerMin, 'l/min', 2)}`]
        : []),
    ].join('\n') + '\n'
  );
}

/** The quality flags (src/core/quality), one per line, or that there are none. */
function flagsText(flags: readonly QualityFlag[]): string {
  if (flags.length === 0) return 'flags    none\n';
  return `flags    ${flags.length} to check\n` + flags.map((f) => `  ${f.code}: ${f.message}\n`).join('');
}

/** One study, as before cohorts existed: read, segment every frame, measure, write, summarise. */
async function runStudy(opts: CliOptions, io: CliIo): Promise<number> {
  const t0 = performance.now();
  const volume = readSeries(opts.inputs, opts.series);
  const { cols, rows, slices, frames } = volume.dims;
  io.stderr(`read ${volume.meta.name}: ${cols}×${rows}, ${slices} slices, ${frames} frames\n`);
  const analysis: AnalysisOptions = analysisOptions(opts, slices, frames);

  const modelDir = resolveModelDir(opts);
  const backend = await initNodeBackend(opts.backend);
  const model = await loadModelFolder(modelDir);
  const { manifest } = model;
  const tta = opts.tta ?? manifest.tta;
  const modelText = `${manifest.id} ${manifest.version} (${backend} backend${tta ? ', TTA' : ''})`;
  io.stderr(`model ${modelText} from ${modelDir}\n`);

  let labels;
  try {
    labels = segmentSeries(model, volume, tta, (f, ms) =>
      io.stderr(`frame ${f + 1}/${frames}: ${slices} slices in ${Math.round(ms)} ms\n`),
    );
  } finally {
    disposeModel(model);
  }
  const measured = measureSeries(volume, labels, analysis);
  const flags = studyFlags(labels, measured);
  const written = writeStudyOutputs(opts, volume, labels, measured, analysis, manifest, flags);
  io.stdout(summaryText(volume, measured.fn, modelText, analysis.includedSlices));
  io.stdout(flagsText(flags));
  if (written.length > 0) io.stdout(`wrote    ${written.join(', ')}\n`);
  io.stderr(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  return 0;
}

/** Runs the CLI on `argv` (without node and the script); resolves to the exit status. */
export async function runSegmentCli(argv: string[], io: CliIo = processIo): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parseCli(argv);
  } catch (e) {
    io.stderr(`cineseg segment: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed.kind === 'help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  try {
    return parsed.kind === 'cohort' ? await runCohort(parsed.opts, io) : await runStudy(parsed.opts, io);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof LoadError || e instanceof UsageError) {
      io.stderr(`cineseg segment: ${message}\n`);
      return 2;
    }
    io.stderr(`cineseg segment: ${e instanceof ModelError ? 'model: ' : ''}${message}\n`);
    return 1;
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isEntry) {
  process.exitCode = await runSegmentCli(process.argv.slice(2));
}

/**
 * Batch segmentation for users with many studies, with the browser's own code: io's loaders, the engine
 * (src/segment/engine: preprocessing, model, postprocessing), core's cardiac analysis, io's writers.
 *
 *   npm run segment -- <NIfTI file(s) | DICOM folder> --out labels.nii.gz --csv metrics.csv [--model student|teacher]
 *
 * Progress goes to stderr, the summary to stdout. Exit status: 0 done, 2 bad input or usage (the message
 * says what to fix), 1 anything else (model missing or corrupt, a write failing).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { computeCardiacFunction, type CardiacFunction } from '@/core/cardiac/function';
import { countFrameLabelVoxels, volumesFromCounts } from '@/core/cardiac/volumes';
import type { LabelVolume, Volume } from '@/core/volume';
import { cardiacReportToCsv, formatSliceRanges } from '@/io/csv';
import { LoadError, loadFiles, writeNiftiLabels } from '@/io/index';
import { dicomMaskIndex } from '@/io/maskExport';
import { buildCardiacReport } from '@/io/reportExport';
import { disposeModel, loadModel, planVolume, segmentFrame } from '@/segment/engine';
import { ModelError } from '@/segment/manifest';
import { resolveModelDir } from './models';
import { initNodeBackend, type NodeBackendName } from './nodeBackend';
import { readInputFiles } from './readInput';
import { parseFrameNumber, parseSliceList } from './sliceList';

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
  -h, --help            this text`;

/** Where the CLI writes; the tests capture it. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

class UsageError extends Error {}

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

function parseCli(argv: string[]): CliOptions | 'help' {
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
      },
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (parsed.positionals.length === 0) throw new UsageError('name a NIfTI file or a DICOM folder to segment');
  if (!['auto', 'node', 'wasm', 'cpu'].includes(v.backend)) {
    throw new UsageError(`--backend must be auto, node, wasm or cpu, not "${v.backend}"`);
  }
  if (v.model !== undefined && v['model-dir'] !== undefined)
    throw new UsageError('give --model or --model-dir, not both');
  if (v.out !== undefined && !/\.nii(\.gz)?$/i.test(v.out))
    throw new UsageError(`--out must end in .nii.gz or .nii: ${v.out}`);
  return {
    inputs: parsed.positionals,
    ...(v.out !== undefined ? { out: v.out } : {}),
    ...(v.csv !== undefined ? { csv: v.csv } : {}),
    ...(v.model !== undefined ? { model: v.model } : {}),
    ...(v['model-dir'] !== undefined ? { modelDir: v['model-dir'] } : {}),
    ...(v.series !== undefined ? { series: v.series } : {}),
    ...(v.slices !== undefined ? { slices: v.slices } : {}),
    ...(v.ed !== undefined ? { ed: v.ed } : {}),
    ...(v.es !== undefined ? { es: v.es } : {}),
    backend: v.backend as NodeBackendName,
    tta: v['no-tta'] ? false : undefined,
  };
}

function loadSeries(opts: CliOptions): Volume {
  const files = readInputFiles(opts.inputs);
  const outcome = loadFiles(files, opts.series !== undefined ? { seriesInstanceUid: opts.series } : {});
  if (outcome.kind === 'choose') {
    const list = outcome.candidates
      .map((c) => `  --series ${c.seriesInstanceUid}   ${c.description} (${c.summary}, ${c.fileCount} files)`)
      .join('\n');
    throw new LoadError(`The input holds ${outcome.candidates.length} DICOM series; choose one with:\n${list}`);
  }
  if (opts.series !== undefined && outcome.series.volume.meta.seriesInstanceUid !== opts.series) {
    throw new LoadError(`No DICOM series with SeriesInstanceUID ${opts.series} in the input.`);
  }
  return outcome.series.volume;
}

/** Slice selection and ED/ES overrides, checked against the series before the (slow) segmentation. */
function analysisOptions(
  opts: CliOptions,
  slices: number,
  frames: number,
): { includedSlices: boolean[]; phases: { edFrame?: number; esFrame?: number } } {
  try {
    return {
      includedSlices:
        opts.slices === undefined ? new Array<boolean>(slices).fill(true) : parseSliceList(opts.slices, slices),
      phases: {
        ...(opts.ed !== undefined ? { edFrame: parseFrameNumber(opts.ed, frames, '--ed') } : {}),
        ...(opts.es !== undefined ? { esFrame: parseFrameNumber(opts.es, frames, '--es') } : {}),
      },
    };
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
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

function writeOutput(file: string, bytes: Uint8Array | string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, bytes);
}

/** Runs the CLI on `argv` (without node and the script); resolves to the exit status. */
export async function runSegmentCli(argv: string[], io: CliIo = processIo): Promise<number> {
  let opts: CliOptions | 'help';
  try {
    opts = parseCli(argv);
  } catch (e) {
    io.stderr(`cineseg segment: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}\n`);
    return 2;
  }
  if (opts === 'help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  try {
    const t0 = performance.now();
    const volume = loadSeries(opts);
    const { cols, rows, slices, frames } = volume.dims;
    io.stderr(`read ${volume.meta.name}: ${cols}×${rows}, ${slices} slices, ${frames} frames\n`);
    const analysis = analysisOptions(opts, slices, frames);

    const modelDir = resolveModelDir(opts);
    const backend = await initNodeBackend(opts.backend);
    const model = await loadModel((file) => Promise.resolve(new Uint8Array(readFileSync(path.join(modelDir, file)))));
    const { manifest } = model;
    const tta = opts.tta ?? manifest.tta;
    const modelText = `${manifest.id} ${manifest.version} (${backend} backend${tta ? ', TTA' : ''})`;
    io.stderr(`model ${modelText} from ${modelDir}\n`);

    const plan = planVolume(volume, manifest);
    const frameLabels: Uint8Array[] = [];
    try {
      for (let f = 0; f < frames; f++) {
        const t = performance.now();
        frameLabels.push(segmentFrame(model, volume, plan, f, { tta }));
        io.stderr(`frame ${f + 1}/${frames}: ${slices} slices in ${Math.round(performance.now() - t)} ms\n`);
      }
    } finally {
      disposeModel(model);
    }

    const labels: LabelVolume = { data: new Uint8Array(cols * rows * slices * frames), dims: { ...volume.dims } };
    frameLabels.forEach((l, f) => labels.data.set(l, f * l.length));
    const { includedSlices } = analysis;
    const frameVolumes = volumesFromCounts(countFrameLabelVoxels(frameLabels, volume.dims), volume, includedSlices);
    const fn = computeCardiacFunction(frameVolumes, {
      ...analysis.phases,
      ...(volume.meta.heartRateBpm !== undefined ? { heartRateBpm: volume.meta.heartRateBpm } : {}),
    });

    const written: string[] = [];
    if (opts.out !== undefined) {
      writeOutput(opts.out, writeNiftiLabels(labels, volume, /\.gz$/i.test(opts.out)));
      written.push(opts.out);
      const indexFile = opts.out.replace(/\.nii(\.gz)?$/i, '.index.json');
      const index = dicomMaskIndex(volume, path.basename(opts.out));
      if (index) {
        writeOutput(indexFile, JSON.stringify(index, null, 1) + '\n');
        written.push(indexFile);
      }
    }
    if (opts.csv !== undefined) {
      const report = buildCardiacReport(volume, frameVolumes, fn, includedSlices, {
        kind: 'model',
        modelId: manifest.id,
        modelVersion: manifest.version,
      });
      writeOutput(opts.csv, cardiacReportToCsv(report, { bom: true }));
      written.push(opts.csv);
    }
    io.stdout(summaryText(volume, fn, modelText, includedSlices));
    if (written.length > 0) io.stdout(`wrote    ${written.join(', ')}\n`);
    io.stderr(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    return 0;
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

/**
 * Publishes a trained run to public/models/<id>/<version>/ (folded graph + manifest) and lists it in
 * public/models/index.json. A published version is never overwritten.
 *
 *   node --import tsx src/commands/export.ts --run runs/student-e8-kd-T2-W0.5 --id student --version 1.0.0 \
 *        --dtype float16 --metrics reports/evaluation.json --teacher teacher@1.0.0 --default
 */
import fs from 'node:fs';
import path from 'node:path';
import { initTrainingBackend } from '../backend';
import { publishModel } from '../export/publish';
import { buildModel } from '../models/spec';
import { initChain, readRunInfo } from '../runInfo';
import { parseArgs } from '../util/args';
import { loadWeights } from '../weights';
import { MODELS_DIR } from '../paths';

const args = parseArgs(process.argv.slice(2), {
  run: '',
  id: 'student',
  version: '1.0.0',
  dtype: 'float16',
  metrics: '',
  'metrics-key': '',
  teacher: '',
  label: '',
  default: 'false',
  out: MODELS_DIR,
  force: 'false',
  weights: 'final',
  'heart-crop': '0',
});
if (!args.run) throw new Error('--run runs/<name> is required');
await initTrainingBackend();
const runDir = path.resolve(args.run);
// run.json is written when a run ends; spec.json when it starts (for exporting a checkpoint mid-run).
const run = readRunInfo(runDir);
if (!run) throw new Error(`--run ${args.run}: neither run.json nor spec.json in ${runDir}`);
// A run started from another run's weights (--init runs/<r>/final or checkpoints/<r>/last) lists that run's command
// too, back to the first, and its steps and minutes count in the totals.
const readJson = (f: string): Record<string, unknown> | null =>
  fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, 'utf8')) as Record<string, unknown>) : null;
const initFrom = initChain(run)
  .reverse()
  .map((link) => {
    const initMeta = readJson(path.join(link.checkpoint, 'weights.json'));
    return {
      run: link.run,
      command: typeof link.info.command === 'string' ? link.info.command : '',
      steps: typeof initMeta?.step === 'number' ? initMeta.step : null,
      minutes: typeof initMeta?.elapsedMs === 'number' ? +(initMeta.elapsedMs / 60000).toFixed(1) : null,
    };
  });
const model = buildModel(run.spec);
const weightsMeta = loadWeights(model, path.join(runDir, args.weights));
// Totals across every resumption of a long run (train.ts keeps them in the checkpoint) and the runs it started from.
const ownSteps = typeof weightsMeta.step === 'number' ? weightsMeta.step : null;
const ownMinutes = typeof weightsMeta.elapsedMs === 'number' ? +(weightsMeta.elapsedMs / 60000).toFixed(1) : null;
const totals = {
  steps: ownSteps === null ? null : ownSteps + initFrom.reduce((a, r) => a + (r.steps ?? 0), 0),
  minutes: ownMinutes === null ? null : +(ownMinutes + initFrom.reduce((a, r) => a + (r.minutes ?? 0), 0)).toFixed(1),
  thisRun: { steps: ownSteps, minutes: ownMinutes },
  sessions: weightsMeta.sessions ?? null,
};

let metrics: Record<string, unknown> = {};
if (args.metrics) {
  const all = JSON.parse(fs.readFileSync(path.resolve(args.metrics), 'utf8')) as { models?: Record<string, Record<string, unknown>> };
  metrics = { ...(all.models?.[args['metrics-key'] || path.basename(runDir)] ?? {}) };
  delete metrics.acdcPerVolume;
  delete metrics.mnmsPerVolume;
}
const [teacherId, teacherVersion] = args.teacher ? args.teacher.split('@') : [];
const { dir, manifest, check } = publishModel(model, {
  id: args.id,
  version: args.version,
  dtype: args.dtype === 'float32' ? 'float32' : 'float16',
  outDir: args.out,
  tta: run.spec.kind === 'teacher',
  teacher: teacherId && teacherVersion ? { id: teacherId, version: teacherVersion } : null,
  training: {
    data: `${run.sources ?? 'checkpoint'} (../shared/data; ACDC: Bernard et al., IEEE TMI 2018; M&Ms: Campello et al., IEEE TMI 2021; Sunnybrook: Radau et al., MIDAS 2009, CC0)`,
    command: run.command ?? `checkpoint ${args.weights} of ${path.basename(runDir)}`,
    ...(initFrom.length ? { initialisedFrom: initFrom } : {}),
    config: { ...Object.fromEntries(Object.entries(run).filter(([k]) => !['history', 'command'].includes(k))), totals },
  },
  metrics,
  label: args.label || undefined,
  ...(Number(args['heart-crop']) > 0 ? { heartCrop: { inputSize: Number(args['heart-crop']) } } : {}),
  makeDefault: args.default === 'true',
  force: args.force === 'true',
});
console.log(JSON.stringify({ event: 'exported', dir, parameters: manifest.parameters, flops: manifest.flopsPerImage, ...check }));

/**
 * Publishes a trained run to public/models/<id>/<version>/ (folded graph + manifest) and lists it in
 * public/models/index.json. A published version is never overwritten.
 *
 *   node --import tsx src/export.ts --run runs/student-e8-kd-T2-W0.5 --id student --version 1.0.0 \
 *        --dtype float16 --metrics reports/evaluation.json --teacher teacher@1.0.0 --default
 */
import fs from 'node:fs';
import path from 'node:path';
import { initTrainingBackend } from './backend';
import { publishModel } from './export/publish';
import { buildModel, type ModelSpec } from './models/spec';
import { parseArgs } from './util/args';
import { loadWeights } from './weights';

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
  out: path.resolve(import.meta.dirname, '../../public/models'),
  force: 'false',
  weights: 'final',
});
if (!args.run) throw new Error('--run runs/<name> is required');
await initTrainingBackend();
const runDir = path.resolve(args.run);
// run.json is written when a run ends; spec.json when it starts (for exporting a checkpoint mid-run).
const runFile = fs.existsSync(path.join(runDir, 'run.json')) ? 'run.json' : 'spec.json';
const run = JSON.parse(fs.readFileSync(path.join(runDir, runFile), 'utf8')) as {
  spec: ModelSpec;
  command?: string;
  sources?: string;
  [k: string]: unknown;
};
// A run started from another run's weights (--init) lists that run's command too, back to the first.
const initChain: { run: string; command: string }[] = [];
for (let r = run, guard = 0; typeof r.init === 'string' && guard < 10; guard++) {
  const from = path.dirname(path.resolve(import.meta.dirname, '..', r.init));
  r = JSON.parse(fs.readFileSync(path.join(from, 'run.json'), 'utf8')) as typeof run;
  initChain.unshift({ run: path.basename(from), command: r.command ?? '' });
}
const model = buildModel(run.spec);
loadWeights(model, path.join(runDir, args.weights));

let metrics: Record<string, unknown> = {};
if (args.metrics) {
  const all = JSON.parse(fs.readFileSync(path.resolve(args.metrics), 'utf8')) as { models?: Record<string, Record<string, unknown>> };
  metrics = all.models?.[args['metrics-key'] || path.basename(runDir)] ?? {};
  delete metrics.acdcPerVolume;
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
    data: `${run.sources ?? 'checkpoint'} (../shared/data; ACDC: Bernard et al., IEEE TMI 2018; Sunnybrook: Radau et al., MIDAS 2009, CC0)`,
    command: run.command ?? `checkpoint ${args.weights} of ${path.basename(runDir)}`,
    ...(initChain.length ? { initialisedFrom: initChain } : {}),
    config: Object.fromEntries(Object.entries(run).filter(([k]) => !['history', 'command'].includes(k))),
  },
  metrics,
  label: args.label || undefined,
  makeDefault: args.default === 'true',
  force: args.force === 'true',
});
console.log(JSON.stringify({ event: 'exported', dir, parameters: manifest.parameters, flops: manifest.flopsPerImage, ...check }));

/**
 * Trains the teacher, or the student with or without layer-wise distillation.
 *
 *   node --import tsx src/commands/train.ts --model teacher --minutes 50 --name teacher
 *   node --import tsx src/commands/train.ts --model student --expansion 8 --distill runs/teacher --T 2 --W 0.5 --minutes 40
 *
 * Checkpoints go to runs/<name>/ every few minutes (weights + optimizer-free state); `--resume` continues;
 * `--init runs/<other>/final` starts from another run's weights with a fresh schedule.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_PREPROCESS, type PreprocessConfig } from '../../../src/core/preprocess';
import { NUM_CLASSES } from '../../../src/core/labels';
import { initTrainingBackend } from '../backend';
import { loadTrainingData } from '../data/datasets';
import { DEFAULT_AUGMENT, LEGACY_AUGMENT, makeBatch, sliceRefs, type SliceRef } from '../data/sampler';
import { defaultHeadWeights, layerwiseLoss, type DistillConfig } from '../losses';
import { buildModel, type ModelSpec } from '../models/spec';
import { readTeacherCache } from '../teacherCache';
import { liveTeacherLogits, loadTeacher } from '../liveTeacher';
import { cropDice } from '../validate';
import { makeRng, shuffle } from '../util/random';
import { loadWeights, saveWeights } from '../weights';
import { makeOptimizer, optimisationStep } from '../optim/step';
import { parseArgs } from '../util/args';
import { activeClock } from '../util/activeClock';
import { DATA_DIR, RUNS_DIR } from '../paths';

const args = parseArgs(process.argv.slice(2), {
  model: 'teacher',
  name: '',
  expansion: '8',
  features: '16,32,64,128,256',
  distill: '',
  // a teacher checkpoint (checkpoints/<run>/last) or run (runs/<run>) run on every batch instead of a logit cache
  'distill-live': '',
  T: '2',
  W: '0.5',
  // none: the abstract's loss as written; t2: the KL term times T^2 (Hinton et al.), see losses.ts
  'kd-scale': 'none',
  heads: '',
  minutes: '30',
  steps: '0',
  batch: '8',
  crop: '128',
  lr: '0.001',
  seed: '1',
  data: DATA_DIR,
  sources: 'acdc',
  'val-every': '300',
  'ckpt-minutes': '5',
  resume: 'false',
  init: '',
  optimizer: 'flat-adam',
  backend: 'tensorflow',
  limit: '0',
  // multivendor: the augmentation for unseen scanners (sampler.ts); legacy: the first models' recipe
  augment: 'multivendor',
  // poly: nnU-Net's lr (1 - progress)^0.9; cosine: half a cosine to 0; both after a linear warm-up
  schedule: 'poly',
  'warmup-steps': '0',
  // where `last` (the resumable checkpoint) and `best` (highest validation Dice) are written
  'checkpoint-dir': '',
  'val-crop': '128',
  // 1: the slice alone; 3: the slice with its neighbours above and below (src/core/preprocess contextSlices)
  channels: '1',
});

const backend = await initTrainingBackend(args.backend === 'cpu' ? 'cpu' : 'tensorflow');
const cfg: PreprocessConfig = DEFAULT_PREPROCESS;
const channels = Number(args.channels);
const spec: ModelSpec = {
  ...(args.model === 'teacher'
    ? { kind: 'teacher' as const, features: args.features.split(',').map(Number) }
    : { kind: 'student' as const, expansion: Number(args.expansion) }),
  ...(channels !== 1 ? { channels } : {}),
};
if (args.distill && args['distill-live']) throw new Error('--distill (a logit cache) and --distill-live (a teacher run on each batch): choose one');
if (channels !== 1 && (args.distill || args['distill-live'])) throw new Error('--distill caches one-channel teacher inputs; train a --channels 1 student to distil');
if (!['none', 't2'].includes(args['kd-scale'])) throw new Error(`--kd-scale must be none or t2, not ${args['kd-scale']}`);
const distill: DistillConfig | undefined = args.distill || args['distill-live']
  ? { temperature: Number(args.T), weight: Number(args.W), ...(args['kd-scale'] === 't2' ? { scaleT2: true } : {}) }
  : undefined;
const name =
  args.name ||
  (spec.kind === 'teacher' ? 'teacher' : `student-e${spec.expansion}${distill ? `-kd-T${distill.temperature}-W${distill.weight}${distill.scaleT2 ? '-t2' : ''}` : ''}`);
const runDir = path.join(RUNS_DIR, name);
fs.mkdirSync(runDir, { recursive: true });
const ckptDir = args['checkpoint-dir'] ? path.resolve(args['checkpoint-dir']) : runDir;
fs.mkdirSync(ckptDir, { recursive: true });
const augment = args.augment === 'legacy' ? LEGACY_AUGMENT : DEFAULT_AUGMENT;
if (!['multivendor', 'legacy'].includes(args.augment)) throw new Error(`--augment must be multivendor or legacy, not ${args.augment}`);
if (!['poly', 'cosine'].includes(args.schedule)) throw new Error(`--schedule must be poly or cosine, not ${args.schedule}`);
const log = (o: Record<string, unknown>): void => console.log(JSON.stringify({ t: new Date().toISOString().slice(11, 19), ...o }));

const data = await loadTrainingData(args.data, args.sources.split(','), Number(args.limit));
log({ event: 'data', backend, train: data.train.length, val: data.val.length, sources: args.sources });
const trainRefs = sliceRefs(data.train, cfg);
// Validation (split.json's `val` patients of every source): heart-centred crops as the app's second pass sees them.
const valRefs = sliceRefs(data.val, cfg);
const valCrop = Number(args['val-crop']);

let teacherCache: Map<string, Float32Array> | undefined;
if (args.distill) {
  teacherCache = readTeacherCache(path.resolve(args.distill), trainRefs.map((r) => r.key));
  log({ event: 'teacher-cache', entries: teacherCache.size });
}
const liveTeacher = args['distill-live'] ? loadTeacher(path.resolve(args['distill-live'])) : undefined;
if (liveTeacher) log({ event: 'teacher-live', weights: liveTeacher.weights, spec: liveTeacher.spec });

const model = buildModel(spec);
for (const d of new Set([runDir, ckptDir])) {
  fs.writeFileSync(path.join(d, 'spec.json'), JSON.stringify({ spec, distill: distill ?? null, sources: args.sources, command: `node --import tsx src/commands/train.ts ${process.argv.slice(2).join(' ')}` }));
}
const headWeights = args.heads ? args.heads.split(',').map(Number) : defaultHeadWeights(model.outputs.length);
const B = Number(args.batch);
const n = Number(args.crop);
const rng = makeRng(Number(args.seed));
const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
const optimizer = makeOptimizer(args.optimizer, vars, Number(args.lr));
let step = 0;
let elapsedMs = 0;
// --init DIR: start from another run's weights (e.g. runs/teacher/final) with a fresh step count and schedule
// (a warm restart); --resume continues this run's own checkpoint, step count and schedule.
if (args.init) {
  // A one-channel checkpoint can start a model with context: its first layer reads the middle channel (the slice
  // itself) and gives the neighbours zero weight, so training starts from the one-channel model's predictions.
  const meta = loadWeights(model, path.resolve(args.init), { widenInput: channels !== 1 });
  log({ event: 'init', from: args.init, step: meta.step ?? null });
}
let bestVal = -1;
let sessions: { started: string; fromStep: number }[] = [];
if (args.resume === 'true' && fs.existsSync(path.join(ckptDir, 'last', 'weights.json'))) {
  const meta = loadWeights(model, path.join(ckptDir, 'last'));
  step = Number(meta.step ?? 0);
  elapsedMs = Number(meta.elapsedMs ?? 0);
  bestVal = Number(meta.bestVal ?? -1);
  sessions = (meta.sessions as typeof sessions | undefined) ?? [];
  if (optimizer.loadState && fs.existsSync(path.join(ckptDir, 'last', 'optimizer.bin'))) {
    optimizer.loadState(path.join(ckptDir, 'last', 'optimizer.bin'));
  }
  log({ event: 'resume', step, minutes: +(elapsedMs / 60000).toFixed(1) });
}
sessions.push({ started: new Date().toISOString(), fromStep: step });

function trainStep(refs: SliceRef[], lr: number): number {
  optimizer.setLearningRate(lr);
  const batch = makeBatch(refs, n, cfg, augment, rng, teacherCache, channels);
  const allLabelled = refs.every((r) => r.vol.labelledClasses.length === NUM_CLASSES);
  return tf.tidy(() => {
    const x = tf.tensor4d(batch.x, [B, n, n, channels]);
    const y = tf.oneHot(tf.tensor1d(batch.y, 'int32'), NUM_CLASSES).reshape([B, n, n, NUM_CLASSES]).toFloat() as tf.Tensor4D;
    const merge = allLabelled ? null : tf.tensor3d(batch.merge, [B, NUM_CLASSES, NUM_CLASSES]);
    const teacher = batch.teacher
      ? tf.tensor4d(batch.teacher, [B, n, n, NUM_CLASSES])
      : liveTeacher
        ? liveTeacherLogits(liveTeacher.model, x)
        : undefined;
    return optimisationStep(
      () => layerwiseLoss(model.apply(x, { training: true }) as tf.Tensor4D[], y, merge, headWeights, teacher, distill),
      vars,
      optimizer,
    );
  });
}

const budgetMs = Number(args.minutes) * 60_000;
const totalSteps = Number(args.steps);
let order: SliceRef[] = [];
let cursor = 0;
const nextRefs = (): SliceRef[] => {
  const out: SliceRef[] = [];
  while (out.length < B) {
    if (cursor >= order.length) {
      order = shuffle(trainRefs, rng);
      cursor = 0;
    }
    out.push(order[cursor++]!);
  }
  return out;
};

const baseLr = Number(args.lr);
const meta = (): Record<string, unknown> => ({ step, elapsedMs: Math.round(clock.ms), bestVal, sessions, command: process.argv.slice(2).join(' ') });
function checkpoint(which: 'last' | 'best'): void {
  const dir = path.join(ckptDir, which);
  saveWeights(model, dir, meta());
  if (which === 'last' && optimizer.saveState) optimizer.saveState(path.join(dir, 'optimizer.bin'));
}
function validateAndKeepBest(): void {
  const bySource: Record<string, Record<string, number>> = {};
  for (const source of [...new Set(valRefs.map((r) => r.vol.source))]) {
    bySource[source] = cropDice(model, valRefs.filter((r) => r.vol.source === source), valCrop, cfg);
  }
  const means = Object.values(bySource).map((d) => d.mean!);
  const mean = means.length ? +(means.reduce((a, b) => a + b, 0) / means.length).toFixed(4) : 0;
  history.push({ step, loss: emaLoss, mean, ...bySource });
  log({ event: 'val', step, mean, ...bySource });
  if (mean > bestVal) {
    bestVal = mean;
    checkpoint('best');
    log({ event: 'best', step, mean });
  }
}
let lastCkpt = Date.now();
let emaLoss = NaN;
// Time-budgeted schedules follow working time: a stopped process (SIGSTOP during a benchmark) or a slept machine
// does not eat into the budget; a gap between steps counts at most one minute.
const clock = activeClock(elapsedMs, 60_000);
const history: Record<string, unknown>[] = [];
for (;;) {
  // Poly learning rate (nnU-Net: lr (1 - progress)^0.9). A time-budgeted run measures progress in time,
  // so it ends on schedule however busy the machine is; --steps fixes it in steps instead.
  const progress = totalSteps ? step / totalSteps : clock.ms / budgetMs;
  if (progress >= 1) break;
  if (step === 20) log({ event: 'speed', msPerStep: Math.round((clock.ms - elapsedMs) / 20), msPerImage: Math.round((clock.ms - elapsedMs) / 20 / B) });
  const warmup = Number(args['warmup-steps']);
  const decay = args.schedule === 'cosine' ? 0.5 * (1 + Math.cos(Math.PI * progress)) : Math.pow(1 - progress, 0.9);
  const lr = baseLr * decay * (warmup > 0 && step < warmup ? (step + 1) / warmup : 1);
  const l = trainStep(nextRefs(), lr);
  clock.tick();
  emaLoss = Number.isNaN(emaLoss) ? l : 0.98 * emaLoss + 0.02 * l;
  step++;
  if (step % 25 === 0) log({ step, loss: +emaLoss.toFixed(4), lr: +lr.toExponential(2), min: +(clock.ms / 60000).toFixed(1) });
  if (step % Number(args['val-every']) === 0) validateAndKeepBest();
  if (Date.now() - lastCkpt > Number(args['ckpt-minutes']) * 60_000) {
    checkpoint('last');
    lastCkpt = Date.now();
  }
}
if (step % Number(args['val-every']) !== 0) validateAndKeepBest();
checkpoint('last');
saveWeights(model, path.join(runDir, 'final'), meta());
const run = {
  name,
  spec,
  distill: distill ?? null,
  headWeights,
  preprocess: cfg,
  crop: n,
  batch: B,
  steps: step,
  minutes: +(clock.ms / 60000).toFixed(1),
  sessions,
  augment: args.augment,
  schedule: args.schedule,
  bestVal,
  backend,
  sources: args.sources,
  init: args.init || null,
  optimizer: args.optimizer,
  trainVolumes: data.train.length,
  trainSlices: trainRefs.length,
  valPatients: [...new Set(data.val.map((v) => v.patient))],
  history,
  command: `node --import tsx src/commands/train.ts ${process.argv.slice(2).join(' ')}`,
};
fs.writeFileSync(path.join(runDir, 'run.json'), JSON.stringify(run, null, 1));
log({ event: 'done', runDir, steps: step });

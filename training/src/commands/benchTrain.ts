/**
 * Training speed per model and input size on the training backend: forward ms/image, training-step
 * ms/image and images/s, with the real layer-wise loss (deep supervision; the student with distillation
 * against random teacher logits). Prints a table and writes bench/train-speed.json.
 *
 *   npm run bench:train            (in training/)   [-- --sizes 128,192 --batch 8 --reps 5 --models teacher,student
 *                                                       --optimizer flat-adam|adam]
 *
 * TF_ENABLE_ONEDNN_OPTS=0 in the environment measures TensorFlow without its oneDNN kernels (src/backend.ts turns
 * them on by default).
 *
 * TensorFlow's thread pools follow TF_NUM_INTRAOP_THREADS / TF_NUM_INTEROP_THREADS (read once, at start-up);
 * src/commands/benchThreads.ts runs this script under several settings and batch sizes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { NUM_CLASSES } from '../../../src/core/labels';
import { initTrainingBackend } from '../backend';
import { defaultHeadWeights, layerwiseLoss } from '../losses';
import { buildModel, type ModelSpec } from '../models/spec';
import { parseArgs } from '../util/args';
import { makeOptimizer, optimisationStep } from '../optim/step';
import { foldedGraphFlops, foldGraph } from '../export/foldGraph';
import { TRAINING_DIR } from '../paths';

const args = parseArgs(process.argv.slice(2), {
  sizes: '128,192',
  batch: '8',
  reps: '5',
  backend: 'tensorflow',
  models: 'teacher,student',
  optimizer: 'flat-adam',
  out: path.join(TRAINING_DIR, 'bench', 'train-speed.json'),
});
const backend = await initTrainingBackend(args.backend === 'cpu' ? 'cpu' : 'tensorflow');
const B = Number(args.batch);
const reps = Number(args.reps);
const specs = (
  [
    ['teacher', { kind: 'teacher', features: [16, 32, 64, 128, 256] }],
    ['student', { kind: 'student', expansion: 8 }],
  ] as [string, ModelSpec][]
).filter(([name]) => args.models.split(',').includes(name));
const rows: Record<string, unknown>[] = [];
/**
 * What the machine allows: GFLOP/s of a large matrix product and of a 3x3 convolution (batch 8, 128x128,
 * 64 -> 64 channels), the dense kernels that bound a training step.
 */
function peakGflops(): { matMul: number; conv3x3: number } {
  const time = (f: () => tf.Tensor, flops: number): number => {
    const run = (): void => {
      tf.tidy(() => {
        f().dataSync();
      });
    };
    run();
    const ts: number[] = [];
    for (let i = 0; i < Math.max(3, reps); i++) {
      const t = performance.now();
      run();
      ts.push(performance.now() - t);
    }
    return +(flops / median(ts) / 1e6).toFixed(1);
  };
  const a = tf.randomNormal<tf.Rank.R2>([2048, 2048]);
  const x = tf.randomNormal<tf.Rank.R4>([8, 128, 128, 64]);
  const w = tf.randomNormal<tf.Rank.R4>([3, 3, 64, 64]);
  const out = {
    matMul: time(() => tf.matMul(a, a), 2 * 2048 ** 3),
    conv3x3: time(() => tf.conv2d(x, w, 1, 'same'), 2 * 8 * 128 * 128 * 9 * 64 * 64),
  };
  tf.dispose([a, x, w]);
  return out;
}
const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const size of args.sizes.split(',').map(Number)) {
  for (const [name, spec] of specs) {
    const model = buildModel(spec);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const opt = makeOptimizer(args.optimizer, vars, 1e-3);
    const x = tf.randomUniform<tf.Rank.R4>([B, size, size, 1]);
    const labels = tf.randomUniform<tf.Rank.R1>([B * size * size], 0, NUM_CLASSES, 'int32');
    const y = tf.oneHot(labels, NUM_CLASSES).reshape<tf.Tensor4D>([B, size, size, NUM_CLASSES]).toFloat();
    const teacher = spec.kind === 'student' ? tf.randomNormal<tf.Rank.R4>([B, size, size, NUM_CLASSES]) : undefined;
    const weights = defaultHeadWeights(model.outputs.length);
    const step = (): void => {
      optimisationStep(
        () => layerwiseLoss(model.apply(x, { training: true }) as tf.Tensor4D[], y, null, weights, teacher, teacher ? { weight: 0.5, temperature: 2 } : undefined),
        vars,
        opt,
      );
    };
    const forward = (): void => {
      tf.tidy(() => {
        (model.predict(x) as tf.Tensor[])[0]!.sum().dataSync();
      });
    };
    step();
    step();
    forward();
    const stepMs: number[] = [];
    const fwdMs: number[] = [];
    for (let i = 0; i < reps; i++) {
      let t = performance.now();
      step();
      stepMs.push(performance.now() - t);
      t = performance.now();
      forward();
      fwdMs.push(performance.now() - t);
    }
    const folded = foldGraph(model);
    // Forward FLOPs of the deployed (folded) graph; a training step costs about 3x (forward, the gradient with
    // respect to the input and with respect to the weights of every convolution).
    const gflop = foldedGraphFlops(folded, size) / 1e9;
    const row = {
      model: name,
      size,
      batch: B,
      params: model.countParams(),
      forwardGflopPerImage: +gflop.toFixed(3),
      trainGflopPerSec: +((3 * gflop * 1000) / (median(stepMs) / B)).toFixed(1),
      forwardMsPerImage: +(median(fwdMs) / B).toFixed(1),
      trainStepMsPerImage: +(median(stepMs) / B).toFixed(1),
      trainImagesPerSec: +((1000 * B) / median(stepMs)).toFixed(1),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
    tf.dispose([x, y, labels, ...(teacher ? [teacher] : [])]);
    model.dispose();
  }
}
console.table(rows);
const peak = peakGflops();
console.log(`peak GFLOP/s: matMul 2048 ${peak.matMul}, conv 3x3 ${peak.conv3x3}`);
const out = {
  backend,
  created: new Date().toISOString(),
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  optimizer: args.optimizer,
  oneDnn: process.env.TF_ENABLE_ONEDNN_OPTS === '1',
  threads: { intraOp: process.env.TF_NUM_INTRAOP_THREADS ?? 'TensorFlow default', interOp: process.env.TF_NUM_INTEROP_THREADS ?? 'TensorFlow default' },
  loadAverageAtEnd: os.loadavg().map((l) => +l.toFixed(2)),
  note: 'median of reps after 2 warm-up steps; the layer-wise loss as in training (student: with distillation)',
  peakGflopPerSec: peak,
  rows,
};
fs.mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
fs.writeFileSync(path.resolve(args.out), JSON.stringify(out, null, 1) + '\n');

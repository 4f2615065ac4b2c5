/**
 * How strongly each term of the layer-wise loss pulls on a trained student: the norm of the gradient of the hard
 * loss and of the paper's KL term (T = 1, 2, 4) with respect to the student's full-resolution logits, averaged
 * over a few augmented training batches against a teacher's cached TTA logits. Writes reports/kd-gradients.json.
 *
 *   node --import tsx src/commands/kdGradients.ts --student runs/student-e8-nokd-r2 --teacher runs/teacher-1.1
 */
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_PREPROCESS } from '../../../src/core/preprocess';
import { NUM_CLASSES } from '../../../src/core/labels';
import { initTrainingBackend } from '../backend';
import { loadTrainingData } from '../data/datasets';
import { DEFAULT_AUGMENT, makeBatch, sliceRefs } from '../data/sampler';
import { diceCe, klDistill } from '../losses';
import { buildModel, type ModelSpec } from '../models/spec';
import { readTeacherCache } from '../teacherCache';
import { parseArgs } from '../util/args';
import { makeRng, shuffle } from '../util/random';
import { loadWeights } from '../weights';
import { DATA_DIR, REPORTS_DIR } from '../paths';

const args = parseArgs(process.argv.slice(2), {
  student: 'runs/student-e8-nokd-r2',
  teacher: 'runs/teacher-1.1',
  data: DATA_DIR,
  batches: '6',
  batch: '8',
  crop: '112',
  seed: '7',
  out: path.join(REPORTS_DIR, 'kd-gradients.json'),
});
const backend = await initTrainingBackend();
const cfg = DEFAULT_PREPROCESS;
const refs = sliceRefs((await loadTrainingData(args.data, ['acdc'], 0)).train, cfg);
const cache = readTeacherCache(path.resolve(args.teacher), refs.map((r) => r.key));
const studentDir = path.resolve(args.student);
const { spec } = JSON.parse(fs.readFileSync(path.join(studentDir, 'run.json'), 'utf8')) as { spec: ModelSpec };
const model = buildModel(spec);
loadWeights(model, path.join(studentDir, 'final'));
const rng = makeRng(Number(args.seed));
const order = shuffle(refs, rng);
const B = Number(args.batch);
const n = Number(args.crop);
const batches = Number(args.batches);
const temperatures = [1, 2, 4];
const sum: Record<string, number> = {};
const add = (k: string, v: number): void => void (sum[k] = (sum[k] ?? 0) + v / batches);
for (let b = 0; b < batches; b++) {
  const batch = makeBatch(order.slice(b * B, (b + 1) * B), n, cfg, DEFAULT_AUGMENT, rng, cache);
  tf.tidy(() => {
    const x = tf.tensor4d(batch.x, [B, n, n, 1]);
    const y = tf.oneHot(tf.tensor1d(batch.y, 'int32'), NUM_CLASSES).reshape<tf.Tensor4D>([B, n, n, NUM_CLASSES]).toFloat();
    const teacher = tf.tensor4d(batch.teacher!, [B, n, n, NUM_CLASSES]);
    const q = (model.apply(x, { training: false }) as tf.Tensor4D[])[0]!;
    const gradNorm = (loss: (z: tf.Tensor4D) => tf.Scalar): number => tf.norm(tf.grad((z) => loss(z as tf.Tensor4D))(q)).dataSync()[0]!;
    add('hard', gradNorm((z) => diceCe(z, y, null)));
    for (const T of temperatures) add(`kl_T${T}`, gradNorm((z) => klDistill(teacher, z, T)));
  });
}
const report = {
  created: new Date().toISOString(),
  backend,
  command: `node --import tsx src/commands/kdGradients.ts ${process.argv.slice(2).join(' ')}`.trim(),
  student: args.student,
  teacher: args.teacher,
  images: batches * B,
  crop: n,
  note: 'mean over batches of ||d loss / d logits|| at the full-resolution head; klTimesT2 = the KL gradient with --kd-scale t2',
  gradNorm: Object.fromEntries(Object.entries(sum).map(([k, v]) => [k, +v.toExponential(3)])),
  klTimesT2: Object.fromEntries(temperatures.map((T) => [`kl_T${T}`, +(sum[`kl_T${T}`]! * T * T).toExponential(3)])),
};
fs.writeFileSync(args.out, JSON.stringify(report, null, 1) + '\n');
console.log(JSON.stringify(report, null, 1));

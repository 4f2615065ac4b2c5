/**
 * ISMRM 2024 #2094 Table 1 for this student: expansion ratio vs parameters, FLOPs and ms/frame of the
 * deployed (folded) graph through the app's engine on tfjs's WASM backend (the browser's kernels, here in
 * Node, one thread), at the model input size, batch 1 and batch 10. Dice comes from evaluation.json for
 * the ratios that were trained. Writes reports/table1.json.
 *
 *   node --import tsx src/commands/table1.ts [--ratios 1,2,4,6,8] [--reps 10]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { DEFAULT_PREPROCESS } from '../../../src/core/preprocess';
import { loadGraph, runGraph } from '../../../src/segment/graph';
import { foldedGraphFlops, foldGraph } from '../export/foldGraph';
import { packWeights } from '../export/pack';
import { buildStudent, studentWithExpansion } from '../models/student';
import { buildTeacher } from '../models/teacher';
import { parseArgs } from '../util/args';
import { REPORTS_DIR } from '../paths';

const args = parseArgs(process.argv.slice(2), { ratios: '1,2,4,6,8', reps: '10', backend: 'wasm' });
await tf.setBackend(args.backend);
await tf.ready();
const n = DEFAULT_PREPROCESS.inputSize;
const reps = Number(args.reps);
const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timeGraph(model: tf.LayersModel, batch: number): { params: number; flops: number; msPerFrame: number } {
  const folded = foldGraph(model);
  const { json, bytes } = packWeights(folded, 'float32');
  const g = loadGraph(json, bytes);
  const x = tf.randomUniform<tf.Rank.R4>([batch, n, n, 1]);
  const run = (): void => {
    tf.tidy(() => {
      runGraph(g, x).dataSync();
    });
  };
  run();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    run();
    ts.push(performance.now() - t);
  }
  x.dispose();
  g.tensors.forEach((t) => t.dispose());
  return { params: folded.weights.reduce((a, w) => a + w.values.length, 0), flops: foldedGraphFlops(folded, n), msPerFrame: median(ts) / batch };
}

const evalFile = path.join(REPORTS_DIR, 'evaluation.json');
const evaluation = fs.existsSync(evalFile)
  ? (JSON.parse(fs.readFileSync(evalFile, 'utf8')) as { models: Record<string, { acdc?: Record<string, number> }> })
  : { models: {} };
const rows: Record<string, unknown>[] = [];
for (const e of args.ratios.split(',').map(Number)) {
  const model = buildStudent(studentWithExpansion(e));
  const b1 = timeGraph(model, 1);
  const b10 = timeGraph(model, 10);
  const trained = Object.entries(evaluation.models).filter(([k]) => k.startsWith(`student-e${e}`));
  const row = {
    model: `student E=${e}`,
    params: b1.params,
    gflops: +(b1.flops / 1e9).toFixed(3),
    msPerFrameBatch1: +b1.msPerFrame.toFixed(1),
    msPerFrameBatch10: +b10.msPerFrame.toFixed(1),
    dice: Object.fromEntries(trained.map(([k, v]) => [k, v.acdc?.dice_mean])),
  };
  rows.push(row);
  console.log(JSON.stringify(row));
  model.dispose();
}
{
  const teacher = buildTeacher({ features: [16, 32, 64, 128, 256] });
  const b1 = timeGraph(teacher, 1);
  const row = { model: 'teacher (one pass; TTA = 8 passes)', params: b1.params, gflops: +(b1.flops / 1e9).toFixed(3), msPerFrameBatch1: +b1.msPerFrame.toFixed(1), msPerFrameBatch1Tta: +(8 * b1.msPerFrame).toFixed(1) };
  rows.push(row);
  console.log(JSON.stringify(row));
}
const out = {
  backend: tf.getBackend(),
  inputSize: n,
  created: new Date().toISOString(),
  cpus: os.cpus().length,
  loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
  note: 'folded graph through src/segment/graph.ts; median of reps after one warm-up; Node, tfjs WASM backend (SIMD, one thread)',
  rows,
};
fs.mkdirSync(path.dirname(evalFile), { recursive: true });
fs.writeFileSync(path.join(REPORTS_DIR, 'table1.json'), JSON.stringify(out, null, 1) + '\n');

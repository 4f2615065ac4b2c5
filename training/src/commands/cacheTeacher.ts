/**
 * Caches the teacher's logits (8-fold flip/rotation TTA) on the whole canvas of every training slice, so
 * that distillation costs one student forward/backward per step and no teacher forward.
 *
 *   node --import tsx src/commands/cacheTeacher.ts --teacher runs/teacher --sources acdc,sunnybrook
 */
import path from 'node:path';
import { DEFAULT_PREPROCESS } from '../../../src/core/preprocess';
import { initTrainingBackend } from '../backend';
import { loadTrainingData } from '../data/datasets';
import { canvasImage, sliceRefs } from '../data/sampler';
import { buildModel, type ModelSpec } from '../models/spec';
import { predictLogits } from '../predict';
import { writeTeacherCache } from '../teacherCache';
import { parseArgs } from '../util/args';
import { loadWeights } from '../weights';
import fs from 'node:fs';
import { DATA_DIR } from '../paths';

const args = parseArgs(process.argv.slice(2), {
  teacher: 'runs/teacher',
  sources: 'acdc,sunnybrook',
  data: DATA_DIR,
  tta: 'true',
  limit: '0',
  backend: 'tensorflow',
});
await initTrainingBackend(args.backend === 'cpu' ? 'cpu' : 'tensorflow');
const cfg = DEFAULT_PREPROCESS;
const runDir = path.resolve(args.teacher);
const run = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as { spec: ModelSpec };
const model = buildModel(run.spec);
loadWeights(model, path.join(runDir, 'final'));
const data = await loadTrainingData(args.data, args.sources.split(','), Number(args.limit));
const refs = sliceRefs(data.train, cfg);
const n = cfg.inputSize;
const cache = new Map<string, Float32Array>();
const t0 = Date.now();
const chunk = 16;
for (let s = 0; s < refs.length; s += chunk) {
  const part = refs.slice(s, s + chunk);
  const images = new Float32Array(part.length * n * n);
  part.forEach((r, i) => images.set(canvasImage(r.vol, r.slice, cfg), i * n * n));
  const logits = predictLogits(model, images, part.length, n, 8, args.tta === 'true');
  part.forEach((r, i) => cache.set(r.key, logits.slice(i * n * n * 4, (i + 1) * n * n * 4)));
  if ((s / chunk) % 10 === 0) console.log(JSON.stringify({ done: s + part.length, of: refs.length, s: Math.round((Date.now() - t0) / 1000) }));
}
writeTeacherCache(runDir, cache);
console.log(JSON.stringify({ event: 'cached', slices: cache.size, seconds: Math.round((Date.now() - t0) / 1000) }));

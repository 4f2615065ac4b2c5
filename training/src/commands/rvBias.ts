/**
 * Is the end-systolic RV lost because the model is merely under-confident there? The ES (and ED) RV Dice of ACDC
 * patients through the app's engine (128 heart crop, anatomical clean-up) when a bias b is added to the RV logit
 *   - `global<b>`: on every ES slice (`edGlobal<b>`: every ED slice);
 *   - `slice<b>f<f>`: only on ES slices where the ED segmentation has RV (> 50 px) and ES has at most f times that
 *     (the apical slices of an under-segmented ES RV, as in the lost frame patient012 ES).
 * Each entry is [mean Dice, frames below 0.5]. A bias worth building in must gain on training and validation patients.
 *
 *   node --import tsx src/commands/rvBias.ts --model student@1.3.0 --sets train,val,test --out reports/rv-bias.json
 */
import fs from 'node:fs';
import path from 'node:path';
import { Label, NUM_CLASSES } from '../../../src/core/labels';
import { dice } from '../../../src/core/metrics';
import { postprocessFrame } from '../../../src/core/postprocess';
import { scoresToImageLabels } from '../../../src/core/preprocess';
import { modelInputs, planSeries, predictLogits } from '../../../src/segment/engine';
import { initTrainingBackend } from '../backend';
import { engineVolume, loadPublishedModel } from '../engineIo';
import { loadAcdcPatient } from '../data/acdc';
import { readAcdcInfo } from '../data/acdcInfo';
import { readSplit } from '../data/datasets';
import type { TrainVolume } from '../data/trainVolume';
import { DATA_DIR, REPORTS_DIR } from '../paths';
import { parseArgs } from '../util/args';

const args = parseArgs(process.argv.slice(2), { model: 'student@1.3.0', sets: 'train,val,test', data: DATA_DIR, out: path.join(REPORTS_DIR, 'rv-bias.json') });
await initTrainingBackend();
const model = await loadPublishedModel(args.model);

function logitsOf(t: TrainVolume) {
  const volume = engineVolume([t], t);
  const { plan } = planSeries(model, volume, { cropPx: 128 });
  const n = plan.cfg.inputSize;
  const all = Array.from({ length: t.slices }, (_, s) => s);
  return { logits: predictLogits(model, modelInputs(model, volume, plan, 0, all), t.slices, false, n), plan, n };
}

function labelsWith(t: TrainVolume, L: ReturnType<typeof logitsOf>, biasOf: (s: number) => number): Uint8Array {
  const plane = t.cols * t.rows;
  const out = new Uint8Array(t.slices * plane);
  const per = L.n * L.n * NUM_CLASSES;
  for (let s = 0; s < t.slices; s++) {
    const sc = L.logits.slice(s * per, (s + 1) * per);
    const b = biasOf(s);
    if (b) for (let i = Label.RVCavity; i < sc.length; i += NUM_CLASSES) sc[i]! += b;
    scoresToImageLabels(sc, L.n, L.plan.geometry, L.plan.map, NUM_CLASSES, out.subarray(s * plane, (s + 1) * plane));
  }
  postprocessFrame(out, { cols: t.cols, rows: t.rows, slices: t.slices });
  return out;
}
const rvArea = (lab: Uint8Array, plane: number, s: number) => { let k = 0; for (let i = s * plane; i < (s + 1) * plane; i++) if (lab[i] === Label.RVCavity) k++; return k; };

const BIASES = [0.5, 1, 1.5, 2, 3];
const FRACS = [0, 0.25, 0.5];
const report: { model: string; created: string; sets: Record<string, unknown> } = { model: args.model, created: new Date().toISOString(), sets: {} };
const split = readSplit();
const infos = readAcdcInfo(path.join(args.data, 'acdc'));
for (const set of args.sets.split(',') as ('train' | 'val' | 'test')[]) {
  const ids = split.acdc[set];
  const acc: Record<string, number[]> = {};
  const add = (k: string, v: number) => (acc[k] ??= []).push(v);
  for (const info of infos.filter((i) => ids.includes(i.patient))) {
    const [ed, es] = await loadAcdcPatient(path.join(args.data, 'acdc'), info);
    const plane = ed!.cols * ed!.rows;
    const Led = logitsOf(ed!);
    const Les = logitsOf(es!);
    const edLab = labelsWith(ed!, Led, () => 0);
    const esBase = labelsWith(es!, Les, () => 0);
    const edRv = Array.from({ length: ed!.slices }, (_, s) => rvArea(edLab, plane, s));
    const esRv = Array.from({ length: ed!.slices }, (_, s) => rvArea(esBase, plane, s));
    const d = (lab: Uint8Array) => dice(lab, es!.labels, Label.RVCavity);
    add('base', d(esBase));
    add('edBase', dice(edLab, ed!.labels, Label.RVCavity));
    for (const b of BIASES) {
      add(`global${b}`, d(labelsWith(es!, Les, () => b)));
      add(`edGlobal${b}`, dice(labelsWith(ed!, Led, () => b), ed!.labels, Label.RVCavity));
      for (const f of FRACS) add(`slice${b}f${f}`, d(labelsWith(es!, Les, (s) => (edRv[s]! > 50 && esRv[s]! <= f * edRv[s]! ? b : 0))));
    }
  }
  const mean = (xs: number[]) => +(xs.reduce((a, c) => a + c, 0) / xs.length).toFixed(4);
  const lost = (xs: number[]) => xs.filter((x) => x < 0.5).length;
  report.sets[set] = Object.fromEntries(Object.entries(acc).map(([k, v]) => [k, [mean(v), lost(v)]]));
  console.log(set, JSON.stringify(report.sets[set]));
}
fs.mkdirSync(path.dirname(args.out), { recursive: true });
fs.writeFileSync(args.out, JSON.stringify(report, null, 1) + '\n');
console.log(`wrote ${args.out}`);

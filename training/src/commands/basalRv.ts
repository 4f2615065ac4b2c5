/**
 * Where the end-systolic right ventricle goes wrong, slice by slice, on ACDC patients (slice 0 is the base in
 * ACDC): for each patient, the RV areas at ED and ES (model through the app's engine vs experts), then
 *   - `oracle`: the ES RV Dice if every ES slice above the experts' first RV slice had no RV (what is lost to
 *     basal slices the experts left empty: at ES the base descends and that slice shows the atrium);
 *   - `rule f`: a mask-level ED/ES rule, "at ES drop the RV of the most basal RV slice when the ED RV starts on
 *     the same slice and the ES area there is below f times the ED area", for a grid of f.
 * A rule is worth building into the clean-up only if it gains on the training and validation patients.
 *
 *   node --import tsx src/commands/basalRv.ts --model student@1.3.0 --sets train,val,test --out reports/basal-rv.json
 */
import fs from 'node:fs';
import path from 'node:path';
import { Label } from '../../../src/core/labels';
import { initTrainingBackend } from '../backend';
import { loadPublishedModel, segmentTrainVolume } from '../engineIo';
import { loadAcdcPatient } from '../data/acdc';
import { readAcdcInfo } from '../data/acdcInfo';
import { readSplit } from '../data/datasets';
import type { TrainVolume } from '../data/trainVolume';
import { DATA_DIR, REPORTS_DIR } from '../paths';
import { parseArgs } from '../util/args';

const args = parseArgs(process.argv.slice(2), {
  model: 'student@1.3.0',
  sets: 'train,val,test',
  crop: '128',
  data: DATA_DIR,
  out: path.join(REPORTS_DIR, 'basal-rv.json'),
});
await initTrainingBackend();
const model = await loadPublishedModel(args.model);

const segment = (t: TrainVolume): Uint8Array => segmentTrainVolume(model, t, Number(args.crop));

/** Per slice: ED model / expert RV area, ES model / expert area and their overlap (pixels). */
interface SliceRv {
  edModel: number;
  edExpert: number;
  esModel: number;
  esExpert: number;
  esOverlap: number;
}

function rvSlices(ed: TrainVolume, es: TrainVolume, edPred: Uint8Array, esPred: Uint8Array): SliceRv[] {
  const n = ed.cols * ed.rows;
  return Array.from({ length: ed.slices }, (_, s) => {
    const r: SliceRv = { edModel: 0, edExpert: 0, esModel: 0, esExpert: 0, esOverlap: 0 };
    for (let i = s * n; i < (s + 1) * n; i++) {
      if (edPred[i] === Label.RVCavity) r.edModel++;
      if (ed.labels[i] === Label.RVCavity) r.edExpert++;
      const m = esPred[i] === Label.RVCavity;
      const e = es.labels[i] === Label.RVCavity;
      if (m) r.esModel++;
      if (e) r.esExpert++;
      if (m && e) r.esOverlap++;
    }
    return r;
  });
}

/** ES RV Dice with the RV of the `dropped` slices removed. */
function esDice(sl: SliceRv[], dropped: Set<number>): number {
  let t = 0;
  let p = 0;
  let i = 0;
  sl.forEach((x, s) => {
    t += x.esExpert;
    if (dropped.has(s)) return;
    p += x.esModel;
    i += x.esOverlap;
  });
  return t + p ? (2 * i) / (t + p) : 1;
}

const oracleDrop = (sl: SliceRv[]): Set<number> => {
  const first = sl.findIndex((x) => x.esExpert > 0);
  return new Set(sl.map((_, s) => s).filter((s) => first >= 0 && s < first));
};

function ruleDrop(sl: SliceRv[], f: number): Set<number> {
  const es = sl.findIndex((x) => x.esModel > 0);
  const ed = sl.findIndex((x) => x.edModel > 0);
  if (es < 0 || es !== ed || sl.filter((x) => x.esModel > 0).length < 2) return new Set();
  return sl[es]!.esModel < f * sl[es]!.edModel ? new Set([es]) : new Set();
}

const FS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0];
const mean = (xs: number[]): number => +(xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1)).toFixed(4);
const split = readSplit();
const infos = readAcdcInfo(path.join(args.data, 'acdc'));
const report: Record<string, unknown> = { model: args.model, crop: Number(args.crop), created: new Date().toISOString(), sets: {} };
for (const set of args.sets.split(',') as ('train' | 'val' | 'test')[]) {
  const ids = split.acdc[set];
  const patients: { patient: string; slices: SliceRv[]; esDice: number; oracle: number; basalFalseSlices: number }[] = [];
  for (const info of infos.filter((i) => ids.includes(i.patient))) {
    const [ed, es] = await loadAcdcPatient(path.join(args.data, 'acdc'), info);
    const sl = rvSlices(ed!, es!, segment(ed!), segment(es!));
    const drop = oracleDrop(sl);
    patients.push({
      patient: info.patient,
      slices: sl,
      esDice: +esDice(sl, new Set()).toFixed(4),
      oracle: +esDice(sl, drop).toFixed(4),
      basalFalseSlices: [...drop].filter((s) => sl[s]!.esModel > 100).length,
    });
  }
  const base = mean(patients.map((p) => p.esDice));
  const summary = {
    patients: patients.length,
    esRvDice: base,
    oracleBasal: mean(patients.map((p) => p.oracle)),
    framesWithBasalFalseRv: patients.filter((p) => p.basalFalseSlices > 0).length,
    rule: Object.fromEntries(FS.map((f) => [f, +(mean(patients.map((p) => esDice(p.slices, ruleDrop(p.slices, f)))) - base).toFixed(4)])),
  };
  (report.sets as Record<string, unknown>)[set] = { summary, patients };
  console.log(set, JSON.stringify(summary));
}
fs.mkdirSync(path.dirname(args.out), { recursive: true });
fs.writeFileSync(args.out, JSON.stringify(report, null, 1) + '\n');
console.log(`wrote ${args.out}`);

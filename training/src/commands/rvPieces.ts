/**
 * Should the anatomical clean-up keep more than one RV component? An under-segmented RV can break into pieces along
 * the long axis (held-out patient012 ES: the model's apical RV is a separate piece that the clean-up deletes). For
 * ACDC and M&Ms patients of the chosen sets, the model's raw labels (the app's engine, 128 heart crop) go through the
 * anatomical clean-up with each further-RV-component rule (src/core/postprocess RvExtraRule) of a grid: RV Dice at
 * ED and ES, frames with RV Dice below 0.5, and RVEF mean absolute error (voxel counts; exact without a real
 * spacing, as EF is a ratio). A rule is worth making the default only if it gains on training and validation patients.
 *
 *   node --import tsx src/commands/rvPieces.ts --model student@1.3.0 --sets train,val,test --out reports/rv-pieces.json
 */
import fs from 'node:fs';
import path from 'node:path';
import { Label } from '../../../src/core/labels';
import { dice } from '../../../src/core/metrics';
import { postprocessFrame, type RvExtraRule } from '../../../src/core/postprocess';
import { initTrainingBackend } from '../backend';
import { loadPublishedModel, segmentTrainVolume } from '../engineIo';
import { loadAcdcPatient } from '../data/acdc';
import { readAcdcInfo } from '../data/acdcInfo';
import { readSplit } from '../data/datasets';
import { loadMnmsPairs } from '../data/mnmsCrops';
import type { TrainVolume } from '../data/trainVolume';
import { DATA_DIR, REPORTS_DIR } from '../paths';
import { parseArgs } from '../util/args';

const args = parseArgs(process.argv.slice(2), {
  model: 'student@1.3.0',
  sets: 'train,val,test',
  crop: '128',
  data: DATA_DIR,
  out: path.join(REPORTS_DIR, 'rv-pieces.json'),
});
await initTrainingBackend();
const model = await loadPublishedModel(args.model);

const RULES: { key: string; rule: RvExtraRule | null }[] = [{ key: 'one', rule: null }];
for (const otherSlices of [true, false]) {
  for (const minNearFraction of [0.1, 0.25, 0.5]) {
    for (const minVoxels of [20, 50, 100]) {
      RULES.push({ key: `${otherSlices ? 'other' : 'any'}-near${minNearFraction}-min${minVoxels}`, rule: { minNearFraction, minVoxels, otherSlices } });
    }
  }
}

const raw = (t: TrainVolume): Uint8Array => segmentTrainVolume(model, t, Number(args.crop), { postprocess: false });
const count = (lab: Uint8Array, l: number): number => lab.reduce((a, v) => a + (v === l ? 1 : 0), 0);

interface Pair {
  patient: string;
  ed: TrainVolume;
  es: TrainVolume;
}
const split = readSplit();
const infos = readAcdcInfo(path.join(args.data, 'acdc'));
const report: { model: string; created: string; rules: typeof RULES; sets: Record<string, unknown> } = {
  model: args.model,
  created: new Date().toISOString(),
  rules: RULES,
  sets: {},
};
for (const set of args.sets.split(',') as ('train' | 'val' | 'test')[]) {
  const groups: Record<string, Pair[]> = { acdc: [] };
  for (const info of infos.filter((i) => split.acdc[set].includes(i.patient))) {
    const [ed, es] = await loadAcdcPatient(path.join(args.data, 'acdc'), info);
    groups.acdc!.push({ patient: info.patient, ed: ed!, es: es! });
  }
  const mnmsIds = split.mnms?.[set] ?? [];
  if (mnmsIds.length) groups.mnms = loadMnmsPairs(path.join(args.data, 'mnms'), mnmsIds);
  for (const [source, pairs] of Object.entries(groups)) {
    const rows = pairs.map((p) => ({ p, edRaw: raw(p.ed), esRaw: raw(p.es) }));
    const summary: Record<string, unknown> = {};
    for (const { key, rule } of RULES) {
      let edDice = 0;
      let esDice = 0;
      let lost = 0;
      let efErr = 0;
      const lostList: string[] = [];
      for (const { p, edRaw, esRaw } of rows) {
        const clean = (r: Uint8Array, t: TrainVolume): Uint8Array =>
          postprocessFrame(r.slice(), { cols: t.cols, rows: t.rows, slices: t.slices }, 'anatomical', rule);
        const ed = clean(edRaw, p.ed);
        const es = clean(esRaw, p.es);
        const dEd = dice(ed, p.ed.labels, Label.RVCavity);
        const dEs = dice(es, p.es.labels, Label.RVCavity);
        edDice += dEd;
        esDice += dEs;
        for (const [d, ph] of [[dEd, 'ED'], [dEs, 'ES']] as const) {
          if (d < 0.5) {
            lost++;
            lostList.push(`${p.patient}/${ph}`);
          }
        }
        const ef = (a: Uint8Array, b: Uint8Array): number => 100 * (1 - count(b, Label.RVCavity) / Math.max(1, count(a, Label.RVCavity)));
        efErr += Math.abs(ef(ed, es) - ef(p.ed.labels, p.es.labels));
      }
      const n = rows.length;
      summary[key] = { rvED: +(edDice / n).toFixed(4), rvES: +(esDice / n).toFixed(4), rvLost: lost, lostList: lostList.join(' '), rvefMae: +(efErr / n).toFixed(2) };
    }
    report.sets[`${source}-${set}`] = summary;
    const base = summary.one as { rvES: number };
    const best = Object.entries(summary).sort((a, b) => (b[1] as { rvES: number }).rvES - (a[1] as { rvES: number }).rvES)[0]!;
    console.log(source, set, 'one', JSON.stringify(base), 'best', best[0], JSON.stringify(best[1]));
  }
}
fs.mkdirSync(path.dirname(args.out), { recursive: true });
fs.writeFileSync(args.out, JSON.stringify(report, null, 1) + '\n');
console.log(`wrote ${args.out}`);

/**
 * Held-out evaluation through the app's own engine (src/segment/engine: preprocessing, folded graph,
 * mapping back to the native grid, postprocessing), so the figures describe what ships.
 *
 *   node --import tsx src/commands/evaluate.ts --runs runs/teacher,runs/student-e8,runs/student-e8-kd-T2-W0.5
 *   node --import tsx src/commands/evaluate.ts --models student@1.1.0,teacher@1.1.0 --set test --crop 128
 *
 * `--set test` (default): split.json's held-out test patients, never used for a choice: ACDC (Dice and HD95
 * per structure at ED and ES, LVEF/RVEF/mass from predicted vs expert masks), M&Ms (Dice; LVEF/RVEF, which
 * do not depend on the unknown pixel spacing; no HD95 or mass), the Sunnybrook test patient (another
 * vendor: LV cavity and myocardium Dice on contoured images, LVEF over the whole cine vs the experts'
 * contours) and synthetic phantoms. `--set val`: the validation patients, where choices are made.
 * `--models id@version` evaluates published models (public/models) exactly as the app loads them;
 * `--crop N` overrides the heart crop (0: the image-centred canvas), `--postprocess largest|anatomical`
 * the clean-up. Teacher with 8-fold TTA; students without. A frame is "lost" when a structure the expert
 * drew has Dice < 0.5 in it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { computeCardiacFunction } from '../../../src/core/cardiac/function';
import { frameVolumes } from '../../../src/core/cardiac/volumes';
import { Label } from '../../../src/core/labels';
import { dice, hausdorff95 } from '../../../src/core/metrics';
import { makePhantom } from '../../../src/core/phantom';
import { DEFAULT_PREPROCESS, NORM_HIGH_PERCENTILE, NORM_LOW_PERCENTILE, PREPROCESS_VERSION } from '../../../src/core/preprocess';
import type { LabelVolume } from '../../../src/core/volume';
import { planSeries, segmentFrame, type LoadedModel } from '../../../src/segment/engine';
import type { PostprocessMode } from '../../../src/core/postprocess';
import { loadGraph } from '../../../src/segment/graph';
import type { ModelManifest } from '../../../src/segment/manifest';
import { initTrainingBackend } from '../backend';
import { engineVolume, loadPublishedModel } from '../engineIo';
import { loadAcdcPatient } from '../data/acdc';
import { readAcdcInfo } from '../data/acdcInfo';
import { readSplit } from '../data/datasets';
import { loadMnmsPairs } from '../data/mnmsCrops';
import { readSunnybrookPatient } from '../data/sunnybrook';
import type { TrainVolume } from '../data/trainVolume';
import { foldGraph } from '../export/foldGraph';
import { packWeights } from '../export/pack';
import { buildModel, type ModelSpec } from '../models/spec';
import { parseArgs } from '../util/args';
import { loadWeights } from '../weights';
import { lvLabelsFromContours } from '../../../src/core/contours';
import { DATA_DIR, REPORTS_DIR } from '../paths';

const args = parseArgs(process.argv.slice(2), {
  runs: 'runs/teacher',
  data: DATA_DIR,
  out: path.join(REPORTS_DIR, 'evaluation.json'),
  phantoms: '3',
  tta: 'auto',
  weights: 'final',
  limit: '0',
  dtype: 'float32',
  suffix: '',
  models: '',
  set: 'test',
  crop: 'auto',
  postprocess: 'auto',
  sources: 'acdc,mnms,sunnybrook,phantom',
});
if (!['test', 'val'].includes(args.set)) throw new Error(`--set must be test or val, not ${args.set}`);
const cropPx = args.crop === 'auto' ? undefined : Number(args.crop);
const ppMode = args.postprocess === 'auto' ? undefined : (args.postprocess as PostprocessMode);
const segOpts = ppMode ? { postprocess: ppMode } : {};
const sources = new Set(args.sources.split(','));
const backend = await initTrainingBackend();
const STRUCTS = [
  ['rv', Label.RVCavity],
  ['myo', Label.Myocardium],
  ['lv', Label.LVCavity],
] as const;

function asLoadedModel(runDir: string): { model: LoadedModel; spec: ModelSpec } {
  const run = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as { spec: ModelSpec };
  const m = buildModel(run.spec);
  loadWeights(m, path.join(runDir, args.weights));
  const { json, bytes } = packWeights(foldGraph(m), args.dtype === 'float16' ? 'float16' : 'float32');
  const tta = args.tta === 'auto' ? run.spec.kind === 'teacher' : args.tta === 'true';
  const manifest = {
    id: path.basename(runDir),
    version: 'eval',
    format: 'cineseg-graph/1',
    inputShape: [DEFAULT_PREPROCESS.inputSize, DEFAULT_PREPROCESS.inputSize, run.spec.channels ?? 1],
    spacingMm: DEFAULT_PREPROCESS.spacingMm,
    preprocessVersion: PREPROCESS_VERSION,
    normalisation: { lowPercentile: NORM_LOW_PERCENTILE, highPercentile: NORM_HIGH_PERCENTILE },
    tta,
  } as ModelManifest;
  return { model: { manifest, graph: loadGraph(json, bytes) }, spec: run.spec };
}

const mean = (xs: number[]): number => {
  const v = xs.filter((x) => Number.isFinite(x));
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
};
const r = (x: number, d = 3): number => +x.toFixed(d);

interface Row {
  [k: string]: number | string;
}

async function evalAcdc(model: LoadedModel, patients: string[]): Promise<{ perVolume: Row[]; summary: Row }> {
  const infos = readAcdcInfo(path.join(args.data, 'acdc')).filter((i) => patients.includes(i.patient));
  const pairs: { patient: string; group: string; ed: TrainVolume; es: TrainVolume }[] = [];
  for (const info of infos) {
    const [ed, es] = await loadAcdcPatient(path.join(args.data, 'acdc'), info);
    pairs.push({ patient: info.patient, group: info.group, ed: ed!, es: es! });
  }
  return evalPairs(model, pairs, true);
}

function evalMnms(model: LoadedModel, subjects: string[]): { perVolume: Row[]; summary: Row } {
  const pairs = loadMnmsPairs(path.join(args.data, 'mnms'), subjects).map((p) => ({ ...p, group: p.vendor }));
  return evalPairs(model, pairs, false);
}

/**
 * Dice (and, where the spacing is real, HD95 and LV mass) per ED/ES volume and EF errors per patient.
 * EF is a ratio of volumes: with an unknown but uniform spacing (M&Ms crops) it is still exact.
 */
function evalPairs(
  model: LoadedModel,
  pairs: { patient: string; group: string; ed: TrainVolume; es: TrainVolume }[],
  spacingKnown: boolean,
): { perVolume: Row[]; summary: Row } {
  const perVolume: Row[] = [];
  const efErr: number[] = [];
  const rvefErr: number[] = [];
  const massErr: number[] = [];
  let images = 0;
  let ms = 0;
  {
    for (const { patient, group, ed, es } of pairs) {
      const preds: Uint8Array[] = [];
      for (const t of [ed, es]) {
        // Normalisation per 3D frame, as in training (the app normalises over the whole cine it is given).
        const vol = engineVolume([t], t);
        const t0 = performance.now();
        const { plan } = planSeries(model, vol, { cropPx });
        const pred = segmentFrame(model, vol, plan, 0, segOpts);
        ms += performance.now() - t0;
        images += t.slices;
        preds.push(pred);
        const g = { cols: t.cols, rows: t.rows, slices: t.slices };
        const sp = { col: t.spacingColMm, row: t.spacingRowMm, slice: t.spacingSliceMm };
        const row: Row = { patient, group, phase: t.phase };
        let lost = 0;
        for (const [k, label] of STRUCTS) {
          const d = dice(pred, t.labels, label);
          row[`dice_${k}`] = r(d, 4);
          if (spacingKnown) row[`hd95_${k}`] = r(hausdorff95(pred, t.labels, g, sp, label), 2);
          if (t.labels.includes(label) && d < 0.5) lost++;
        }
        row.lost = lost;
        perVolume.push(row);
      }
      const geo = { spacingMm: { col: ed.spacingColMm, row: ed.spacingRowMm, slice: ed.spacingSliceMm } };
      const dims = { cols: ed.cols, rows: ed.rows, slices: ed.slices, frames: 2 };
      const both = (a: Uint8Array, b: Uint8Array): LabelVolume => {
        const d = new Uint8Array(a.length * 2);
        d.set(a);
        d.set(b, a.length);
        return { data: d, dims };
      };
      const fnPred = computeCardiacFunction(frameVolumes(both(preds[0]!, preds[1]!), geo), { edFrame: 0, esFrame: 1 });
      const fnTrue = computeCardiacFunction(frameVolumes(both(ed.labels, es.labels), geo), { edFrame: 0, esFrame: 1 });
      efErr.push((fnPred.lvefPct ?? NaN) - (fnTrue.lvefPct ?? NaN));
      rvefErr.push((fnPred.rvefPct ?? NaN) - (fnTrue.rvefPct ?? NaN));
      massErr.push((fnPred.lvMassG ?? NaN) - (fnTrue.lvMassG ?? NaN));
      perVolume[perVolume.length - 2]!.lvef_pred = r(fnPred.lvefPct ?? NaN, 1);
      perVolume[perVolume.length - 2]!.lvef_true = r(fnTrue.lvefPct ?? NaN, 1);
    }
    const summary: Row = { volumes: perVolume.length, patients: pairs.length };
    for (const [k] of STRUCTS) {
      summary[`dice_${k}`] = r(mean(perVolume.map((p) => p[`dice_${k}`] as number)), 4);
      for (const phase of ['ED', 'ES']) {
        summary[`dice_${k}_${phase}`] = r(mean(perVolume.filter((p) => p.phase === phase).map((p) => p[`dice_${k}`] as number)), 4);
      }
      if (spacingKnown) summary[`hd95_${k}_mm`] = r(mean(perVolume.map((p) => p[`hd95_${k}`] as number)), 2);
    }
    summary.frames_lost = perVolume.filter((p) => (p.lost as number) > 0).length;
    summary.lost_list = perVolume.filter((p) => (p.lost as number) > 0).map((p) => `${p.patient}/${p.phase}`).join(' ');
    summary.dice_mean = r(((summary.dice_rv as number) + (summary.dice_myo as number) + (summary.dice_lv as number)) / 3, 4);
    summary.lvef_mae_pct = r(mean(efErr.map(Math.abs)), 2);
    summary.lvef_bias_pct = r(mean(efErr), 2);
    summary.rvef_mae_pct = r(mean(rvefErr.map(Math.abs)), 2);
    if (spacingKnown) summary.lv_mass_mae_g = r(mean(massErr.map(Math.abs)), 1);
    summary.ms_per_image_engine = r(ms / images, 1);
    return { perVolume, summary };
  }
}

function evalSunnybrook(model: LoadedModel, patient: string): Row {
  const p = readSunnybrookPatient(path.join(args.data, 'sunnybrook'), patient);
  const v = p.volume;
  const { cols, rows, slices, frames } = v.dims;
  const plane = cols * rows;
  const { plan } = planSeries(model, v, { cropPx });
  const labels = new Uint8Array(v.data.length);
  for (let f = 0; f < frames; f++) labels.set(segmentFrame(model, v, plan, f, segOpts), f * slices * plane);
  // Dice on contoured images (LV cavity everywhere contoured; myocardium where the epicardium is drawn)
  const lvD: number[] = [];
  const myoD: number[] = [];
  const truthAll = new Uint8Array(v.data.length);
  for (const [idx, inner] of p.inner) {
    const outer = p.outer.get(idx);
    const truth = lvLabelsFromContours(inner, outer, cols, rows);
    truthAll.set(truth, idx * plane);
    const pred = labels.subarray(idx * plane, (idx + 1) * plane);
    lvD.push(dice(pred, truth, Label.LVCavity));
    if (outer) myoD.push(dice(pred, truth, Label.Myocardium));
  }
  const geo = { spacingMm: v.spacingMm, meta: v.meta };
  const predFn = computeCardiacFunction(frameVolumes({ data: labels, dims: v.dims }, geo));
  // Expert EF: contoured frames only, the larger cavity is ED.
  const contouredFrames = [...new Set([...p.inner.keys()].map((i) => Math.floor(i / slices)))];
  const ready = Array.from({ length: frames }, (_, f) => contouredFrames.includes(f));
  const trueVols = frameVolumes({ data: truthAll, dims: v.dims }, geo, { framesReady: ready });
  const trueFn = computeCardiacFunction(trueVols);
  // The model's LV volumes on the experts' ED/ES frames and contoured slices, for a like-for-like EF.
  const included = Array.from({ length: slices }, (_, s) => contouredFrames.every((f) => p.inner.has(s + slices * f)));
  const predSame = computeCardiacFunction(frameVolumes({ data: labels, dims: v.dims }, geo, { includedSlices: included }), {
    edFrame: trueFn.edFrame,
    esFrame: trueFn.esFrame,
  });
  return {
    patient,
    dice_lv: r(mean(lvD), 4),
    dice_myo_ed: r(mean(myoD), 4),
    contoured_images: lvD.length,
    lvef_expert: r(trueFn.lvefPct ?? NaN, 1),
    lvef_model_expert_frames_slices: r(predSame.lvefPct ?? NaN, 1),
    lvef_model_auto: r(predFn.lvefPct ?? NaN, 1),
    lvedv_expert_ml: r(trueFn.lvedvMl ?? NaN, 1),
    lvedv_model_ml: r(predSame.lvedvMl ?? NaN, 1),
    lvesv_expert_ml: r(trueFn.lvesvMl ?? NaN, 1),
    lvesv_model_ml: r(predSame.lvesvMl ?? NaN, 1),
    ed_frame_model: (predFn.edFrame ?? -1) + 1,
    es_frame_model: (predFn.esFrame ?? -1) + 1,
    ed_frame_expert: (trueFn.edFrame ?? -1) + 1,
    es_frame_expert: (trueFn.esFrame ?? -1) + 1,
  };
}

function evalPhantoms(model: LoadedModel, count: number): Row {
  const rows: Row[] = [];
  for (let seed = 101; seed < 101 + count; seed++) {
    const ph = makePhantom({ seed });
    const v = ph.volume;
    const { plan } = planSeries(model, v, { cropPx });
    const plane = v.dims.cols * v.dims.rows * v.dims.slices;
    for (const f of [0, Math.round(v.dims.frames * 0.35)]) {
      const pred = segmentFrame(model, v, plan, f, segOpts);
      const truth = ph.labels.data.subarray(f * plane, (f + 1) * plane);
      const row: Row = { seed, frame: f };
      for (const [k, label] of STRUCTS) row[`dice_${k}`] = dice(pred, truth, label);
      rows.push(row);
    }
  }
  const out: Row = { volumes: rows.length };
  for (const [k] of STRUCTS) out[`dice_${k}`] = r(mean(rows.map((x) => x[`dice_${k}`] as number)), 4);
  return out;
}

const split = readSplit();
const acdcIds = args.set === 'val' ? split.acdc.val : split.acdc.test;
const mnmsIds = (args.set === 'val' ? split.mnms?.val : split.mnms?.test) ?? [];
const report: { backend: string; created: string; split: typeof split; models: Record<string, unknown> } = fs.existsSync(args.out)
  ? (JSON.parse(fs.readFileSync(args.out, 'utf8')) as never)
  : { backend, created: '', split, models: {} };
const targets: { name: string; load: () => Promise<{ model: LoadedModel; spec: unknown }> }[] = args.models
  ? args.models.split(',').map((m) => ({ name: m, load: async () => ({ model: await loadPublishedModel(m), spec: m }) }))
  : args.runs.split(',').map((p) => ({ name: path.basename(path.resolve(p)), load: () => Promise.resolve(asLoadedModel(path.resolve(p))) }));
for (const target of targets) {
  const t0 = Date.now();
  const { model, spec } = await target.load();
  const limit = Number(args.limit);
  const acdc = sources.has('acdc') ? await evalAcdc(model, limit ? acdcIds.slice(0, limit) : acdcIds) : undefined;
  const mnms = sources.has('mnms') && mnmsIds.length ? evalMnms(model, limit ? mnmsIds.slice(0, limit) : mnmsIds) : undefined;
  const sunnybrook = sources.has('sunnybrook') && args.set === 'test' ? split.sunnybrook.test.map((p) => evalSunnybrook(model, p)) : [];
  const phantom = sources.has('phantom') ? evalPhantoms(model, Number(args.phantoms)) : undefined;
  const name = target.name + args.suffix;
  const inference = {
    crop: cropPx ?? model.manifest.heartCrop?.inputSize ?? 0,
    postprocess: ppMode ?? 'default',
    set: args.set,
  };
  report.models[name] = {
    spec,
    tta: model.manifest.tta,
    dtype: args.dtype,
    weights: args.weights,
    inference,
    acdc: acdc?.summary,
    mnms: mnms?.summary,
    sunnybrook,
    phantom,
    acdcPerVolume: acdc?.perVolume,
    mnmsPerVolume: mnms?.perVolume,
  };
  console.log(JSON.stringify({ model: name, tta: model.manifest.tta, inference, acdc: acdc?.summary, mnms: mnms?.summary, sunnybrook, phantom, seconds: Math.round((Date.now() - t0) / 1000) }));
}
report.created = new Date().toISOString();
report.backend = backend;
fs.mkdirSync(path.dirname(args.out), { recursive: true });
fs.writeFileSync(args.out, JSON.stringify(report, null, 1) + '\n');
console.log(`wrote ${args.out}`);

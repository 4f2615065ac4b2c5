/**
 * LVEDV, LVESV, LVEF (and LV mass) of the Sunnybrook patients from the experts' contours, computed with
 * the app's own loaders and cardiac-function code: a reference for what the model should reproduce.
 *
 * Run: node --import tsx training/src/commands/sunnybrookEf.ts [sunnybrookDir] [--model-labels <dir>]
 * Writes training/reports/sunnybrook-expert-ef.json.
 *
 * With --model-labels, <dir>/<patient>.nii.gz are a model's labels of each patient's DICOM series, as the
 * batch CLI writes them (`npm run segment -- <sunnybrook>/<patient>/dicom --out <dir>/<patient>.nii.gz
 * --csv <dir>/<patient>.csv`; the CSV gives the model id and version). The model's LVEF is then computed
 * (a) on the experts' paired slices at the experts' ED/ES frames (same stack, same phases: the model's
 * contouring alone) and (b) as the app does it (all slices, automatic ED/ES), and written beside the
 * experts' to training/reports/sunnybrook-model-vs-expert.json.
 *
 * ED/ES: the two frames that have endocardial (i-) contours; the one with the larger cavity is ED.
 * Slices contoured at only one of the two phases (the experts stop at different basal/apical levels):
 * - primary ("paired slices"): only slices with an i-contour at both ED and ES, so both volumes cover
 *   the same stack and EF is not skewed by one extra basal slice;
 * - alternative ("all contoured slices"): each phase sums all of its own contoured slices, as a
 *   reader who contoured each phase independently would report.
 * LV mass uses the epicardial (o-) contours, drawn at ED only: myocardium = inside the epicardium and
 * outside the endocardium, summed over ED slices that have an o-contour.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  computeCardiacFunction,
  MYOCARDIAL_DENSITY_G_PER_ML,
  type CardiacFunction,
} from '../../../src/core/cardiac/function';
import { countFrameLabelVoxels, countLabelVoxels, volumesFromCounts } from '../../../src/core/cardiac/volumes';
import { lvLabelsFromContours } from '../../../src/core/contours';
import type { Volume } from '../../../src/core/volume';
import { parseCsv } from '../../../src/io/csv';
import { readNifti } from '../../../src/io/nifti';
import { readSunnybrookPatient } from '../data/sunnybrook';
import { DATA_DIR as SHARED_DATA_DIR, REPORTS_DIR } from '../paths';

const args = parseArgs({ allowPositionals: true, options: { 'model-labels': { type: 'string' } } });
const DATA_DIR = path.resolve(args.positionals[0] ?? path.join(SHARED_DATA_DIR, 'sunnybrook'));
const MODEL_DIR = args.values['model-labels'];
const REPORT = path.join(REPORTS_DIR, 'sunnybrook-expert-ef.json');
const MODEL_REPORT = path.join(REPORTS_DIR, 'sunnybrook-model-vs-expert.json');

interface PhaseResult {
  /** 1-based frame number. */
  frame: number;
  triggerTimeMs: number | undefined;
  /** 1-based slice numbers contoured (i-contour) at this phase. */
  contouredSlices: number[];
}

interface PatientResult {
  patient: string;
  dims: Volume['dims'];
  spacingMm: Volume['spacingMm'];
  ed: PhaseResult;
  es: PhaseResult;
  pairedSlices: { slices: number[]; lvedvMl: number; lvesvMl: number; lvsvMl: number; lvefPct: number };
  allContouredSlices: { lvedvMl: number; lvesvMl: number; lvsvMl: number; lvefPct: number };
  /** Myocardium (o-contour minus i-contour) at ED × 1.05 g/ml, over the `slices` with an o-contour. */
  lvMass: { slices: number[]; lvMassG: number };
}

interface LvFunction {
  lvedvMl: number;
  lvesvMl: number;
  lvsvMl: number;
  lvefPct: number;
  lvMassG: number;
}

interface ModelResult {
  patient: string;
  model: { id: string; version: string } | null;
  expert: LvFunction;
  /** Model labels on the experts' paired slices at the experts' ED/ES (mass: the experts' mass slices at ED). */
  modelAtExpertPhases: LvFunction;
  /** As the app reports it: all slices, ED/ES = largest/smallest LV cavity of the model's own curve. */
  modelAutomatic: LvFunction & { edFrame: number; esFrame: number };
}

const round = (x: number | undefined, d = 2): number => Number((x ?? Number.NaN).toFixed(d));

function analysePatient(patient: string): PatientResult {
  // The training data's reader: the app's DICOM loader, contours matched by InstanceNumber and read
  // 1-based (parseSunnybrookContour), so the reference and the training labels are the same masks.
  const { volume, inner, outer } = readSunnybrookPatient(DATA_DIR, patient);
  const { cols, rows, slices, frames } = volume.dims;

  const slicesAt = new Map<number, number[]>(); // frame -> contoured slices (0-based)
  for (const index of inner.keys()) {
    const frame = Math.floor(index / slices);
    slicesAt.set(
      frame,
      [...(slicesAt.get(frame) ?? []), index % slices].sort((a, b) => a - b),
    );
  }
  const contouredFrames = [...slicesAt.keys()].sort((a, b) => a - b);
  if (contouredFrames.length !== 2) {
    throw new Error(`${patient}: expected i-contours at 2 frames, found ${contouredFrames.length}`);
  }

  // Per-frame label volumes for the two contoured frames; the others stay null (not segmented).
  const plane = cols * rows;
  const frameLabels: (Uint8Array | null)[] = new Array<Uint8Array | null>(frames).fill(null);
  for (const f of contouredFrames) {
    const lab = new Uint8Array(plane * slices);
    for (let s = 0; s < slices; s++) {
      const i = s + slices * f;
      if (!inner.has(i) && !outer.has(i)) continue;
      lab.set(lvLabelsFromContours(inner.get(i), outer.get(i), cols, rows), s * plane);
    }
    frameLabels[f] = lab;
  }
  const counts = countFrameLabelVoxels(frameLabels, { cols, rows, slices });

  const [fa, fb] = contouredFrames as [number, number];
  const paired = slicesAt.get(fa)!.filter((s) => slicesAt.get(fb)!.includes(s));
  const pairedMask = Array.from({ length: slices }, (_, s) => paired.includes(s));
  const pairedVolumes = volumesFromCounts(counts, volume, pairedMask);
  // Slices without contours hold no labels, so "all slices" = each phase's own contoured slices.
  const allVolumes = volumesFromCounts(counts, volume);

  // ED = the contoured frame with the larger cavity over the paired slices (automatic ED/ES on 2 frames).
  const fnPaired = computeCardiacFunction(pairedVolumes);
  const edFrame = fnPaired.edFrame!;
  const esFrame = fnPaired.esFrame!;
  const fnAll = computeCardiacFunction(allVolumes, { edFrame, esFrame });

  // Myocardium only where the epicardium was drawn (ED): the all-slices volumes count exactly those.
  const massSlices = [...outer.keys()].filter((i) => Math.floor(i / slices) === edFrame).map((i) => i % slices);
  if (outer.size !== massSlices.length) {
    throw new Error(`${patient}: o-contours found outside the ED frame ${edFrame + 1}`);
  }
  const lvMassG = allVolumes[edFrame]!.lvMyocardiumMl * MYOCARDIAL_DENSITY_G_PER_ML;

  const phase = (f: number): PhaseResult => ({
    frame: f + 1,
    triggerTimeMs: volume.frameTimesMs[f],
    contouredSlices: slicesAt.get(f)!.map((s) => s + 1),
  });
  return {
    patient,
    dims: volume.dims,
    spacingMm: volume.spacingMm,
    ed: phase(edFrame),
    es: phase(esFrame),
    pairedSlices: {
      slices: paired.map((s) => s + 1),
      lvedvMl: round(fnPaired.lvedvMl),
      lvesvMl: round(fnPaired.lvesvMl),
      lvsvMl: round(fnPaired.lvsvMl),
      lvefPct: round(fnPaired.lvefPct),
    },
    allContouredSlices: {
      lvedvMl: round(fnAll.lvedvMl),
      lvesvMl: round(fnAll.lvesvMl),
      lvsvMl: round(fnAll.lvsvMl),
      lvefPct: round(fnAll.lvefPct),
    },
    lvMass: { slices: massSlices.sort((a, b) => a - b).map((s) => s + 1), lvMassG: round(lvMassG) },
  };
}

/** Model id and version from the summary of the CLI's CSV next to the labels, when it is there. */
function modelOf(csvFile: string): { id: string; version: string } | null {
  if (!existsSync(csvFile)) return null;
  const rows = new Map(parseCsv(readFileSync(csvFile, 'utf8')).map((r) => [r[0] ?? '', r[1] ?? '']));
  const id = rows.get('model id');
  const version = rows.get('model version');
  return id && version ? { id, version } : null;
}

function compareModel(r: PatientResult, modelDir: string): ModelResult {
  const { volume } = readSunnybrookPatient(DATA_DIR, r.patient);
  const file = path.join(modelDir, `${r.patient}.nii.gz`);
  const labels = readNifti({ name: path.basename(file), path: file, bytes: new Uint8Array(readFileSync(file)) }).volume;
  const d = volume.dims;
  if (JSON.stringify(labels.dims) !== JSON.stringify(d)) {
    throw new Error(`${file}: grid ${JSON.stringify(labels.dims)} is not the series' ${JSON.stringify(d)}`);
  }
  const counts = countLabelVoxels({ data: Uint8Array.from(labels.data), dims: d });
  const mask = (oneBased: number[]) => Array.from({ length: d.slices }, (_, s) => oneBased.includes(s + 1));
  const edFrame = r.ed.frame - 1;
  const esFrame = r.es.frame - 1;
  const atExpert = computeCardiacFunction(volumesFromCounts(counts, volume, mask(r.pairedSlices.slices)), {
    edFrame,
    esFrame,
  });
  const massAtExpert = volumesFromCounts(counts, volume, mask(r.lvMass.slices))[edFrame]!.lvMyocardiumMl;
  const auto = computeCardiacFunction(volumesFromCounts(counts, volume));
  const lv = (f: CardiacFunction, massMl?: number): LvFunction => ({
    lvedvMl: round(f.lvedvMl),
    lvesvMl: round(f.lvesvMl),
    lvsvMl: round(f.lvsvMl),
    lvefPct: round(f.lvefPct),
    lvMassG: massMl === undefined ? round(f.lvMassG) : round(massMl * MYOCARDIAL_DENSITY_G_PER_ML),
  });
  return {
    patient: r.patient,
    model: modelOf(path.join(modelDir, `${r.patient}.csv`)),
    expert: { ...r.pairedSlices, lvMassG: r.lvMass.lvMassG },
    modelAtExpertPhases: lv(atExpert, massAtExpert),
    modelAutomatic: { ...lv(auto), edFrame: auto.edFrame! + 1, esFrame: auto.esFrame! + 1 },
  };
}

function writeModelReport(results: PatientResult[], modelDir: string): void {
  const compared = results
    .filter((r) => existsSync(path.join(modelDir, `${r.patient}.nii.gz`)))
    .map((r) => compareModel(r, modelDir));
  console.table(
    compared.map((c) => ({
      patient: c.patient,
      model: c.model ? `${c.model.id} ${c.model.version}` : '?',
      'expert LVEF': c.expert.lvefPct,
      'model LVEF (expert slices, ED/ES)': c.modelAtExpertPhases.lvefPct,
      'model LVEF (app: all slices, auto ED/ES)': c.modelAutomatic.lvefPct,
      'expert EDV/ESV': `${c.expert.lvedvMl}/${c.expert.lvesvMl}`,
      'model EDV/ESV (expert)': `${c.modelAtExpertPhases.lvedvMl}/${c.modelAtExpertPhases.lvesvMl}`,
      'expert mass': c.expert.lvMassG,
      'model mass (expert)': c.modelAtExpertPhases.lvMassG,
    })),
  );
  writeFileSync(
    MODEL_REPORT,
    JSON.stringify(
      {
        description:
          "Sunnybrook: LV function from a model's labels (batch CLI output) beside the experts' contours, " +
          "both computed with src/core/cardiac. modelAtExpertPhases: the experts' paired slices and ED/ES frames " +
          "(LV mass on the experts' mass slices at ED); modelAutomatic: all slices, automatic ED/ES, as the app " +
          'shows it. Volumes in ml, EF in %, mass in g, frames 1-based.',
        generatedBy: 'training/src/commands/sunnybrookEf.ts --model-labels',
        patients: compared,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`wrote ${path.relative(process.cwd(), MODEL_REPORT)}`);
}

function main(): void {
  const patients = readdirSync(DATA_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const results = patients.map(analysePatient);
  const table = results.map((r) => ({
    patient: r.patient,
    'ED/ES frame': `${r.ed.frame}/${r.es.frame}`,
    'slices ED/ES/paired': `${r.ed.contouredSlices.length}/${r.es.contouredSlices.length}/${r.pairedSlices.slices.length}`,
    'LVEDV ml': r.pairedSlices.lvedvMl,
    'LVESV ml': r.pairedSlices.lvesvMl,
    'LVEF %': r.pairedSlices.lvefPct,
    'all: LVEDV': r.allContouredSlices.lvedvMl,
    'all: LVESV': r.allContouredSlices.lvesvMl,
    'all: LVEF': r.allContouredSlices.lvefPct,
    'LV mass g': r.lvMass.lvMassG,
  }));
  console.table(table);
  mkdirSync(path.dirname(REPORT), { recursive: true });
  writeFileSync(
    REPORT,
    JSON.stringify(
      {
        description:
          'Sunnybrook expert-contour LV function computed with src/core/cardiac (summation of discs over ' +
          'the slice spacing of the DICOM series). Primary: slices with an i-contour at both ED and ES; ' +
          'alternative: every contoured slice of each phase. Frames and slices are 1-based. LV mass from ' +
          'the ED o-contours (epicardium minus endocardium) x 1.05 g/ml.',
        generatedBy: 'training/src/commands/sunnybrookEf.ts',
        patients: results,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`wrote ${path.relative(process.cwd(), REPORT)}`);
  if (MODEL_DIR !== undefined) writeModelReport(results, path.resolve(MODEL_DIR));
}

main();

/**
 * LVEDV, LVESV, LVEF (and LV mass) of the Sunnybrook patients from the experts' contours, computed with
 * the app's own loaders and cardiac-function code: a reference for what the model should reproduce.
 *
 * Run: node --import tsx training/src/sunnybrookEf.ts [sunnybrookDir]
 * Writes training/reports/sunnybrook-expert-ef.json.
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
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { computeCardiacFunction, MYOCARDIAL_DENSITY_G_PER_ML } from '../../src/core/cardiac/function';
import { countFrameLabelVoxels, volumesFromCounts } from '../../src/core/cardiac/volumes';
import { lvLabelsFromContours } from '../../src/core/contours';
import type { Volume } from '../../src/core/volume';
import { readSunnybrookPatient } from './data/sunnybrook';

const DATA_DIR = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '../../../shared/data/sunnybrook'));
const REPORT = path.join(import.meta.dirname, '../reports/sunnybrook-expert-ef.json');

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
        generatedBy: 'training/src/sunnybrookEf.ts',
        patients: results,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`wrote ${path.relative(process.cwd(), REPORT)}`);
}

main();

/**
 * The app's cardiac-function code against ACDC's reference values: info.csv holds LVEDV, LVESV, LVEF,
 * RVEDV, RVESV, RVEF and LV mass computed from the expert labels (voxels × pixel² × slice spacing, mass =
 * myocardium at ED × 1.05), rounded to 0.1. We read the same expert labels and must agree to that rounding.
 * Skipped when the data set is not there.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import h5wasm from 'h5wasm/node';
import { describe, expect, it } from 'vitest';
import { computeCardiacFunction, type CardiacFunction } from '../../src/core/cardiac/function';
import { frameVolumes } from '../../src/core/cardiac/volumes';
import type { LabelVolume } from '../../src/core/volume';

const ACDC_DIR = path.resolve(import.meta.dirname, '../../../shared/data/acdc');
const INFO = path.join(ACDC_DIR, 'info.csv');

interface InfoRow {
  patient: string;
  edFrame: number;
  esFrame: number;
  shapeZyx: [number, number, number];
  pixelMm: number;
  sliceSpacingMm: number;
  reference: Record<Measure, number>;
}

const MEASURES = {
  LVEDV_ml: 'lvedvMl',
  LVESV_ml: 'lvesvMl',
  LVEF_pct: 'lvefPct',
  RVEDV_ml: 'rvedvMl',
  RVESV_ml: 'rvesvMl',
  RVEF_pct: 'rvefPct',
  LVmass_ED_g: 'lvMassG',
} as const satisfies Record<string, keyof CardiacFunction>;
type Measure = keyof typeof MEASURES;

function readInfo(): InfoRow[] {
  const [header, ...lines] = readFileSync(INFO, 'utf8').trim().split(/\r?\n/);
  const cols = header!.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    const get = (name: string): string => {
      const i = cols.indexOf(name);
      if (i < 0) throw new Error(`info.csv has no column ${name}`);
      return cells[i]!;
    };
    const reference = {} as Record<Measure, number>;
    for (const m of Object.keys(MEASURES) as Measure[]) reference[m] = Number(get(m));
    return {
      patient: get('patient'),
      edFrame: Number(get('ED_frame')),
      esFrame: Number(get('ES_frame')),
      shapeZyx: get('shape_zyx').split('x').map(Number) as [number, number, number],
      pixelMm: Number(get('pixel_mm')),
      sliceSpacingMm: Number(get('slice_spacing_mm')),
      reference,
    };
  });
}

/** Expert labels [slices, rows, cols] of one frame; the same layout as one LabelVolume frame. */
function readLabel(file: string): { data: Uint8Array; shape: number[] } {
  const f = new h5wasm.File(file, 'r');
  try {
    const ds = f.get('label');
    if (!(ds instanceof h5wasm.Dataset)) throw new Error(`${file}: no dataset 'label'`);
    const value = ds.value;
    if (!(value instanceof Uint8Array)) throw new Error(`${file}: 'label' is not uint8`);
    return { data: value, shape: ds.shape ?? [] };
  } finally {
    f.close();
  }
}

const frameFile = (patient: string, frame: number): string =>
  path.join(ACDC_DIR, 'volumes', `${patient}_frame${String(frame).padStart(2, '0')}.h5`);

describe.skipIf(!existsSync(INFO))('cardiac function vs ACDC reference values (expert labels)', () => {
  it('agrees with info.csv for every patient to its 0.1 rounding', async () => {
    await h5wasm.ready;
    const rows = readInfo();
    expect(rows.length).toBeGreaterThanOrEqual(80);
    const maxAbs = Object.fromEntries(Object.keys(MEASURES).map((m) => [m, 0])) as Record<Measure, number>;
    const failures: string[] = [];
    let autoEdEsAgrees = 0;
    for (const row of rows) {
      const ed = readLabel(frameFile(row.patient, row.edFrame));
      const es = readLabel(frameFile(row.patient, row.esFrame));
      expect(ed.shape).toEqual(row.shapeZyx);
      expect(es.shape).toEqual(row.shapeZyx);
      const [slices, rowsN, cols] = row.shapeZyx;
      const data = new Uint8Array(ed.data.length * 2);
      data.set(ed.data, 0);
      data.set(es.data, ed.data.length);
      const labels: LabelVolume = { data, dims: { cols, rows: rowsN, slices, frames: 2 } };
      const volumes = frameVolumes(labels, {
        spacingMm: { col: row.pixelMm, row: row.pixelMm, slice: row.sliceSpacingMm },
      });
      const result = computeCardiacFunction(volumes, { edFrame: 0, esFrame: 1 });
      if (computeCardiacFunction(volumes).edFrame === 0) autoEdEsAgrees++;
      for (const m of Object.keys(MEASURES) as Measure[]) {
        const ours = result[MEASURES[m]];
        const diff = Math.abs((ours ?? Number.NaN) - row.reference[m]);
        if (!(diff <= maxAbs[m])) maxAbs[m] = diff;
        // The CSV rounds to 0.1: allow half a unit in the last place plus float noise.
        if (!(diff <= 0.05 + 1e-6)) failures.push(`${row.patient} ${m}: ours ${ours}, info.csv ${row.reference[m]}`);
      }
    }
    console.log(
      `ACDC reference check, ${rows.length} patients; max |ours − info.csv|:`,
      Object.fromEntries(Object.entries(maxAbs).map(([k, v]) => [k, Number(v.toFixed(4))])),
      `; automatic ED (largest LV) = reference ED in ${autoEdEsAgrees}/${rows.length}`,
    );
    expect(failures).toEqual([]);
    expect(autoEdEsAgrees).toBe(rows.length);
  });
});

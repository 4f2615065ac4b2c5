import { describe, expect, it } from 'vitest';
import { computeCardiacFunction, MYOCARDIAL_DENSITY_G_PER_ML } from '@/core/cardiac/function';
import { frameVolumes, type FrameVolumes } from '@/core/cardiac/volumes';
import { Label } from '@/core/labels';
import { diagonalAffine, type LabelVolume, type Volume } from '@/core/volume';
import { parseCsv } from './csv';
import { buildCardiacReport, csvExportFile } from './reportExport';

const volume: Volume = {
  data: new Float32Array(0),
  dims: { cols: 0, rows: 0, slices: 2, frames: 3 },
  spacingMm: { col: 1, row: 1, slice: 8 },
  affine: [],
  frameTimesMs: [0, 40, 80],
  meta: { source: 'dicom', name: 'SA cine', seriesDescription: 'SA cine, 8 mm', date: '2024-01-31', heartRateBpm: 72 },
};
const frames: (FrameVolumes | null)[] = [
  { lvCavityMl: 150, lvMyocardiumMl: 100, rvCavityMl: 160 },
  null,
  { lvCavityMl: 60, lvMyocardiumMl: 105, rvCavityMl: 80 },
];

/** The summary table of a report CSV as measure -> [value, unit]. */
function summary(text: string): Map<string, [string, string]> {
  const rows = parseCsv(text);
  const start = rows.findIndex((r) => r[0] === 'measure');
  return new Map(rows.slice(start + 1).map((r) => [r[0]!, [r[1] ?? '', r[2] ?? '']]));
}

describe('buildCardiacReport + csvExportFile', () => {
  it('writes the series, model and measures; the CSV parses back to the same values', () => {
    const result = computeCardiacFunction(frames, { heartRateBpm: volume.meta.heartRateBpm });
    const report = buildCardiacReport(volume, frames, result, [true, false], {
      kind: 'model',
      modelId: 'student',
      modelVersion: '1.0.0',
    });
    const file = csvExportFile(report, 'SA_cine');
    expect(file.name).toBe('SA_cine_function.csv');
    expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 byte-order mark
    const text = new TextDecoder().decode(file.bytes);
    const s = summary(text);
    expect(s.get('LVEF')).toEqual(['60.0', '%']);
    expect(s.get('RVEF')).toEqual(['50.0', '%']);
    expect(s.get('LV mass')).toEqual(['105.0', 'g']);
    expect(s.get('heart rate')).toEqual(['72', 'bpm']);
    expect(s.get('cardiac output')).toEqual(['6.48', 'l/min']);
    expect(s.get('ED frame')?.[0]).toBe('1');
    expect(s.get('ES frame')?.[0]).toBe('3');
    expect(s.get('included slices')?.[0]).toBe('1');
    expect(s.get('series description')?.[0]).toBe('SA cine, 8 mm');
    expect(s.get('date')?.[0]).toBe('2024-01-31');
    expect(s.get('model id')?.[0]).toBe('student');
    expect(s.get('model version')?.[0]).toBe('1.0.0');
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(['frame', 'time_ms', 'lv_cavity_ml', 'lv_myocardium_ml', 'rv_cavity_ml']);
    expect(rows[2]).toEqual(['2', '40.0', '', '', '']);
  });

  it('leaves the model rows empty for labels from file', () => {
    const result = computeCardiacFunction(frames);
    const report = buildCardiacReport(volume, frames, result, [true, true], { kind: 'file' });
    const s = summary(new TextDecoder().decode(csvExportFile(report, 'x').bytes));
    expect(s.get('model id')?.[0]).toBe('');
    expect(s.get('source file')?.[0]).toBe('SA cine');
  });
});

describe('identity, completeness, BSA, agreement and the per-slice table in the CSV', () => {
  const who: Volume = {
    ...volume,
    meta: {
      ...volume.meta,
      patientId: 'SCD-0042',
      patientName: 'Jane Doe',
      seriesNumber: 7,
      patientSex: 'M',
      heightCm: 180,
      weightKg: 80,
    },
  };
  const counts = {
    dims: { cols: 4, rows: 4, slices: 2, frames: 3 },
    // slice-major within each frame: (slice + slices * frame) * 4 + label
    counts: new Uint32Array([0, 1, 2, 3, 0, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 8, 9, 0, 1, 1, 1]),
    framesReady: [true, false, true],
  };
  const result = computeCardiacFunction(frames, { heartRateBpm: 72 });
  const agreement = {
    frames: [
      {
        frame: 0,
        dice: { rv: 0.9, myo: 0.8, lv: 0.95 },
        referenceMl: { rv: 160, myo: 100, lv: 150 },
        testMl: { rv: 150, myo: 98, lv: 149 },
        differenceMl: { rv: -10, myo: -2, lv: -1 },
      },
    ],
    dice: { rv: 0.9, myo: 0.8, lv: 0.95 },
    meanAbsDifferenceMl: { rv: 10, myo: 2, lv: 1 },
  };
  const text = new TextDecoder().decode(
    csvExportFile(
      buildCardiacReport(
        who,
        frames,
        result,
        [true, false],
        { kind: 'file' },
        { framesSegmented: 2, complete: false, agreement, counts },
      ),
      'x',
    ).bytes,
  );
  const s = summary(text);
  const rows = parseCsv(text);

  it('names the patient and series, and says the result is provisional', () => {
    expect(s.get('patient id')?.[0]).toBe('SCD-0042');
    expect(s.get('patient name')?.[0]).toBe('Jane Doe');
    expect(s.get('series number')?.[0]).toBe('7');
    expect(s.get('frames segmented')).toEqual(['2', 'of 3']);
    expect(s.get('complete')?.[0]).toBe('no');
  });

  it('indexes to the Mosteller BSA with the reference range and verdict', () => {
    expect(s.get('BSA (Mosteller)')).toEqual(['2.00', 'm²']);
    expect(s.get('LVEDV/BSA')).toEqual(['75.0', 'ml/m²']);
    expect(s.get('LVEDV/BSA reference range')).toEqual(['57-105 (male)', 'within']);
    expect(s.get('LVEF reference range')).toEqual(['57-77 (male)', 'within']);
    expect(s.get('LVEF')).toEqual(['60.0', '%']);
    expect(s.get('reference ranges')?.[0]).toMatch(/Kawel-Boehm/);
  });

  it('writes Dice per structure and the volume difference per frame', () => {
    expect(s.get('Dice LV cavity (model vs file)')).toEqual(['0.950', 'over 1 frames']);
    const h = rows.findIndex((r) => r[0] === 'agreement_frame');
    expect(rows[h + 1]).toEqual([
      '1',
      '0.900',
      '0.800',
      '0.950',
      '160.0',
      '150.0',
      '-10.0',
      '100.0',
      '98.0',
      '-2.0',
      '150.0',
      '149.0',
      '-1.0',
    ]);
  });

  it('writes areas and volumes per slice and segmented frame', () => {
    const h = rows.findIndex((r) => r[0] === 'slice');
    expect(rows[h]).toEqual([
      'slice',
      'frame',
      'included',
      'lv_cavity_mm2',
      'lv_myocardium_mm2',
      'rv_cavity_mm2',
      'lv_cavity_ml',
      'lv_myocardium_ml',
      'rv_cavity_ml',
    ]);
    const table = rows.slice(h + 1);
    expect(table.map((r) => `${r[0]}/${r[1]}`)).toEqual(['1/1', '2/1', '1/3', '2/3']);
    // slice 2, frame 1: LV cavity 6 px × 1 mm², 6 × 8 mm³ = 0.048 ml; slice 2 is excluded.
    expect(table[1]).toEqual(['2', '1', 'no', '6.0', '5.0', '4.0', '0.05', '0.04', '0.03']);
  });
});

/**
 * Stacks of elliptical discs whose areas are known in closed form: per slice an LV cavity ellipse with
 * semi-axes following an ellipsoid (a·√(1 − z²/c²), b·√(1 − z²/c²)), a myocardial ring of constant
 * thickness around it, and an RV ellipse beside it; ED and ES differ by the cavity size. Known volume of a
 * stack = Σ π·a_s·b_s × slice distance. Fine pixels (0.2 mm) keep the rasterisation error far below the
 * tolerances; the slices are 8 mm apart as in a cine.
 */
describe('cardiac report of an ellipsoid-stack phantom with known volumes', () => {
  const px = 0.2;
  const dz = 8;
  const slices = 10;
  const cols = 600;
  const rows = 400;
  const wall = 9; // mm
  const cx = 220 * px;
  const cy = 200 * px;
  const rvCx = 490 * px; // clear of the myocardium (which ends at x = 79 mm)
  // [ED, ES]: LV semi-axes a, b and long half-axis c; RV semi-axes.
  const lv = [
    { a: 26, b: 22, c: 44 },
    { a: 19, b: 16, c: 40 },
  ];
  const rv = [
    { a: 14, b: 30 },
    { a: 11, b: 26 },
  ];
  const zOf = (s: number): number => (s + 0.5 - slices / 2) * dz;
  const scale = (z: number, c: number): number => Math.sqrt(Math.max(0, 1 - (z * z) / (c * c)));

  const labels: LabelVolume = {
    data: new Uint8Array(cols * rows * slices * 2),
    dims: { cols, rows, slices, frames: 2 },
  };
  const known = [0, 1].map((f) => {
    let lvMm3 = 0;
    let myoMm3 = 0;
    let rvMm3 = 0;
    for (let s = 0; s < slices; s++) {
      const k = scale(zOf(s), lv[f]!.c);
      const a = lv[f]!.a * k;
      const b = lv[f]!.b * k;
      const ra = rv[f]!.a * scale(zOf(s), 48);
      const rb = rv[f]!.b * scale(zOf(s), 48);
      lvMm3 += Math.PI * a * b * dz;
      if (a > 0) myoMm3 += Math.PI * ((a + wall) * (b + wall) - a * b) * dz;
      rvMm3 += Math.PI * ra * rb * dz;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const x = (c + 0.5) * px;
          const y = (r + 0.5) * px;
          const i = c + cols * (r + rows * (s + slices * f));
          const inside = (ea: number, eb: number, ox: number): boolean =>
            ea > 0 && eb > 0 && ((x - ox) / ea) ** 2 + ((y - cy) / eb) ** 2 <= 1;
          if (inside(a, b, cx)) labels.data[i] = Label.LVCavity;
          else if (a > 0 && inside(a + wall, b + wall, cx)) labels.data[i] = Label.Myocardium;
          else if (inside(ra, rb, rvCx)) labels.data[i] = Label.RVCavity;
        }
      }
    }
    return { lvMl: lvMm3 / 1000, myoMl: myoMm3 / 1000, rvMl: rvMm3 / 1000 };
  });
  const spacingMm = { col: px, row: px, slice: dz };
  const phantom: Volume = {
    data: new Float32Array(0),
    dims: labels.dims,
    spacingMm,
    affine: diagonalAffine(spacingMm),
    frameTimesMs: [0, 320],
    meta: { source: 'phantom', name: 'ellipsoid stack' },
  };
  const volumes = frameVolumes(labels, phantom);
  const result = computeCardiacFunction(volumes);
  const [ed, es] = known as [(typeof known)[0], (typeof known)[0]];
  const efKnown = (edv: number, esv: number): number => ((edv - esv) / edv) * 100;

  it('gives every volume within 1 % and EF within 0.1 point of the known values', () => {
    expect(result.edFrame).toBe(0);
    expect(result.esFrame).toBe(1);
    const rel = (got: number | undefined, want: number): number => Math.abs(got! / want - 1);
    expect(rel(result.lvedvMl, ed.lvMl)).toBeLessThan(0.01);
    expect(rel(result.lvesvMl, es.lvMl)).toBeLessThan(0.01);
    expect(rel(result.rvedvMl, ed.rvMl)).toBeLessThan(0.01);
    expect(rel(result.rvesvMl, es.rvMl)).toBeLessThan(0.01);
    expect(rel(result.lvMassG, ed.myoMl * MYOCARDIAL_DENSITY_G_PER_ML)).toBeLessThan(0.01);
    expect(Math.abs(result.lvefPct! - efKnown(ed.lvMl, es.lvMl))).toBeLessThan(0.1);
    expect(Math.abs(result.rvefPct! - efKnown(ed.rvMl, es.rvMl))).toBeLessThan(0.1);
    // Plausible cardiac numbers, so the phantom is not trivially easy: LVEDV ≈ 105 ml, LVEF ≈ 51 %, RVEF ≈ 32 %.
    expect(ed.lvMl).toBeGreaterThan(100);
    expect(efKnown(ed.lvMl, es.lvMl)).toBeGreaterThan(45);
  });

  it('writes those values to the CSV, which parses back to them within its rounding', () => {
    const report = buildCardiacReport(phantom, volumes, result, new Array<boolean>(slices).fill(true), {
      kind: 'file',
    });
    const s = summary(new TextDecoder().decode(csvExportFile(report, 'ellipsoid').bytes));
    expect(Math.abs(Number(s.get('LVEF')![0]) - efKnown(ed.lvMl, es.lvMl))).toBeLessThan(0.1 + 0.05);
    expect(Number(s.get('LVEDV')![0])).toBeCloseTo(result.lvedvMl!, 1);
    expect(Number(s.get('LV mass')![0])).toBeCloseTo(result.lvMassG!, 1);
    expect(s.get('ED frame')?.[0]).toBe('1');
    expect(s.get('included slices')).toEqual(['1-10', 'slice numbers (1-based) of 10']);
  });
});

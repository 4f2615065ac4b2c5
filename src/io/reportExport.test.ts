import { describe, expect, it } from 'vitest';
import { computeCardiacFunction } from '@/core/cardiac/function';
import type { FrameVolumes } from '@/core/cardiac/volumes';
import type { Volume } from '@/core/volume';
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

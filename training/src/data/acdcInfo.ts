/** Reads ../shared/data/acdc/info.csv (one row per patient; see the data README). */
import fs from 'node:fs';
import path from 'node:path';

export interface AcdcPatientInfo {
  patient: string;
  group: string;
  frames: number;
  edFrame: number;
  esFrame: number;
  pixelMm: number;
  sliceSpacingMm: number;
  reference: Record<string, number>;
}

export function readAcdcInfo(acdcDir: string): AcdcPatientInfo[] {
  const text = fs.readFileSync(path.join(acdcDir, 'info.csv'), 'utf8').trim();
  const [head, ...rows] = text.split(/\r?\n/);
  const cols = head!.split(',');
  const at = (cells: string[], name: string): string => {
    const i = cols.indexOf(name);
    if (i < 0) throw new Error(`info.csv has no column ${name}`);
    return cells[i]!;
  };
  return rows.map((line) => {
    const c = line.split(',');
    const reference: Record<string, number> = {};
    for (const k of ['LVEDV_ml', 'LVESV_ml', 'LVEF_pct', 'RVEDV_ml', 'RVESV_ml', 'RVEF_pct', 'LVmass_ED_g']) reference[k] = Number(at(c, k));
    return {
      patient: at(c, 'patient'),
      group: at(c, 'group'),
      frames: Number(at(c, 'nframes')),
      edFrame: Number(at(c, 'ED_frame')),
      esFrame: Number(at(c, 'ES_frame')),
      pixelMm: Number(at(c, 'pixel_mm')),
      sliceSpacingMm: Number(at(c, 'slice_spacing_mm')),
      reference,
    };
  });
}

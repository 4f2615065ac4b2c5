/**
 * Sunnybrook cine DICOM with expert LV contours as training volumes with partial labels: through the
 * app's own DICOM loader (src/io) and contour rasteriser (src/core/contours). RV is never labelled and
 * the myocardium only where an epicardial contour exists, so each group of slices records the classes
 * it knows; the marginal loss merges the others with background.
 */
import fs from 'node:fs';
import path from 'node:path';
import { lvLabelsFromContours, parseSunnybrookContour, parseSunnybrookContourName, type Point2 } from '../../../src/core/contours';
import { intensityStats } from '../../../src/core/preprocess';
import type { Volume } from '../../../src/core/volume';
import { loadFiles, type InputFile } from '../../../src/io/index';
import type { TrainVolume } from './trainVolume';

export interface SunnybrookPatient {
  patient: string;
  volume: Volume;
  /** Contours by image index `slice + slices * frame`. */
  inner: Map<number, Point2[]>;
  outer: Map<number, Point2[]>;
}

export function readSunnybrookPatient(dir: string, patient: string): SunnybrookPatient {
  const dicomDir = path.join(dir, patient, 'dicom');
  const files: InputFile[] = fs
    .readdirSync(dicomDir)
    .map((name) => ({ name, path: `dicom/${name}`, bytes: new Uint8Array(fs.readFileSync(path.join(dicomDir, name))) }));
  const outcome = loadFiles(files);
  if (outcome.kind !== 'series') throw new Error(`${dicomDir}: several DICOM series`);
  const volume = outcome.series.volume;
  const byInstance = new Map<number, number>();
  (volume.meta.instanceNumbers ?? []).forEach((n, i) => byInstance.set(n, i));
  const read = (kind: 'i' | 'o'): Map<number, Point2[]> => {
    const cdir = path.join(dir, patient, 'contours', `${kind}-contours`);
    const out = new Map<number, Point2[]>();
    for (const name of fs.readdirSync(cdir)) {
      const parsed = parseSunnybrookContourName(name);
      const index = parsed ? byInstance.get(parsed.imageNumber) : undefined;
      if (index === undefined) continue;
      out.set(index, parseSunnybrookContour(fs.readFileSync(path.join(cdir, name), 'utf8'), name));
    }
    return out;
  };
  return { patient, volume, inner: read('i'), outer: read('o') };
}

/** One TrainVolume per (contoured frame, set of labelled classes). */
export function sunnybrookTrainVolumes(p: SunnybrookPatient): TrainVolume[] {
  const { cols, rows, slices } = p.volume.dims;
  const plane = cols * rows;
  const stats = intensityStats(p.volume.data);
  const frames = new Set([...p.inner.keys()].map((i) => Math.floor(i / slices)));
  const out: TrainVolume[] = [];
  for (const frame of [...frames].sort((a, b) => a - b)) {
    const image = p.volume.data.slice(frame * slices * plane, (frame + 1) * slices * plane);
    const labels = new Uint8Array(slices * plane);
    const groups = new Map<string, boolean[]>();
    for (let s = 0; s < slices; s++) {
      const idx = s + slices * frame;
      const inner = p.inner.get(idx);
      if (!inner) continue;
      const outer = p.outer.get(idx);
      labels.set(lvLabelsFromContours(inner, outer, cols, rows), s * plane);
      const key = outer ? '0,2,3' : '0,3';
      const g = groups.get(key) ?? new Array<boolean>(slices).fill(false);
      g[s] = true;
      groups.set(key, g);
    }
    for (const [key, labelledSlices] of groups) {
      out.push({
        id: `sunnybrook/${p.patient}/f${frame}/${key}`,
        source: 'sunnybrook',
        patient: p.patient,
        phase: `frame${frame + 1}`,
        cols,
        rows,
        slices,
        spacingColMm: p.volume.spacingMm.col,
        spacingRowMm: p.volume.spacingMm.row,
        spacingSliceMm: p.volume.spacingMm.slice,
        image,
        labels,
        labelledSlices,
        labelledClasses: key.split(',').map(Number),
        stats,
      });
    }
  }
  return out;
}

export function loadSunnybrook(dir: string, patients: string[]): Promise<TrainVolume[]> {
  return Promise.resolve(patients.flatMap((p) => sunnybrookTrainVolumes(readSunnybrookPatient(dir, p))));
}

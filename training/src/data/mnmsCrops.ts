/**
 * M&Ms 2020 (Campello et al., IEEE TMI 2021) as shared with this project: `info.csv` (subject, vendor,
 * vendor_name, cols, rows, slices) and `volumes/<subject>_ED|ES(_gt).nii.gz`, 3D heart-centred crops of the
 * ED and ES frames with labels ALREADY in the ACDC convention (1 RV, 2 myocardium, 3 LV cavity).
 *
 * The crops lost the pixel spacing: their headers say 1 x 1 x 1 mm, which is not real. The reader marks the
 * spacing unknown (`spacingKnown: false`) and gives the volume a nominal in-plane spacing (M&Ms scans are
 * about 1.0-1.6 mm; NOMINAL_MNMS_SPACING_MM is the middle), so the canvas holds a heart of plausible size;
 * the sampler widens its scale augmentation for such volumes and nothing computes volumes from them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { intensityStats } from '../../../src/core/preprocess';
import { LoadError } from '../../../src/io/index';
import { checkSameGrid, readNiftiFile, toAcdcLabels } from './niftiFile';
import type { TrainVolume } from './trainVolume';

/** Middle of M&Ms' in-plane range (about 1.0-1.6 mm, M&Ms README); the real value per subject is unknown. */
export const NOMINAL_MNMS_SPACING_MM = 1.3;
/** Middle of M&Ms' slice spacing range (5-10 mm); only used for 3D neighbourhoods, never for volumes. */
export const NOMINAL_MNMS_SLICE_MM = 8;

export interface MnmsCropSubject {
  subject: string;
  /** M&Ms vendor code (A Siemens, B Philips, ...). */
  vendor: string;
  vendorName: string;
}

/** True when `dir` holds the shared crops layout (info.csv with a subject column + volumes/). */
export function isMnmsCropsLayout(dir: string): boolean {
  const csv = path.join(dir, 'info.csv');
  if (!fs.existsSync(csv) || !fs.existsSync(path.join(dir, 'volumes'))) return false;
  const head = fs.readFileSync(csv, 'utf8').split(/\r?\n/, 1)[0] ?? '';
  return head.split(',').map((h) => h.trim().toLowerCase()).includes('subject');
}

/** The subjects listed in `dir/info.csv`. @throws LoadError naming the file when a column is missing. */
export function readMnmsCropsInfo(dir: string): MnmsCropSubject[] {
  const file = path.join(dir, 'info.csv');
  const lines = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const head = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const col = (name: string): number => {
    const i = head.indexOf(name);
    if (i < 0) throw new LoadError(`${file} has no "${name}" column (columns: ${head.join(', ')}).`, file);
    return i;
  };
  const [iSubject, iVendor, iName] = [col('subject'), col('vendor'), col('vendor_name')];
  return lines.slice(1).map((line) => {
    const c = line.split(',').map((x) => x.trim());
    return { subject: c[iSubject] ?? '', vendor: c[iVendor] ?? '', vendorName: c[iName] ?? '' };
  }).filter((s) => s.subject !== '');
}

/** ED and ES of one subject as TrainVolumes (spacing unknown, nominal). @throws LoadError naming the file. */
export function loadMnmsCropSubject(dir: string, s: MnmsCropSubject): TrainVolume[] {
  const frames = (['ED', 'ES'] as const).map((phase) => {
    const imageFile = path.join(dir, 'volumes', `${s.subject}_${phase}.nii.gz`);
    const labelFile = path.join(dir, 'volumes', `${s.subject}_${phase}_gt.nii.gz`);
    const image = readNiftiFile(imageFile).volume;
    const labels = readNiftiFile(labelFile).volume;
    checkSameGrid(labels, image, labelFile, imageFile);
    return { phase, image, labels: toAcdcLabels(labels.data, labelFile) };
  });
  // Intensity statistics over both frames: the closest these files come to the app's whole-cine statistics.
  const all = new Float32Array(frames.reduce((n, f) => n + f.image.data.length, 0));
  let off = 0;
  for (const f of frames) {
    all.set(f.image.data, off);
    off += f.image.data.length;
  }
  const stats = intensityStats(all);
  return frames.map(({ phase, image, labels }) => ({
    id: `mnms/${s.subject}/${phase}`,
    source: 'mnms' as const,
    patient: s.subject,
    phase,
    cols: image.dims.cols,
    rows: image.dims.rows,
    slices: image.dims.slices,
    spacingColMm: NOMINAL_MNMS_SPACING_MM,
    spacingRowMm: NOMINAL_MNMS_SPACING_MM,
    spacingSliceMm: NOMINAL_MNMS_SLICE_MM,
    spacingKnown: false,
    vendor: s.vendor,
    image: Float32Array.from(image.data),
    labels,
    labelledSlices: new Array<boolean>(image.dims.slices).fill(true),
    labelledClasses: [0, 1, 2, 3],
    stats,
  }));
}

/** The listed subjects of `dir` (all when `subjects` is absent), in subject order. */
export function loadMnmsCrops(dir: string, subjects?: Set<string>): TrainVolume[] {
  return readMnmsCropsInfo(dir)
    .filter((s) => !subjects || subjects.has(s.subject))
    .sort((a, b) => a.subject.localeCompare(b.subject))
    .flatMap((s) => loadMnmsCropSubject(dir, s));
}

/** The listed subjects' ED and ES volumes, in the order given. */
export function loadMnmsPairs(dir: string, subjects: string[]): { patient: string; vendor: string; ed: TrainVolume; es: TrainVolume }[] {
  const vols = loadMnmsCrops(dir, new Set(subjects));
  const find = (p: string, phase: string): TrainVolume => {
    const v = vols.find((x) => x.patient === p && x.phase === phase);
    if (!v) throw new Error(`M&Ms subject ${p}: no ${phase} volume in ${dir}`);
    return v;
  };
  return subjects.map((p) => {
    const ed = find(p, 'ED');
    return { patient: p, vendor: ed.vendor ?? '', ed, es: find(p, 'ES') };
  });
}

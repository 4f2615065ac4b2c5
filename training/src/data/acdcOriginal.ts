/**
 * ACDC in its original challenge layout: `<dir>/patientNNN/Info.cfg` (ED, ES, Group, Height, NbFrame,
 * Weight) with `patientNNN_frameEE.nii.gz` + `patientNNN_frameEE_gt.nii.gz` at ED and ES. The challenge's
 * download puts the patients under `training/` and `testing/`; both are searched too. Labels are already
 * the ACDC convention. Ids match the shared HDF5 reader's (`acdc/patientNNN/ED`), and so does the grid:
 * the HDF5 arrays are the NIfTI's [z][y][x] (info.csv calls it shape_zyx).
 */
import fs from 'node:fs';
import path from 'node:path';
import { intensityStats } from '../../../src/core/preprocess';
import { LoadError } from '../../../src/io/index';
import { checkSameGrid, findNifti, frameOf, readNiftiFile, toAcdcLabels } from './niftiFile';
import type { TrainVolume } from './trainVolume';

/** The fields of a patient's Info.cfg. Frame numbers are 1-based, as in the file names. */
export interface AcdcInfoCfg {
  edFrame: number;
  esFrame: number;
  group?: string;
  frames?: number;
  heightCm?: number;
  weightKg?: number;
}

export interface AcdcOriginalPatient {
  patient: string;
  dir: string;
  info: AcdcInfoCfg;
}

const PATIENT_DIR = /^patient\d{3}$/;

/**
 * Parses Info.cfg (`ED: 1` lines).
 * @throws LoadError naming the file when ED or ES is missing or not a frame number.
 */
export function parseAcdcInfoCfg(text: string, file: string): AcdcInfoCfg {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (m?.[1] && m[2] !== undefined) fields.set(m[1].toLowerCase(), m[2]);
  }
  const frame = (key: string): number => {
    const v = Number(fields.get(key.toLowerCase()));
    if (!Number.isInteger(v) || v < 1) {
      throw new LoadError(
        `${file} has no valid "${key}:" line (a frame number from 1); found "${fields.get(key.toLowerCase()) ?? ''}".`,
        file,
      );
    }
    return v;
  };
  const num = (key: string): number | undefined => {
    const raw = fields.get(key);
    const v = raw === undefined || raw === '' ? Number.NaN : Number(raw);
    return Number.isFinite(v) ? v : undefined;
  };
  const info: AcdcInfoCfg = { edFrame: frame('ED'), esFrame: frame('ES') };
  const group = fields.get('group');
  if (group) info.group = group;
  const frames = num('nbframe');
  if (frames !== undefined) info.frames = frames;
  const heightCm = num('height');
  if (heightCm !== undefined) info.heightCm = heightCm;
  const weightKg = num('weight');
  if (weightKg !== undefined) info.weightKg = weightKg;
  return info;
}

function patientDirsIn(dir: string): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => PATIENT_DIR.test(name) && fs.existsSync(path.join(dir, name, 'Info.cfg')))
    .map((name) => path.join(dir, name));
}

/** True when `dir` (or its `training/` / `testing/`) holds `patientNNN/Info.cfg` folders. */
export function isAcdcOriginalLayout(dir: string): boolean {
  return [dir, path.join(dir, 'training'), path.join(dir, 'testing')].some((d) => patientDirsIn(d).length > 0);
}

/** Every patient folder with an Info.cfg, sorted by patient id; reads the Info.cfg files only. */
export function findAcdcOriginalPatients(dir: string): AcdcOriginalPatient[] {
  const byPatient = new Map<string, AcdcOriginalPatient>();
  for (const d of [dir, path.join(dir, 'training'), path.join(dir, 'testing')]) {
    for (const pdir of patientDirsIn(d)) {
      const patient = path.basename(pdir);
      const cfg = path.join(pdir, 'Info.cfg');
      const seen = byPatient.get(patient);
      if (seen) throw new LoadError(`${patient} is in both ${seen.dir} and ${pdir}; keep one copy.`, cfg);
      byPatient.set(patient, { patient, dir: pdir, info: parseAcdcInfoCfg(fs.readFileSync(cfg, 'utf8'), cfg) });
    }
  }
  return [...byPatient.values()].sort((a, b) => a.patient.localeCompare(b.patient));
}

/**
 * The ED and ES frames of one patient as TrainVolumes (spacing from the NIfTI pixdim, raw intensities).
 * @throws LoadError naming the file when a frame or label file is missing, unreadable, on another grid,
 *   or holds label values other than 0..3.
 */
export function loadAcdcOriginalPatient(p: AcdcOriginalPatient): TrainVolume[] {
  const out: TrainVolume[] = [];
  for (const [phase, frameNumber] of [
    ['ED', p.info.edFrame],
    ['ES', p.info.esFrame],
  ] as const) {
    const stem = `${p.patient}_frame${String(frameNumber).padStart(2, '0')}`;
    const imageFile = findNifti(p.dir, stem);
    const labelFile = findNifti(p.dir, `${stem}_gt`);
    if (!imageFile || !labelFile) {
      const missing = !imageFile ? `${stem}.nii.gz` : `${stem}_gt.nii.gz`;
      throw new LoadError(
        `${path.join(p.dir, missing)} is missing; Info.cfg gives ${phase}: ${frameNumber}, so it should hold the ${phase} ${!imageFile ? 'image' : 'labels'}.`,
        path.join(p.dir, missing),
      );
    }
    const image = readNiftiFile(imageFile).volume;
    const labels = readNiftiFile(labelFile).volume;
    checkSameGrid(labels, image, labelFile, imageFile);
    if (image.dims.frames !== 1) {
      throw new LoadError(`${imageFile} has ${image.dims.frames} frames; an ACDC frame file holds one.`, imageFile);
    }
    const { cols, rows, slices } = image.dims;
    const pixels = frameOf(image, 0);
    out.push({
      id: `acdc/${p.patient}/${phase}`,
      source: 'acdc',
      patient: p.patient,
      phase,
      cols,
      rows,
      slices,
      spacingColMm: image.spacingMm.col,
      spacingRowMm: image.spacingMm.row,
      spacingSliceMm: image.spacingMm.slice,
      image: pixels,
      labels: toAcdcLabels(labels.data, labelFile),
      labelledSlices: new Array<boolean>(slices).fill(true),
      labelledClasses: [0, 1, 2, 3],
      stats: intensityStats(pixels),
    });
  }
  return out;
}

/** All patients of `dir` (or those in `patients`), in patient order. */
export function loadAcdcOriginal(dir: string, patients?: Set<string>): TrainVolume[] {
  return findAcdcOriginalPatients(dir)
    .filter((p) => !patients || patients.has(p.patient))
    .flatMap(loadAcdcOriginalPatient);
}

/**
 * Which on-disk layout `--data DIR` holds for a source, and who trains and who validates in it.
 *
 * - acdc: `DIR/acdc/info.csv` -> the shared HDF5 layout (read by acdc.ts, split by split.json as before);
 *   else `patientNNN/Info.cfg` folders in `DIR/acdc` or `DIR` -> the original ACDC layout.
 * - mnms: `Training/Labeled` or a `*Dataset_information*.csv` in `DIR/mnms`, `DIR/mnms/OpenDataset`, `DIR`
 *   or `DIR/OpenDataset`.
 *
 * The split for these layouts is computed, not stored: patients split.json lists keep their side; ACDC
 * training patients (001-100) it does not list are the project's held-out test patients and never load;
 * every other patient goes to validation when FNV-1a(id) % 100 < 20, else to training (about 80/20,
 * stable when patients are added or removed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { LoadError } from '../../../src/io/index';
import { findAcdcOriginalPatients, isAcdcOriginalLayout, loadAcdcOriginal } from './acdcOriginal';
import { findMnmsCases, isMnmsLayout, loadMnms } from './mnms';
import { isMnmsCropsLayout, loadMnmsCrops, readMnmsCropsInfo } from './mnmsCrops';
import type { TrainVolume } from './trainVolume';

export type LayoutSource = 'acdc' | 'mnms';
export type Layout = 'acdc-h5' | 'acdc-original' | 'mnms' | 'mnms-crops';

export interface DetectedLayout {
  layout: Layout;
  /** The folder its reader takes. */
  dir: string;
}

export interface PatientSplit {
  train: string[];
  val: string[];
  /** Held out: never loaded for training or validation. */
  test: string[];
}

/** Percentage of unlisted patients that the hash sends to validation. */
export const VAL_PERCENT = 20;

function isAcdcH5(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'info.csv'));
}

function describe(dataDir: string): string {
  const found: string[] = [];
  if (isAcdcH5(path.join(dataDir, 'acdc'))) found.push('the shared ACDC HDF5 layout (acdc/info.csv)');
  if (isAcdcOriginalLayout(dataDir) || isAcdcOriginalLayout(path.join(dataDir, 'acdc'))) {
    found.push('the original ACDC layout (patientNNN/Info.cfg): use --sources acdc');
  }
  if (mnmsCandidates(dataDir).some(isMnmsLayout)) found.push('the M&Ms layout: use --sources mnms');
  return found.length > 0 ? ` It holds ${found.join('; ')}.` : ' It holds neither.';
}

function mnmsCandidates(dataDir: string): string[] {
  return [
    path.join(dataDir, 'mnms'),
    path.join(dataDir, 'mnms', 'OpenDataset'),
    dataDir,
    path.join(dataDir, 'OpenDataset'),
  ];
}

/**
 * Finds where `source`'s data lives under `dataDir` and in which layout.
 * @throws LoadError naming `dataDir`, the layouts looked for, and what it holds instead.
 */
export function detectLayout(dataDir: string, source: LayoutSource): DetectedLayout {
  if (!fs.existsSync(dataDir) || !fs.statSync(dataDir).isDirectory()) {
    throw new LoadError(`The data folder ${dataDir} does not exist or is not a folder.`, dataDir);
  }
  if (source === 'acdc') {
    const acdcDir = path.join(dataDir, 'acdc');
    if (isAcdcH5(acdcDir)) return { layout: 'acdc-h5', dir: acdcDir };
    for (const dir of [acdcDir, dataDir]) if (isAcdcOriginalLayout(dir)) return { layout: 'acdc-original', dir };
    throw new LoadError(
      `No ACDC data in ${dataDir}: expected acdc/info.csv with acdc/volumes/*.h5 (the shared HDF5 layout), or ` +
        `patientNNN/Info.cfg folders with patientNNN_frameEE(_gt).nii.gz (the original ACDC layout) in ${dataDir} ` +
        `or ${acdcDir}.${describe(dataDir)}`,
      dataDir,
    );
  }
  const crops = path.join(dataDir, 'mnms');
  if (isMnmsCropsLayout(crops)) return { layout: 'mnms-crops', dir: crops };
  const dir = mnmsCandidates(dataDir).find(isMnmsLayout);
  if (dir) return { layout: 'mnms', dir };
  throw new LoadError(
    `No M&Ms data in ${dataDir}: expected Training/Labeled/<code>/<code>_sa(_gt).nii.gz or a ` +
      `*Dataset_information*.csv in ${dataDir}, ${path.join(dataDir, 'mnms')} or an OpenDataset folder in either.${describe(dataDir)}`,
    dataDir,
  );
}

/** 32-bit FNV-1a of a string's UTF-16 code units. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** True when the hash split sends an unlisted patient to validation. */
export function hashedToVal(patient: string): boolean {
  return fnv1a(patient) % 100 < VAL_PERCENT;
}

/**
 * Splits patients by id: `listed` (from split.json) first, then `heldOut`, then the hash.
 * Each output list is sorted.
 */
export function splitPatients(
  patients: string[],
  listed?: { train: string[]; val: string[] },
  heldOut: (patient: string) => boolean = () => false,
): PatientSplit {
  const train = new Set(listed?.train ?? []);
  const val = new Set(listed?.val ?? []);
  const out: PatientSplit = { train: [], val: [], test: [] };
  for (const p of [...new Set(patients)].sort()) {
    if (train.has(p)) out.train.push(p);
    else if (val.has(p)) out.val.push(p);
    else if (heldOut(p)) out.test.push(p);
    else (hashedToVal(p) ? out.val : out.train).push(p);
  }
  return out;
}

/**
 * ACDC's 100 training patients that split.json does not list are the ones kept out of ../shared/data
 * as the project's external test set; the 50 ACDC testing patients (101-150) are not covered by it.
 */
export function acdcHeldOut(listed: { train: string[]; val: string[] } | undefined): (patient: string) => boolean {
  if (!listed || listed.train.length + listed.val.length === 0) return () => false;
  return (p) => {
    const m = /^patient(\d{3})$/.exec(p);
    return m !== null && Number(m[1]) <= 100;
  };
}

/** Patients split.json names as held-out test patients (never loaded for training or validation). */
export function listedTest(listed: { test?: string[] } | undefined): (patient: string) => boolean {
  const test = new Set(listed?.test ?? []);
  return (p) => test.has(p);
}

/** The split of a detected original-ACDC or M&Ms layout (reads Info.cfg / the folder tree only). */
export function layoutSplit(
  detected: DetectedLayout,
  listed?: { train: string[]; val: string[]; test?: string[] },
): PatientSplit {
  switch (detected.layout) {
    case 'acdc-original':
      return splitPatients(
        findAcdcOriginalPatients(detected.dir).map((p) => p.patient),
        listed,
        acdcHeldOut(listed),
      );
    case 'mnms':
      return splitPatients(
        findMnmsCases(detected.dir).map((c) => c.code),
        listed,
      );
    case 'mnms-crops':
      return splitPatients(
        readMnmsCropsInfo(detected.dir).map((c) => c.subject),
        listed,
        listedTest(listed),
      );
    case 'acdc-h5':
      throw new Error('the shared HDF5 layout is split by split.json (see datasets.ts)');
  }
}

/** Loads the listed patients of a detected original-ACDC or M&Ms layout. */
export function loadLayoutPatients(detected: DetectedLayout, patients: string[]): TrainVolume[] {
  const ids = new Set(patients);
  switch (detected.layout) {
    case 'acdc-original':
      return loadAcdcOriginal(detected.dir, ids);
    case 'mnms':
      return loadMnms(detected.dir, ids);
    case 'mnms-crops':
      return loadMnmsCrops(detected.dir, ids);
    case 'acdc-h5':
      throw new Error('the shared HDF5 layout is read by acdc.ts');
  }
}

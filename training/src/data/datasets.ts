/**
 * Training / validation volumes by source. The ACDC split is by patient and lives in training/split.json
 * (made once by makeSplit.ts) so every run and the evaluation agree on who was held out.
 *
 * `dataDir` may also hold the original ACDC layout or the M&Ms layout (see layouts.ts): those are split
 * by split.json where it lists their patients, else by a computed, stable hash of the patient id.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadAcdc } from './acdc';
import { detectLayout, layoutSplit, loadLayoutPatients, type LayoutSource } from './layouts';
import type { TrainVolume } from './trainVolume';

/**
 * Patient-level split: `train` trains, `val` chooses (checkpoints, recipes, postprocessing thresholds),
 * `test` is held out and only reported.
 */
export interface PatientSets {
  train: string[];
  val: string[];
  test: string[];
}

export interface Split {
  acdc: PatientSets;
  sunnybrook: { train: string[]; test: string[] };
  /** M&Ms subjects (the shared crops); in other M&Ms layouts unlisted codes are split by hash (layouts.ts). */
  mnms?: PatientSets;
}

export const SPLIT_FILE = path.resolve(import.meta.dirname, '../../split.json');

export function readSplit(): Split {
  return JSON.parse(fs.readFileSync(SPLIT_FILE, 'utf8')) as Split;
}

function limitIds<T extends { train: string[]; val: string[] }>(ids: T, limit: number): T {
  return limit ? { ...ids, train: ids.train.slice(0, limit), val: ids.val.slice(0, Math.max(1, Math.floor(limit / 4))) } : ids;
}

export async function loadTrainingData(
  dataDir: string,
  sources: string[],
  limit = 0,
): Promise<{ train: TrainVolume[]; val: TrainVolume[] }> {
  const split = readSplit();
  const train: TrainVolume[] = [];
  const val: TrainVolume[] = [];
  for (const source of ['acdc', 'mnms'] as const satisfies LayoutSource[]) {
    if (!sources.includes(source)) continue;
    const detected = detectLayout(dataDir, source);
    if (detected.layout === 'acdc-h5') {
      const ids = limitIds(split.acdc, limit);
      train.push(...(await loadAcdc(detected.dir, new Set(ids.train))));
      val.push(...(await loadAcdc(detected.dir, new Set(ids.val))));
      continue;
    }
    const ids = limitIds(layoutSplit(detected, source === 'acdc' ? split.acdc : split.mnms), limit);
    train.push(...loadLayoutPatients(detected, ids.train));
    val.push(...loadLayoutPatients(detected, ids.val));
  }
  if (sources.includes('sunnybrook')) {
    const { loadSunnybrook } = await import('./sunnybrook');
    const sbDir = path.join(dataDir, 'sunnybrook');
    train.push(...(await loadSunnybrook(sbDir, split.sunnybrook.train)));
  }
  if (sources.includes('phantom')) {
    const { phantomTrainVolumes } = await import('./phantom');
    // 8 phantoms x 3 frames x 8-12 slices: a small share (~15%) of the ACDC slices.
    train.push(...phantomTrainVolumes(limit ? 1 : 8));
  }
  return { train, val };
}

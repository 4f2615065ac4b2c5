/**
 * Training / validation volumes by source. The ACDC split is by patient and lives in training/split.json
 * (made once by makeSplit.ts) so every run and the evaluation agree on who was held out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadAcdc } from './acdc';
import type { TrainVolume } from './trainVolume';

export interface Split {
  acdc: { train: string[]; val: string[] };
  sunnybrook: { train: string[]; test: string[] };
}

export const SPLIT_FILE = path.resolve(import.meta.dirname, '../../split.json');

export function readSplit(): Split {
  return JSON.parse(fs.readFileSync(SPLIT_FILE, 'utf8')) as Split;
}

export async function loadTrainingData(
  dataDir: string,
  sources: string[],
  limit = 0,
): Promise<{ train: TrainVolume[]; val: TrainVolume[] }> {
  const split = readSplit();
  const train: TrainVolume[] = [];
  const val: TrainVolume[] = [];
  if (sources.includes('acdc')) {
    const acdcDir = path.join(dataDir, 'acdc');
    const trainIds = limit ? split.acdc.train.slice(0, limit) : split.acdc.train;
    const valIds = limit ? split.acdc.val.slice(0, Math.max(1, Math.floor(limit / 4))) : split.acdc.val;
    train.push(...(await loadAcdc(acdcDir, new Set(trainIds))));
    val.push(...(await loadAcdc(acdcDir, new Set(valIds))));
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

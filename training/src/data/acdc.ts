/** ACDC in the shared HDF5 layout: volumes/patientNNN_frameFF.h5 with image/label [slices, rows, cols]. */
import path from 'node:path';
import h5wasm from 'h5wasm/node';
import { intensityStats } from '../../../src/core/preprocess';
import { readAcdcInfo, type AcdcPatientInfo } from './acdcInfo';
import type { TrainVolume } from './trainVolume';

export async function readAcdcH5(file: string): Promise<{ image: Float32Array; labels: Uint8Array; shape: number[] }> {
  await h5wasm.ready;
  const f = new h5wasm.File(file, 'r');
  try {
    const img = f.get('image') as { shape: number[] | null; value: unknown };
    const lab = f.get('label') as { shape: number[] | null; value: unknown };
    const shape = img.shape as number[];
    return { image: Float32Array.from(img.value as Float32Array), labels: Uint8Array.from(lab.value as Uint8Array), shape };
  } finally {
    f.close();
  }
}

export async function loadAcdcPatient(acdcDir: string, info: AcdcPatientInfo): Promise<TrainVolume[]> {
  const out: TrainVolume[] = [];
  for (const [phase, frame] of [
    ['ED', info.edFrame],
    ['ES', info.esFrame],
  ] as const) {
    const file = path.join(acdcDir, 'volumes', `${info.patient}_frame${String(frame).padStart(2, '0')}.h5`);
    const { image, labels, shape } = await readAcdcH5(file);
    const [slices, rows, cols] = shape as [number, number, number];
    out.push({
      id: `acdc/${info.patient}/${phase}`,
      source: 'acdc',
      patient: info.patient,
      phase,
      cols,
      rows,
      slices,
      spacingColMm: info.pixelMm,
      spacingRowMm: info.pixelMm,
      spacingSliceMm: info.sliceSpacingMm,
      image,
      labels,
      labelledSlices: new Array<boolean>(slices).fill(true),
      labelledClasses: [0, 1, 2, 3],
      stats: intensityStats(image),
    });
  }
  return out;
}

export async function loadAcdc(acdcDir: string, patients?: Set<string>): Promise<TrainVolume[]> {
  const infos = readAcdcInfo(acdcDir).filter((i) => !patients || patients.has(i.patient));
  const all: TrainVolume[] = [];
  for (const info of infos) all.push(...(await loadAcdcPatient(acdcDir, info)));
  return all;
}

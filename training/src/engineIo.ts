/** What training's evaluation commands hand to the app's engine: published models and training volumes as series. */
import fs from 'node:fs';
import path from 'node:path';
import { diagonalAffine, type Volume } from '../../src/core/volume';
import { loadModel, planSeries, segmentFrame, type FrameOptions, type LoadedModel } from '../../src/segment/engine';
import type { TrainVolume } from './data/trainVolume';
import { MODELS_DIR } from './paths';

/** A published model (`id@version`) through the app's own loader (manifest checks and sha256 included). */
export function loadPublishedModel(idAtVersion: string, modelsDir = MODELS_DIR): Promise<LoadedModel> {
  const [id, version] = idAtVersion.split('@') as [string, string];
  const dir = path.join(modelsDir, id, version);
  return loadModel((f) => Promise.resolve(new Uint8Array(fs.readFileSync(path.join(dir, f)))));
}

/** Frames on `t`'s grid (each as long as `t.image`) as one series of the engine, 40 ms apart. */
export function engineVolume(frames: { image: Float32Array }[], t: TrainVolume): Volume {
  const data = new Float32Array(frames.length * t.image.length);
  frames.forEach((f, i) => data.set(f.image, i * t.image.length));
  const spacingMm = { col: t.spacingColMm, row: t.spacingRowMm, slice: t.spacingSliceMm };
  return {
    data,
    dims: { cols: t.cols, rows: t.rows, slices: t.slices, frames: frames.length },
    spacingMm,
    affine: diagonalAffine(spacingMm),
    frameTimesMs: frames.map((_, i) => i * 40),
    meta: { source: 'nifti', name: t.id, sliceThicknessMm: t.spacingSliceMm },
  };
}

/** One training volume segmented by the app's engine as a one-frame series on a `cropPx` heart crop. */
export function segmentTrainVolume(model: LoadedModel, t: TrainVolume, cropPx: number, opts: FrameOptions = {}): Uint8Array {
  const volume = engineVolume([t], t);
  const { plan } = planSeries(model, volume, { cropPx });
  return segmentFrame(model, volume, plan, 0, opts);
}

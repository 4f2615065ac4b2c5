/**
 * The project's synthetic cine phantom (src/core/phantom) as a labelled training source: varied pixel
 * size, contraction, noise and signal so the model also segments the bundled sample and smoke-test data.
 */
import { makePhantom } from '../../../src/core/phantom';
import { intensityStats } from '../../../src/core/preprocess';
import { makeRng } from '../util/random';
import type { TrainVolume } from './trainVolume';

export function phantomTrainVolumes(count: number, seed0 = 1000): TrainVolume[] {
  const out: TrainVolume[] = [];
  for (let k = 0; k < count; k++) {
    const rng = makeRng(seed0 + k);
    const size = 144 + 16 * rng.int(6);
    const ph = makePhantom({
      seed: seed0 + k,
      cols: size,
      rows: size,
      pixelMm: rng.uniform(1.25, 1.9),
      slices: 8 + rng.int(5),
      frames: 20,
      esRadiusRatio: rng.uniform(0.45, 0.8),
      noise: rng.uniform(0.015, 0.06),
      bloodSignal: rng.uniform(400, 1600),
    });
    const v = ph.volume;
    const { cols, rows, slices } = v.dims;
    const len = cols * rows * slices;
    const stats = intensityStats(v.data);
    for (const frame of [ph.edFrame, ph.esFrame, Math.floor((ph.edFrame + ph.esFrame) / 2)]) {
      out.push({
        id: `phantom/${seed0 + k}/f${frame}`,
        source: 'phantom',
        patient: `phantom${seed0 + k}`,
        phase: `frame${frame + 1}`,
        cols,
        rows,
        slices,
        spacingColMm: v.spacingMm.col,
        spacingRowMm: v.spacingMm.row,
        spacingSliceMm: v.spacingMm.slice,
        image: v.data.slice(frame * len, (frame + 1) * len),
        labels: ph.labels.data.slice(frame * len, (frame + 1) * len),
        labelledSlices: new Array<boolean>(slices).fill(true),
        labelledClasses: [0, 1, 2, 3],
        stats,
      });
    }
  }
  return out;
}

/**
 * Heart-centred inference through the engine with a published model: the locator finds a heart that is far from
 * the image centre, the crop is centred on it, and the masks on the crop match the phantom's labels.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Label } from '@/core/labels';
import { dice } from '@/core/metrics';
import { makePhantom } from '@/core/phantom';
import type { Volume } from '@/core/volume';
import { disposeModel, imagesPerPass, loadModel, planSeries, segmentFrame, type LoadedModel } from './engine';

const MODELS = path.resolve(import.meta.dirname, '../../public/models');
let model: LoadedModel;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const dir = path.join(MODELS, 'student', '1.1.0');
  model = await loadModel((f) => Promise.resolve(new Uint8Array(readFileSync(path.join(dir, f)))));
  return () => disposeModel(model);
});

/** A 160 x 160 phantom pasted into a 320 x 320 field of view at (`dx`, `dy`). */
function offCentre(dx: number, dy: number): { volume: Volume; labels: Uint8Array; centre: { x: number; y: number } } {
  const ph = makePhantom({ slices: 6, frames: 1, seed: 3 });
  const n = 320;
  const { cols, rows, slices } = ph.volume.dims;
  const data = new Float32Array(n * n * slices);
  const labels = new Uint8Array(n * n * slices);
  let cx = 0;
  let cy = 0;
  let count = 0;
  for (let s = 0; s < slices; s++) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const src = c + cols * (r + rows * s);
        const dst = c + dx + n * (r + dy + n * s);
        data[dst] = ph.volume.data[src]!;
        labels[dst] = ph.labels.data[src]!;
        if (labels[dst] > 0) {
          cx += c + dx;
          cy += r + dy;
          count++;
        }
      }
    }
  }
  return {
    volume: { ...ph.volume, data, dims: { cols: n, rows: n, slices, frames: 1 }, intensity: undefined },
    labels,
    centre: { x: cx / count, y: cy / count },
  };
}

describe('heart-centred inference', () => {
  it('locates an off-centre heart and segments it on a 128 crop', () => {
    const { volume, labels, centre } = offCentre(10, 150);
    const { plan, heart } = planSeries(model, volume, { cropPx: 128 });
    expect(heart?.found).toBe(true);
    expect(Math.hypot(heart!.centerPx.x - centre.x, heart!.centerPx.y - centre.y) * volume.spacingMm.col).toBeLessThan(15);
    expect(plan.cfg.inputSize).toBe(128);
    const pred = segmentFrame(model, volume, plan, 0);
    expect(dice(pred, labels, Label.LVCavity)).toBeGreaterThan(0.8);
    expect(dice(pred, labels, Label.Myocardium)).toBeGreaterThan(0.6);
    // Without a crop the same model runs on the image-centred canvas, and no location is made.
    expect(planSeries(model, volume, { cropPx: 0 }).heart).toBeNull();
  });

  it('says when there is no heart (a constant image), and keeps the image centre', () => {
    const { volume } = offCentre(0, 0);
    const blank: Volume = { ...volume, data: new Float32Array(volume.data.length), intensity: undefined };
    const { heart } = planSeries(model, blank, { cropPx: 128 });
    expect(heart).toMatchObject({ found: false, centerPx: { x: 159.5, y: 159.5 } });
  });

  it('bounds each forward pass by the memory budget', () => {
    const small = imagesPerPass(model, 128, 64 * 1024 * 1024);
    const large = imagesPerPass(model, 192, 64 * 1024 * 1024);
    expect(small).toBeGreaterThan(large);
    expect(large).toBeGreaterThanOrEqual(1);
    expect(imagesPerPass(model, 192, 1)).toBe(1);
  });
});

/** Backend-independent checkpoints: weights.bin (float32, concatenated) + weights.json (names, shapes). */
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

interface WeightEntry {
  name: string;
  shape: number[];
}

export function saveWeights(model: tf.LayersModel, dir: string, extra: Record<string, unknown> = {}): void {
  fs.mkdirSync(dir, { recursive: true });
  const entries: WeightEntry[] = [];
  const chunks: Buffer[] = [];
  for (const w of model.weights) {
    const v = w.read();
    entries.push({ name: w.name, shape: v.shape });
    const data = v.dataSync() as Float32Array;
    chunks.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }
  const tmp = path.join(dir, 'weights.bin.tmp');
  fs.writeFileSync(tmp, Buffer.concat(chunks));
  fs.renameSync(tmp, path.join(dir, 'weights.bin'));
  fs.writeFileSync(path.join(dir, 'weights.json'), JSON.stringify({ weights: entries, ...extra }, null, 1));
}

export function loadWeights(model: tf.LayersModel, dir: string): Record<string, unknown> {
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'weights.json'), 'utf8')) as { weights: WeightEntry[] } & Record<string, unknown>;
  const buf = fs.readFileSync(path.join(dir, 'weights.bin'));
  const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  if (meta.weights.length !== model.weights.length) {
    throw new Error(`checkpoint ${dir} has ${meta.weights.length} weights, model has ${model.weights.length}`);
  }
  let off = 0;
  const tensors = meta.weights.map((e, i) => {
    const size = e.shape.reduce((a, b) => a * b, 1);
    const mw = model.weights[i]!;
    if (mw.shape.join(',') !== e.shape.join(',')) throw new Error(`weight ${i} (${e.name}) shape ${e.shape.join('x')} != model ${mw.shape.join('x')}`);
    const t = tf.tensor(all.slice(off, off + size), e.shape);
    off += size;
    return t;
  });
  model.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
  return meta;
}

/** Backend-independent checkpoints: weights.bin (float32, concatenated) + weights.json (names, shapes). */
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

interface WeightEntry {
  name: string;
  shape: number[];
}

type CheckpointMeta = { weights: WeightEntry[] } & Record<string, unknown>;

/** weights.json and the float32 values of weights.bin in `dir`. */
function readCheckpoint(dir: string): { meta: CheckpointMeta; values: Float32Array } {
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'weights.json'), 'utf8')) as CheckpointMeta;
  const buf = fs.readFileSync(path.join(dir, 'weights.bin'));
  return { meta, values: new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4) };
}

/** weights.bin (written to a temporary file, then renamed) and weights.json in `dir`. */
function writeCheckpoint(dir: string, entries: WeightEntry[], bin: Buffer, extra: Record<string, unknown>): void {
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, 'weights.bin.tmp');
  fs.writeFileSync(tmp, bin);
  fs.renameSync(tmp, path.join(dir, 'weights.bin'));
  fs.writeFileSync(path.join(dir, 'weights.json'), JSON.stringify({ weights: entries, ...extra }, null, 1));
}

export function saveWeights(model: tf.LayersModel, dir: string, extra: Record<string, unknown> = {}): void {
  const entries: WeightEntry[] = [];
  const chunks: Buffer[] = [];
  for (const w of model.weights) {
    const v = w.read();
    entries.push({ name: w.name, shape: v.shape });
    const data = v.dataSync() as Float32Array;
    chunks.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }
  writeCheckpoint(dir, entries, Buffer.concat(chunks), extra);
}

/**
 * `widenInput`: the checkpoint comes from a one-channel model and `model` takes C (odd) input channels: the first
 * convolution's kernel [k, k, 1, F] goes to the middle input channel of [k, k, C, F], the others start at zero.
 */
export function loadWeights(model: tf.LayersModel, dir: string, opts: { widenInput?: boolean } = {}): Record<string, unknown> {
  const { meta, values: all } = readCheckpoint(dir);
  if (meta.weights.length !== model.weights.length) {
    throw new Error(`checkpoint ${dir} has ${meta.weights.length} weights, model has ${model.weights.length}`);
  }
  let off = 0;
  const tensors = meta.weights.map((e, i) => {
    const size = e.shape.reduce((a, b) => a * b, 1);
    const mw = model.weights[i]!;
    const values = all.slice(off, off + size);
    off += size;
    if (mw.shape.join(',') === e.shape.join(',')) return tf.tensor(values, e.shape);
    const [kh, kw, cin, f] = e.shape;
    const C = mw.shape[2] as number;
    const widenable = opts.widenInput && i === 0 && e.shape.length === 4 && cin === 1 && mw.shape.length === 4 && C % 2 === 1 &&
      mw.shape[0] === kh && mw.shape[1] === kw && mw.shape[3] === f;
    if (!widenable) throw new Error(`weight ${i} (${e.name}) shape ${e.shape.join('x')} != model ${mw.shape.join('x')}`);
    const wide = new Float32Array(kh! * kw! * C * f!);
    const mid = (C - 1) / 2;
    for (let p = 0; p < kh! * kw!; p++) for (let o = 0; o < f!; o++) wide[(p * C + mid) * f! + o] = values[p * f! + o]!;
    return tf.tensor(wide, mw.shape as number[]);
  });
  model.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
  return meta;
}

/**
 * The weighted mean of checkpoints of one architecture (a "model soup": points of one training chain, e.g. a run's
 * start and end), written as a checkpoint in `outDir`. Batch-norm moving statistics are averaged like every other
 * weight. `extra` goes into weights.json. Throws when the checkpoints' weight shapes differ.
 */
export function averageCheckpoints(dirs: string[], mix: number[], outDir: string, extra: Record<string, unknown> = {}): void {
  if (!dirs.length || dirs.length !== mix.length) throw new Error(`averageCheckpoints: ${dirs.length} checkpoints, ${mix.length} weights`);
  const total = mix.reduce((a, b) => a + b, 0);
  if (!(total > 0) || mix.some((w) => !(w >= 0))) throw new Error(`averageCheckpoints: weights ${mix.join(',')} must be >= 0 with a positive sum`);
  let entries: WeightEntry[] | null = null;
  let sum: Float64Array | null = null;
  dirs.forEach((dir, k) => {
    const { meta, values } = readCheckpoint(dir);
    // Shapes in order, as loadWeights checks them (layer names carry a per-process counter).
    const sig = (e: WeightEntry[]): string => e.map((w) => w.shape.join('x')).join(',');
    if (!entries) {
      entries = meta.weights;
      sum = new Float64Array(values.length);
    } else if (sig(entries) !== sig(meta.weights) || values.length !== sum!.length) {
      throw new Error(`averageCheckpoints: ${dir} does not hold the weights of ${dirs[0]} (weight shapes differ)`);
    }
    const w = mix[k]! / total;
    for (let i = 0; i < values.length; i++) sum![i]! += w * values[i]!;
  });
  writeCheckpoint(outDir, entries!, Buffer.from(Float32Array.from(sum!).buffer), extra);
}

/**
 * What the benchmark runs: one task per backend configuration (each in a fresh worker), with the models of
 * models/index.json, their batch sizes and repetitions. The wasm configurations are the app's; webgl (SwiftShader
 * without a GPU) and cpu are for comparison and get fewer repetitions because they are slow.
 */
import type { ModelIndex, ModelIndexEntry } from '@/segment/manifest';
import { modelKey } from '@/segment/modelIndex';
import type { BackendTask, ModelTask } from './protocol';

export interface PlanOptions {
  /** Timed repetitions per (model, batch) on the wasm configurations (webgl and cpu use fewer). */
  reps: number;
  /** Few repetitions, teacher at batch 1 only, no webgl or cpu: a smoke run. */
  quick: boolean;
  /** Also time the students on an n x n heart crop (`--crop n`) on the wasm configurations. */
  cropPx?: number;
  /** Batch sizes of the wasm configurations (default [1, SLICES_PER_FRAME]). */
  batches?: number[];
}

/** Images per forward pass besides 1: the slices of one cine frame (Sunnybrook and ACDC have 10 to 12). */
export const SLICES_PER_FRAME = 12;

export const DEFAULT_REPS = { full: 10, quick: 2 };

/** The student is the model the app runs by default; every other model (the teacher) is the heavy reference. */
export const isStudent = (m: { id: string }): boolean => m.id === 'student';

export function benchPlan(index: ModelIndex, modelsUrl: string, o: PlanOptions): BackendTask[] {
  const reps = Math.max(1, Math.round(o.reps));
  const warmup = o.quick ? 1 : 3;
  const task = (m: ModelIndexEntry, batches: number[], r: number, w: number, inputSize?: number): ModelTask => ({
    key: modelKey(m),
    url: new URL(m.path, modelsUrl).href,
    batches,
    warmup: w,
    reps: r,
    ...(inputSize === undefined ? {} : { inputSize }),
  });
  const students = index.models.filter(isStudent);
  const others = index.models.filter((m) => !isStudent(m));
  const batches = o.batches ?? [1, SLICES_PER_FRAME];
  const wasmModels = [
    ...students.map((m) => task(m, batches, reps, warmup)),
    ...(o.cropPx ? students.map((m) => task(m, batches, reps, warmup, o.cropPx)) : []),
    ...others.map((m) => task(m, o.quick ? [1] : batches, reps, warmup)),
  ];
  const tasks: BackendTask[] = [
    { config: 'wasm-simd-threads', backend: { name: 'wasm', threads: true }, models: wasmModels, peakReps: reps },
    { config: 'wasm-simd-1-thread', backend: { name: 'wasm', threads: false }, models: wasmModels, peakReps: reps },
  ];
  if (o.quick) return tasks;
  const slowReps = Math.min(reps, 3);
  tasks.push(
    {
      config: 'webgl',
      backend: { name: 'webgl' },
      models: [
        // One warm-up: the first pass compiles the shaders; later passes reuse them.
        ...students.map((m) => task(m, [1, SLICES_PER_FRAME], slowReps, 1)),
        // SwiftShader runs the teacher at a few seconds a pass: batch 1 only.
        ...others.map((m) => task(m, [1], Math.min(reps, 2), 1)),
      ],
      peakReps: slowReps,
    },
    {
      // tfjs's plain-JavaScript kernels: seconds per image, so the student only, batch 1, 2 repetitions.
      config: 'cpu',
      backend: { name: 'cpu' },
      models: students.map((m) => task(m, [1], Math.min(reps, 2), 1)),
      peakReps: 2,
    },
  );
  return tasks;
}

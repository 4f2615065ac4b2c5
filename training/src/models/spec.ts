/** A model is named by a small spec so that runs, caches and exports can rebuild it. */
import type * as tf from '@tensorflow/tfjs';
import { buildStudent, studentWithExpansion } from './student';
import { buildTeacher } from './teacher';

export type ModelSpec = { kind: 'teacher'; features: number[] } | { kind: 'student'; expansion: number };

export function buildModel(spec: ModelSpec, inputSize: number | null = null): tf.LayersModel {
  return spec.kind === 'teacher'
    ? buildTeacher({ features: spec.features }, inputSize)
    : buildStudent(studentWithExpansion(spec.expansion), inputSize);
}

/** A model is named by a small spec so that runs, caches and exports can rebuild it. */
import type * as tf from '@tensorflow/tfjs';
import { buildStudent, studentWithExpansion } from './student';
import { buildTeacher } from './teacher';

/**
 * `channels`: input channels, 1 (the slice alone, the default) or 3 / 5 (the slice with its through-plane
 * neighbours, src/core/preprocess contextSlices).
 */
export type ModelSpec = ({ kind: 'teacher'; features: number[] } | { kind: 'student'; expansion: number }) & { channels?: number };

export const specChannels = (spec: ModelSpec): number => spec.channels ?? 1;

/** Input channels of a built model (its input's last dimension). */
export const modelChannels = (model: tf.LayersModel): number => (model.inputs[0]!.shape[3] as number | null) ?? 1;

export function buildModel(spec: ModelSpec, inputSize: number | null = null): tf.LayersModel {
  const channels = specChannels(spec);
  return spec.kind === 'teacher'
    ? buildTeacher({ features: spec.features, channels }, inputSize)
    : buildStudent({ ...studentWithExpansion(spec.expansion), channels }, inputSize);
}

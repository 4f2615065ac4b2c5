import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadGraph, runGraph } from '../../../src/segment/graph';
import { buildStudent, studentWithExpansion } from '../models/student';
import { buildTeacher } from '../models/teacher';
import { foldGraph } from './foldGraph';
import { packWeights } from './pack';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Random weights everywhere, including batch-norm statistics, so that folding is really exercised. */
function randomize(model: tf.LayersModel): void {
  model.setWeights(
    model.weights.map((w) => {
      const name = w.name;
      if (/moving_variance/.test(name)) return tf.randomUniform(w.shape as number[], 0.5, 2);
      if (/gamma/.test(name)) return tf.randomUniform(w.shape as number[], 0.5, 1.5);
      return tf.randomNormal(w.shape as number[], 0, 0.3);
    }),
  );
}

describe('foldGraph: the exported graph computes what the trained model computes', () => {
  for (const [label, build] of [
    ['student e8', () => buildStudent(studentWithExpansion(8))],
    ['student e2', () => buildStudent(studentWithExpansion(2))],
    ['teacher', () => buildTeacher({ features: [4, 8, 8, 16, 16] })],
  ] as const) {
    it(`${label}: folded graph logits equal model.predict head 0 within 1e-3`, () => {
      const model = build();
      randomize(model);
      const x = tf.randomUniform([2, 32, 32, 1]);
      const ref = (model.predict(x) as tf.Tensor[])[0]!;
      const folded = foldGraph(model);
      const { json, bytes } = packWeights(folded, 'float32');
      const graph = loadGraph(json, bytes);
      const got = tf.tidy(() => runGraph(graph, x as tf.Tensor4D));
      expect(got.shape).toEqual(ref.shape);
      const diff = tf.max(tf.abs(tf.sub(got, ref))).dataSync()[0]!;
      const scale = tf.max(tf.abs(ref)).dataSync()[0]!;
      expect(diff / Math.max(scale, 1)).toBeLessThan(1e-3);
      // no batch norm survives: every conv is folded
      expect(json.nodes.some((n) => n.op === 'activation')).toBe(false);
    });
  }
});

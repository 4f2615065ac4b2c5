/**
 * Training-step benchmark: tf.layers batch norm + activation ('tfjs') against the fused BatchNormAct
 * ('fused', native TensorFlow kernels; 'fused-ops', the same closed form in tfjs ops) on tfjs-node.
 *
 *   node --import tsx src/commands/benchNorm.ts            # the table (runs each setting in a child process,
 *                                                 # since TF's thread pools are fixed at import)
 *   node --import tsx src/commands/benchNorm.ts --profile student fused 8   # top kernels of one step
 *
 * Loss: softmax cross-entropy of output[0] against a random one-hot, tf.variableGrads + Adam, as training.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type * as tf from '@tensorflow/tfjs-node';

type Norm = 'tfjs' | 'fused' | 'fused-ops';
interface Setting {
  model: 'teacher' | 'student';
  norm: Norm;
  batch: number;
  intra?: number;
  inter?: number;
}

const SIZE = 128;
const WARMUP = 2;
const STEPS = 3;

async function child(s: Setting, profile: boolean): Promise<void> {
  process.env.TF_CPP_MIN_LOG_LEVEL = '2';
  // Imported here, after the thread-count environment variables of this child are set.
  const tfn = await import('@tensorflow/tfjs-node');
  const { buildTeacher } = await import('../models/teacher');
  const { buildStudent, DEFAULT_STUDENT } = await import('../models/student');
  const { batchNormActOptions } = await import('../models/bnAct');
  batchNormActOptions.impl = s.norm === 'fused-ops' ? 'ops' : 'auto';
  const norm = s.norm === 'tfjs' ? 'tfjs' : 'fused';
  const m =
    s.model === 'teacher'
      ? buildTeacher({ features: [16, 32, 64, 128, 256], norm })
      : buildStudent({ ...DEFAULT_STUDENT, norm });
  const x = tfn.randomNormal([s.batch, SIZE, SIZE, 1]);
  const y = tfn.oneHot(tfn.randomUniform([s.batch, SIZE, SIZE], 0, 4, 'int32'), 4).toFloat();
  const opt = tfn.train.adam(1e-3);
  const step = (): void => {
    // Nothing is returned from the tidy: it would walk a returned typed array element by element.
    tfn.tidy(() => {
      const { value, grads } = tfn.variableGrads(() => {
        const out = m.apply(x, { training: true }) as tf.Tensor[];
        return tfn.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(y, out[0]!);
      });
      // variableGrads' map of gradients is what applyGradients takes at run time; only its type differs.
      opt.applyGradients(grads as Parameters<typeof opt.applyGradients>[0]);
      value.dataSync();
    });
  };
  for (let i = 0; i < WARMUP; i++) step();
  if (profile) {
    const info = await tfn.profile(() => step());
    const agg = new Map<string, [number, number]>();
    for (const k of info.kernels) {
      const t: unknown = await k.kernelTimeMs;
      const ms = typeof t === 'number' ? t : 0;
      const a = agg.get(k.name) ?? [0, 0];
      agg.set(k.name, [a[0] + ms, a[1] + 1]);
    }
    const top = [...agg].sort((a, b) => b[1][0] - a[1][0]).slice(0, 20);
    for (const [name, [ms, n]] of top) console.log(`${name.padEnd(28)} ${ms.toFixed(0).padStart(6)} ms  x${n}`);
    return;
  }
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) step();
  const stepMs = (performance.now() - t0) / STEPS;
  console.log(JSON.stringify({ stepMsPerImage: stepMs / s.batch }));
}

function runChild(s: Setting): number {
  const env = { ...process.env };
  if (s.intra != null) env.TF_NUM_INTRAOP_THREADS = String(s.intra);
  if (s.inter != null) env.TF_NUM_INTEROP_THREADS = String(s.inter);
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--child', JSON.stringify(s)],
    {
      env,
      encoding: 'utf8',
    },
  );
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`benchmark child failed for ${JSON.stringify(s)}:\n${r.stderr.slice(-2000)}`);
  return (JSON.parse(line) as { stepMsPerImage: number }).stepMsPerImage;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(JSON.parse(args[1]!) as Setting, false);
  if (args[0] === '--profile') {
    return child(
      {
        model: (args[1] ?? 'student') as Setting['model'],
        norm: (args[2] ?? 'fused') as Norm,
        batch: Number(args[3] ?? 8),
      },
      true,
    );
  }
  const settings: Setting[] = [];
  for (const model of ['teacher', 'student'] as const) {
    for (const norm of ['tfjs', 'fused-ops', 'fused'] as const) settings.push({ model, norm, batch: 8 });
    settings.push({ model, norm: 'fused', batch: 16 });
    settings.push({ model, norm: 'fused', batch: 8, intra: 2, inter: 1 });
    settings.push({ model, norm: 'fused', batch: 8, intra: 2, inter: 2 });
  }
  console.log(`training step at ${SIZE}x${SIZE}, ${WARMUP} warm-up + ${STEPS} timed steps, ms per image`);
  console.log('model    norm       batch  threads(intra/inter)  ms/image');
  for (const s of settings) {
    const ms = runChild(s);
    const threads = s.intra == null ? 'default' : `${s.intra}/${s.inter}`;
    console.log(
      `${s.model.padEnd(8)} ${s.norm.padEnd(10)} ${String(s.batch).padStart(5)}  ${threads.padEnd(20)}  ${ms.toFixed(1).padStart(8)}`,
    );
  }
}

await main();

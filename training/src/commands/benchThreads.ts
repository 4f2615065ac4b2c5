/**
 * Training-speed sweep: oneDNN kernels on/off x optimizer x TensorFlow intra-op / inter-op thread counts x batch
 * size, per model at one size, each setting in a fresh process (TensorFlow reads these settings once, at start-up)
 * running src/commands/benchTrain.ts.
 * Prints a table and writes bench/train-threads.json.
 *
 *   npm run bench:threads          (in training/)   [-- --size 128 --batches 4,8,16 --threads 1:1,2:1,2:2 --reps 5
 *                                                       --onednn 0,1 --optimizers adam,flat-adam --out FILE]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from '../util/args';
import { TRAINING_DIR } from '../paths';

const args = parseArgs(process.argv.slice(2), {
  size: '128',
  batches: '4,8,16',
  threads: '1:1,2:1,2:2',
  models: 'teacher,student',
  reps: '5',
  onednn: '1',
  optimizers: 'flat-adam',
  out: path.join(TRAINING_DIR, 'bench', 'train-threads.json'),
});
const script = path.resolve(import.meta.dirname, 'benchTrain.ts');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cineseg-threads-'));
const rows: Record<string, unknown>[] = [];
for (const onednn of args.onednn.split(',')) {
  for (const optimizer of args.optimizers.split(',')) {
    for (const setting of args.threads.split(',')) {
      const [intra, inter] = setting.split(':');
      for (const batch of args.batches.split(',')) {
        const out = path.join(tmp, `${onednn}-${optimizer}-${intra}-${inter}-${batch}.json`);
        execFileSync(
          process.execPath,
          ['--import', 'tsx', script, '--sizes', args.size, '--batch', batch, '--reps', args.reps, '--models', args.models, '--optimizer', optimizer, '--out', out],
          {
            env: { ...process.env, TF_NUM_INTRAOP_THREADS: intra, TF_NUM_INTEROP_THREADS: inter, TF_ENABLE_ONEDNN_OPTS: onednn, TF_CPP_MIN_LOG_LEVEL: '2' },
            stdio: ['ignore', 'ignore', 'inherit'],
          },
        );
        const result = JSON.parse(fs.readFileSync(out, 'utf8')) as { rows: Record<string, unknown>[] };
        for (const r of result.rows) {
          const row = { oneDnn: onednn === '1', optimizer, intraOp: Number(intra), interOp: Number(inter), ...r };
          rows.push(row);
          console.log(JSON.stringify(row));
        }
      }
    }
  }
}
fs.rmSync(tmp, { recursive: true, force: true });
console.table(rows);
const file = path.resolve(args.out);
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(
  file,
  JSON.stringify(
    {
      created: new Date().toISOString(),
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      loadAverageAtEnd: os.loadavg().map((l) => +l.toFixed(2)),
      note: 'each row a fresh process (src/commands/benchTrain.ts) with TF_ENABLE_ONEDNN_OPTS, TF_NUM_INTRAOP_THREADS / TF_NUM_INTEROP_THREADS set; median of reps',
      rows,
    },
    null,
    1,
  ) + '\n',
);

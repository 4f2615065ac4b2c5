/**
 * A model soup: the weighted mean of checkpoints of one training chain (for example a run's start and its end),
 * written as a run folder that evaluate.ts and export.ts take like any other (`runs/<name>/final`).
 *
 *   node --import tsx src/commands/average.ts --from checkpoints/student-e8-kd15/last,checkpoints/student-e8-mv2/last \
 *     --mix 0.5,0.5 --name student-soup
 *
 * Its training time and steps are those of the first checkpoint's chain (run.json's `init`), so every checkpoint
 * after the first must lie on that chain: export counts nothing twice and nothing is left out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { initChain, readRunInfo } from '../runInfo';
import { RUNS_DIR, TRAINING_DIR } from '../paths';
import { parseArgs } from '../util/args';
import { averageCheckpoints } from '../weights';

const args = parseArgs(process.argv.slice(2), { from: '', mix: '', name: '' });
if (!args.from || !args.name) throw new Error('--from dirA,dirB[,...] and --name are required');
const from = args.from.split(',');
const mix = args.mix ? args.mix.split(',').map(Number) : from.map(() => 1);

/** The run folder a checkpoint folder (`<run>/last`, `<run>/final`; relative to training/) belongs to. */
const runDirOf = (checkpoint: string): string => path.dirname(path.resolve(TRAINING_DIR, checkpoint));
const info = readRunInfo(runDirOf(from[0]!));
if (!info) throw new Error(`--from ${from[0]}: neither run.json nor spec.json beside it`);
// The first checkpoint's run and every run it started from.
const chain = [path.basename(runDirOf(from[0]!)), ...initChain(info).map((l) => l.run)];
for (const f of from.slice(1)) {
  const run = path.basename(runDirOf(f));
  if (!chain.includes(run)) throw new Error(`--from ${f}: run ${run} is not on the chain of ${from[0]} (${chain.join(' <- ')})`);
}
const out = path.join(RUNS_DIR, args.name);
const average = from.map((f, i) => ({ checkpoint: f, weight: mix[i] }));
averageCheckpoints(from.map((f) => path.resolve(TRAINING_DIR, f)), mix, path.join(out, 'final'), { step: 0, elapsedMs: 0, average });
const command = `node --import tsx src/commands/average.ts ${process.argv.slice(2).join(' ')}`;
fs.writeFileSync(
  path.join(out, 'run.json'),
  JSON.stringify({ name: args.name, spec: info.spec, sources: info.sources, command, init: from[0], average }, null, 1) + '\n',
);
console.log(JSON.stringify({ event: 'averaged', out, average }));

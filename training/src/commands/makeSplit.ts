/**
 * Writes training/split.json: three disjoint patient-level sets per source.
 *
 * - ACDC: `test` = the 15 patients (3 per diagnostic group) held out since the first split; `val` = 2 more per
 *   group, drawn (seeded) from the former training patients; the rest train. Choices are made on `val` only.
 * - M&Ms (the shared crops): per vendor, 10 subjects to `test`, 5 to `val`, the rest train (seeded).
 * - Sunnybrook: SCD0000101 (the series the app's e2e tests load) is a test patient.
 *
 *   node --import tsx src/commands/makeSplit.ts [dataDir]
 */
import fs from 'node:fs';
import path from 'node:path';
import { readAcdcInfo } from '../data/acdcInfo';
import { SPLIT_FILE, readSplit, type Split } from '../data/datasets';
import { readMnmsCropsInfo } from '../data/mnmsCrops';
import { makeRng, shuffle } from '../util/random';
import { DATA_DIR } from '../paths';

const dataDir = process.argv[2] ?? DATA_DIR;
const previous = fs.existsSync(SPLIT_FILE) ? readSplit() : undefined;
const infos = readAcdcInfo(path.join(dataDir, 'acdc'));
const rng = makeRng(2024);
// Keep the long-standing held-out patients as the test set (their earlier role as the training-time
// canvas is what this split ends); without a previous split, draw 3 per group.
const acdcTest: string[] = previous?.acdc.test ?? [];
const groups = [...new Set(infos.map((i) => i.group))].sort();
if (acdcTest.length === 0) {
  const oldVal = (previous?.acdc as { val?: string[] } | undefined)?.val;
  if (oldVal && oldVal.length > 0) acdcTest.push(...oldVal);
  else for (const g of groups) acdcTest.push(...shuffle(infos.filter((i) => i.group === g).map((i) => i.patient).sort(), rng).slice(0, 3));
}
const acdcVal: string[] = [];
for (const g of groups) {
  const pool = infos.filter((i) => i.group === g && !acdcTest.includes(i.patient)).map((i) => i.patient).sort();
  acdcVal.push(...shuffle(pool, rng).slice(0, 2));
}
const acdcTrain = infos.map((i) => i.patient).filter((p) => !acdcTest.includes(p) && !acdcVal.includes(p));

const mnms = { train: [] as string[], val: [] as string[], test: [] as string[] };
const subjects = readMnmsCropsInfo(path.join(dataDir, 'mnms'));
for (const vendor of [...new Set(subjects.map((s) => s.vendor))].sort()) {
  const ids = shuffle(subjects.filter((s) => s.vendor === vendor).map((s) => s.subject).sort(), rng);
  mnms.test.push(...ids.slice(0, 10));
  mnms.val.push(...ids.slice(10, 15));
  mnms.train.push(...ids.slice(15));
}
const sorted = (a: string[]): string[] => [...a].sort();
const split: Split = {
  acdc: { train: sorted(acdcTrain), val: sorted(acdcVal), test: sorted(acdcTest) },
  mnms: { train: sorted(mnms.train), val: sorted(mnms.val), test: sorted(mnms.test) },
  sunnybrook: { train: ['SCD0000201', 'SCD0000301'], test: ['SCD0000101'] },
};
fs.writeFileSync(SPLIT_FILE, JSON.stringify(split, null, 1) + '\n');
for (const [source, s] of [['acdc', split.acdc], ['mnms', split.mnms!]] as const) {
  console.log(`${source}: train ${s.train.length}, val ${s.val.length}, test ${s.test.length}`);
}

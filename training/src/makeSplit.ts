/** Writes training/split.json once: ACDC validation = 3 patients per diagnostic group (seeded). */
import fs from 'node:fs';
import path from 'node:path';
import { readAcdcInfo } from './data/acdcInfo';
import { SPLIT_FILE, type Split } from './data/datasets';
import { makeRng, shuffle } from './util/random';

const dataDir = process.argv[2] ?? path.resolve(import.meta.dirname, '../../../shared/data');
const infos = readAcdcInfo(path.join(dataDir, 'acdc'));
const rng = makeRng(2024);
const val: string[] = [];
for (const g of [...new Set(infos.map((i) => i.group))].sort()) {
  val.push(...shuffle(infos.filter((i) => i.group === g).map((i) => i.patient).sort(), rng).slice(0, 3));
}
const split: Split = {
  acdc: { train: infos.map((i) => i.patient).filter((p) => !val.includes(p)), val: val.sort() },
  // SCD0000101 is the series the app's e2e tests load: keep it out of training as an external test patient.
  sunnybrook: { train: ['SCD0000201', 'SCD0000301'], test: ['SCD0000101'] },
};
fs.writeFileSync(SPLIT_FILE, JSON.stringify(split, null, 1) + '\n');
console.log(`train ${split.acdc.train.length}, val ${split.acdc.val.length}: ${split.acdc.val.join(' ')}`);

/**
 * Markdown tables for RESULTS.md from the evaluation reports (reports/evaluation.json, reports/table1.json and,
 * when present, reports/table2.json): held-out ACDC Dice / HD95 / LVEF error, Sunnybrook, phantom.
 *
 *   node --import tsx src/commands/resultsTables.ts [--eval reports/evaluation.json] [--table2 reports/table2.json]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from '../util/args';
import { meanBy, pairedSignFlip } from '../util/paired';
import { TRAINING_DIR } from '../paths';

const here = (p: string): string => path.resolve(TRAINING_DIR, p);
const args = parseArgs(process.argv.slice(2), {
  eval: here('reports/evaluation.json'),
  table1: here('reports/table1.json'),
  table2: here('reports/table2.json'),
  /** Paired comparisons 'a:b,c:d' (default: every distilled student against every non-distilled one, and the
   *  non-distilled runs against each other). */
  pairs: '',
});

type Row = Record<string, number | string>;
interface ModelReport {
  tta: boolean;
  dtype: string;
  acdc: Row;
  sunnybrook: Row[];
  phantom: Row;
  acdcPerVolume?: Row[];
}
const read = <T>(file: string): T | undefined => (fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as T) : undefined);
const f = (x: unknown, d = 3): string => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : '–');

/** "mean ± sd" (sample standard deviation) of several runs' figures. */
function meanSd(xs: number[], d = 3): string {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
  return `${f(m, d)} ± ${f(sd, d)}`;
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function accuracy(models: Record<string, ModelReport>): string {
  const names = Object.keys(models);
  const acdc = table(
    ['model', 'TTA', 'weights', 'Dice RV', 'Dice myo', 'Dice LV', 'Dice mean', 'HD95 RV mm', 'HD95 myo mm', 'HD95 LV mm', 'LVEF MAE (bias) pts', 'RVEF MAE pts', 'LV mass MAE g'],
    names.map((n) => {
      const m = models[n]!;
      const a = m.acdc;
      return [
        n,
        m.tta ? 'yes' : 'no',
        m.dtype,
        f(a.dice_rv),
        f(a.dice_myo),
        f(a.dice_lv),
        f(a.dice_mean),
        f(a.hd95_rv_mm, 1),
        f(a.hd95_myo_mm, 1),
        f(a.hd95_lv_mm, 1),
        `${f(a.lvef_mae_pct, 1)} (${f(a.lvef_bias_pct, 1)})`,
        f(a.rvef_mae_pct, 1),
        f(a.lv_mass_mae_g, 1),
      ];
    }),
  );
  const sb = table(
    ['model', 'patient', 'Dice LV', 'Dice myo (ED)', 'LVEF expert %', 'LVEF model % (expert frames, slices)', 'LVEF model % (automatic)', 'LVEDV expert / model ml', 'LVESV expert / model ml'],
    names.flatMap((n) =>
      models[n]!.sunnybrook.map((s) => [
        n,
        String(s.patient),
        f(s.dice_lv),
        f(s.dice_myo_ed),
        f(s.lvef_expert, 1),
        f(s.lvef_model_expert_frames_slices, 1),
        f(s.lvef_model_auto, 1),
        `${f(s.lvedv_expert_ml, 1)} / ${f(s.lvedv_model_ml, 1)}`,
        `${f(s.lvesv_expert_ml, 1)} / ${f(s.lvesv_model_ml, 1)}`,
      ]),
    ),
  );
  const ph = table(
    ['model', 'Dice RV', 'Dice myo', 'Dice LV'],
    names.map((n) => [n, f(models[n]!.phantom.dice_rv), f(models[n]!.phantom.dice_myo), f(models[n]!.phantom.dice_lv)]),
  );
  return `### Held-out ACDC\n\n${acdc}\n\n### Sunnybrook (test patient)\n\n${sb}\n\n### Synthetic phantoms\n\n${ph}\n`;
}

/** Runs of one recipe that differ only in their seed: `<recipe>-s<seed>` (scripts/seeds.sh). */
function seedArms(names: string[]): Map<string, { seed: number; name: string }[]> {
  const arms = new Map<string, { seed: number; name: string }[]>();
  for (const name of names) {
    const m = /^(.*)-s(\d+)$/.exec(name);
    if (!m) continue;
    arms.set(m[1]!, [...(arms.get(m[1]!) ?? []), { seed: Number(m[2]), name }].sort((a, b) => a.seed - b.seed));
  }
  return arms;
}

/**
 * The default comparisons: each earlier distilled student against each earlier non-distilled run; the two earlier
 * non-distilled runs against each other; then, for the seeded runs, each distilled seed against the non-distilled
 * run of the same seed, the two arms averaged over their seeds, and the non-distilled seeds against each other
 * (how large a difference chance alone makes). An arm is written `a+b+c`: per patient, the mean of its runs.
 */
function defaultPairs(names: string[]): [string, string][] {
  const earlierNoKd = ['student-e8-nokd', 'student-e8-nokd-r2'].filter((n) => names.includes(n));
  const pairs: [string, string][] = [
    ...names.filter((n) => n.includes('-kd-')).flatMap((a) => earlierNoKd.map((b) => [a, b] as [string, string])),
    ...(earlierNoKd.length === 2 ? [[earlierNoKd[1]!, earlierNoKd[0]!] as [string, string]] : []),
  ];
  const arms = seedArms(names);
  const noKd = arms.get('student-e8-nokd') ?? [];
  const noKdOfSeed = new Map(noKd.map((b) => [b.seed, b.name]));
  for (const [recipe, runs] of arms) {
    if (recipe === 'student-e8-nokd') continue;
    const matched = runs.filter((r) => noKdOfSeed.has(r.seed)).map((r): [string, string] => [r.name, noKdOfSeed.get(r.seed)!]);
    pairs.push(...matched);
    if (matched.length > 1) pairs.push([matched.map(([a]) => a).join('+'), matched.map(([, b]) => b).join('+')]);
  }
  noKd.forEach((a, i) => noKd.slice(i + 1).forEach((b) => pairs.push([b.name, a.name])));
  return pairs;
}

const STRUCTS = ['mean', 'rv', 'myo', 'lv'] as const;
const diceOfRow = (r: Row, k: (typeof STRUCTS)[number]): number =>
  k === 'mean' ? (Number(r.dice_rv) + Number(r.dice_myo) + Number(r.dice_lv)) / 3 : Number(r[`dice_${k}`]);

/** Per held-out patient: model (or arm) a minus b (mean Dice over both phases), sign-flip test over patients. */
function paired(models: Record<string, ModelReport>): string {
  const names = Object.keys(models).filter((n) => models[n]!.acdcPerVolume && models[n]!.dtype === 'float32');
  const pairs = args.pairs ? args.pairs.split(',').map((p) => p.split(':') as [string, string]) : defaultPairs(names);
  if (pairs.length === 0) return '';
  /** Per patient, averaged over the arm's runs (each run: the mean over the patient's volumes). */
  const perPatient = (arm: string, k: (typeof STRUCTS)[number]): Map<string, number> => {
    const runs = arm.split('+').map((n) => {
      if (!models[n]?.acdcPerVolume) throw new Error(`paired: no per-volume results for ${n}`);
      return meanBy(models[n].acdcPerVolume, (r) => String(r.patient), (r) => diceOfRow(r, k));
    });
    return new Map(
      [...runs[0]!.keys()].map((patient) => [
        patient,
        runs.reduce((s, m) => {
          const v = m.get(patient);
          if (v === undefined) throw new Error(`paired: a run of ${arm} has no ${patient}`);
          return s + v;
        }, 0) / runs.length,
      ]),
    );
  };
  const rows = pairs.flatMap(([a, b]) =>
    STRUCTS.map((k) => {
      const pa = perPatient(a, k);
      const pb = perPatient(b, k);
      const diffs = [...pa].map(([patient, v]) => {
        const w = pb.get(patient);
        if (w === undefined) throw new Error(`paired: ${b} has no ${patient}`);
        return v - w;
      });
      const r = pairedSignFlip(diffs);
      const label = (x: string): string => (x.includes('+') ? `mean of ${x.split('+').join(', ')}` : x);
      return [`${label(a)} vs ${label(b)}`, k, String(r.n), (r.meanDiff >= 0 ? '+' : '') + r.meanDiff.toFixed(4), `${r.wins} / ${r.losses}`, r.p.toFixed(3)];
    }),
  );
  return `### Paired comparisons per held-out patient

${table(
    ['models (a vs b)', 'Dice', 'patients', 'mean difference a - b', 'patients a better / worse', 'p (exact sign-flip, two-sided)'],
    rows,
  )}
`;
}

/** Recipes run with several seeds: held-out figures per seed, and their mean and standard deviation. */
function seeds(models: Record<string, ModelReport>): string {
  const arms = [...seedArms(Object.keys(models).filter((n) => models[n]!.dtype === 'float32'))].filter(([, runs]) => runs.length > 1);
  if (arms.length === 0) return '';
  const keys = ['dice_rv', 'dice_myo', 'dice_lv', 'dice_mean', 'hd95_rv_mm', 'lvef_mae_pct', 'rvef_mae_pct'];
  const digits = (k: string): number => (k.startsWith('dice') ? 3 : 1);
  const rows = arms.flatMap(([recipe, runs]) => [
    ...runs.map((r) => [recipe, String(r.seed), ...keys.map((k) => f(models[r.name]!.acdc[k], digits(k)))]),
    [`**${recipe}**`, `mean ± sd (${runs.length})`, ...keys.map((k) => meanSd(runs.map((r) => Number(models[r.name]!.acdc[k])), digits(k)))],
  ]);
  return `### Seeds (held-out ACDC)

${table(['recipe', 'seed', 'Dice RV', 'Dice myo', 'Dice LV', 'Dice mean', 'HD95 RV mm', 'LVEF MAE pts', 'RVEF MAE pts'], rows)}
`;
}

const evaluation = read<{ models: Record<string, ModelReport> }>(args.eval);
if (evaluation) {
  console.log(accuracy(evaluation.models));
  console.log(seeds(evaluation.models));
  console.log(paired(evaluation.models));
}
/** Held-out mean Dice of every evaluated float32 student of expansion E (from the evaluation, not Table 1's copy). */
const diceOf = (model: string): Record<string, string> | undefined => {
  const e = /E=(\d+)/.exec(model)?.[1];
  if (!evaluation || !e) return undefined;
  const names = Object.keys(evaluation.models).filter((k) => k.startsWith(`student-e${e}`) && evaluation.models[k]!.dtype === 'float32');
  const dice = (k: string): number => Number(evaluation.models[k]!.acdc.dice_mean);
  const arms = [...seedArms(names)].filter(([, runs]) => runs.length > 1);
  const inArm = new Set(arms.flatMap(([, runs]) => runs.map((r) => r.name)));
  const rows: [string, string][] = [
    ...names.filter((k) => !inArm.has(k)).map((k): [string, string] => [k, f(dice(k))]),
    ...arms.map(([recipe, runs]): [string, string] => [`${recipe} (${runs.length} seeds)`, meanSd(runs.map((r) => dice(r.name)))]),
  ];
  return Object.fromEntries(rows);
};
const t1 = read<{ rows: Row[]; note: string }>(args.table1);
if (t1) {
  console.log('### Table 1\n');
  console.log(
    table(
      ['model', 'parameters', 'GFLOPs @192', 'ms/frame batch 1', 'ms/frame batch 10', 'Dice mean (held-out ACDC)'],
      t1.rows.map((r) => [
        String(r.model),
        Number(r.params).toLocaleString('en'),
        f(r.gflops),
        f(r.msPerFrameBatch1, 1) + (r.msPerFrameBatch1Tta ? ` (TTA ${f(r.msPerFrameBatch1Tta, 0)})` : ''),
        f(r.msPerFrameBatch10, 1),
        r.dice === undefined
          ? 'see above'
          : Object.entries(
              diceOf(String(r.model)) ??
                Object.fromEntries(Object.entries(r.dice as unknown as Record<string, number>).map(([k, v]) => [k, f(v)])),
            )
              .map(([k, v]) => `${k}: ${v}`)
              .join('; ') || 'not trained',
      ]),
    ),
  );
  console.log(`\n${t1.note}\n`);
}
const t2 = read<{ models: Record<string, ModelReport> }>(args.table2);
if (t2) {
  console.log('### Table 2 (reduced)\n');
  console.log(
    table(
      ['run', 'Dice RV', 'Dice myo', 'Dice LV', 'Dice mean', 'LVEF MAE pts'],
      Object.entries(t2.models).map(([n, m]) => [n, f(m.acdc.dice_rv), f(m.acdc.dice_myo), f(m.acdc.dice_lv), f(m.acdc.dice_mean), f(m.acdc.lvef_mae_pct, 1)]),
    ),
  );
}

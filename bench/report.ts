/**
 * The benchmark's results file (bench/results.json) and its printed table: machine, per-backend figures, the
 * app end to end, and the targets of issue 3 with whether each was met. Pure: no I/O.
 */
import type { EndToEndResult } from './e2e';
import { isStudent } from './plan';
import type { BackendResult, ModelTiming, PipelineResult } from './protocol';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  /** os.loadavg() when the run started: above ~0.5 the machine was busy and the figures are pessimistic. */
  loadAverage1m: number;
  totalMemoryGb: number;
  platform: string;
  node: string;
  chromium: string;
  chromiumPath: string;
  /** ISO 8601, UTC. */
  date: string;
}

/** Derived per (backend configuration, model): best batch, and the share of the convolution peak it reaches. */
export interface ModelSummary {
  config: string;
  key: string;
  /** Canvas n of the timings (n x n). */
  inputSize: number;
  /** A `--crop` override, not the size the app runs the model at. */
  cropOverride: boolean;
  bestBatch: number;
  msPerImage: number;
  imagesPerS: number;
  /** images/s the model's FLOPs would allow at the configuration's convolution peak. */
  imagesPerSAtPeak?: number;
  /** imagesPerS / imagesPerSAtPeak, 0..1. */
  fractionOfPeak?: number;
}

export interface Target {
  id: string;
  description: string;
  threshold: number;
  /** The unit of threshold and measured. */
  unit: string;
  /** How the measurement is compared with the threshold. */
  comparison: '>=' | '<=';
  measured: number | null;
  /** null when the figure could not be measured (e.g. a model missing). */
  met: boolean | null;
  note?: string;
}

export interface BenchResults {
  /** Units: `...Ms` milliseconds, `...PerS` per second, `gflopPerS` 1e9 FLOP/s, `flops...` FLOP, `...Gb` GiB. */
  units: string;
  machine: MachineInfo;
  options: {
    quick: boolean;
    reps: number;
    skipEndToEnd: boolean;
    only: string[] | null;
    cropPx: number | null;
    batches: number[] | null;
  };
  backends: BackendResult[];
  /** Backend configurations that failed outright (the worker threw). */
  failures: { config: string; message: string }[];
  summary: ModelSummary[];
  /** The engine alone on the end-to-end series, by stage: one worker with threads vs one worker per core. */
  pipelines: PipelineResult[];
  endToEnd: EndToEndResult | { skipped: string } | { failed: string };
  /** The same with the `--crop` override. */
  endToEndCrop?: EndToEndResult | { failed: string };
  targets: Target[];
  totalMs: number;
}

const bestTiming = (timings: ModelTiming[]): ModelTiming | undefined =>
  timings.reduce<ModelTiming | undefined>((a, t) => (!a || t.msPerImage < a.msPerImage ? t : a), undefined);

export function summarise(backends: BackendResult[]): ModelSummary[] {
  const out: ModelSummary[] = [];
  for (const b of backends) {
    for (const m of b.models) {
      for (const override of [false, true]) {
        const best = bestTiming(b.timings.filter((t) => t.key === m.key && t.cropOverride === override));
        if (!best) continue;
        // FLOPs scale with the canvas area (a fully convolutional network).
        const flops = m.flopsPerImage * (best.inputSize / m.inputShape[0]) ** 2;
        const atPeak = b.peak ? (b.peak.gflopPerS * 1e9) / flops : undefined;
        out.push({
          config: b.config,
          key: m.key,
          inputSize: best.inputSize,
          cropOverride: override,
          bestBatch: best.batch,
          msPerImage: best.msPerImage,
          imagesPerS: best.imagesPerS,
          ...(atPeak === undefined ? {} : { imagesPerSAtPeak: atPeak, fractionOfPeak: best.imagesPerS / atPeak }),
        });
      }
    }
  }
  return out;
}

function target(t: Omit<Target, 'met'>): Target {
  const met =
    t.measured === null ? null : t.comparison === '>=' ? t.measured >= t.threshold : t.measured <= t.threshold;
  return { ...t, met };
}

/**
 * `defaultKey`: models/index.json's default (the model the app runs); without it the newest student listed.
 * Figures of `--crop` overrides never count: a target is met by what the published model does in the app.
 */
export function evaluateTargets(summary: ModelSummary[], e2e: BenchResults['endToEnd'], defaultKey?: string): Target[] {
  const threaded = summary.filter((s) => s.config === 'wasm-simd-threads' && !s.cropOverride);
  const idOf = (s: ModelSummary): string => s.key.split('@')[0] ?? '';
  // models/index.json lists versions oldest first: the last of an id is its newest.
  const last = (f: (s: ModelSummary) => boolean): ModelSummary | undefined => threaded.filter(f).at(-1);
  const student = threaded.find((s) => s.key === defaultKey) ?? last((s) => isStudent({ id: idOf(s) }));
  const teacher = last((s) => idOf(s) === 'teacher') ?? last((s) => !isStudent({ id: idOf(s) }));
  const full = 'dropToAllMasksMs' in e2e ? e2e : undefined;
  return [
    target({
      id: 'student-throughput',
      description: 'student >= 50 images/s on WASM SIMD + threads (best batch, one forward pass each)',
      threshold: 50,
      unit: 'images/s',
      comparison: '>=',
      measured: student?.imagesPerS ?? null,
    }),
    target({
      id: 'student-vs-teacher',
      description: 'student >= 10x faster than the teacher (ms/image, one pass each, WASM SIMD + threads)',
      threshold: 10,
      unit: 'x',
      comparison: '>=',
      measured: student && teacher ? teacher.msPerImage / student.msPerImage : null,
      note: 'the teacher runs 8 passes per image with its test-time augmentation, which makes the app-level ratio 8x larger',
    }),
    target({
      id: 'series-240-images',
      description:
        'a 12-slice x 20-frame series (240 images) has all its masks <= 5 s after the drop, model already loaded',
      threshold: 5000,
      unit: 'ms',
      comparison: '<=',
      measured: full?.dropToAllMasksMs ?? null,
    }),
    target({
      id: 'student-throughput-80',
      description: 'issue 14: default student >= 80 images/s on WASM SIMD + threads (best batch, its own canvas)',
      threshold: 80,
      unit: 'images/s',
      comparison: '>=',
      measured: student?.imagesPerS ?? null,
    }),
    target({
      id: 'series-240-images-4s',
      description: 'issue 14: the 240-image series has all its masks <= 4 s after the drop',
      threshold: 4000,
      unit: 'ms',
      comparison: '<=',
      measured: full?.dropToAllMasksMs ?? null,
    }),
    target({
      id: 'series-forward-share',
      description: 'issue 14: everything but the forward pass <= 20 % of drop -> all masks',
      threshold: 20,
      unit: '%',
      comparison: '<=',
      measured: full ? 100 * (1 - full.stages.forwardShare) : null,
    }),
    target({
      id: 'main-thread-long-task',
      description: 'no main-thread task > 100 ms while the series is segmented',
      threshold: 100,
      unit: 'ms',
      comparison: '<=',
      measured: full?.longestTaskDuringSegmentationMs ?? null,
    }),
  ];
}

// ---- printing ----

const fmt = (x: number | undefined, digits = 1): string => (x === undefined ? '-' : x.toFixed(digits));

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function backendLabel(b: BackendResult): string {
  if (b.unavailable) return `unavailable: ${b.unavailable}`;
  if (b.backend.name === 'wasm') return `wasm${b.backend.simd ? ' SIMD' : ''}, ${b.backend.threads} thread(s)`;
  if (!b.renderer) return b.backend.name;
  // The full renderer string is in the results file; SwiftShader is the one that matters (software WebGL on the CPU).
  return `${b.backend.name} (${/swiftshader/i.test(b.renderer) ? 'SwiftShader, software' : b.renderer.slice(0, 40)})`;
}

export function formatReport(r: BenchResults): string {
  const m = r.machine;
  const lines: string[] = [
    `cineseg benchmark, ${m.date}${r.options.quick ? ' (--quick: smoke run, figures not for publication)' : ''}`,
    `machine: ${m.cpus} x ${m.cpuModel}, ${m.totalMemoryGb.toFixed(0)} GiB, load average ${m.loadAverage1m.toFixed(2)} at start; ${m.chromium}; Node ${m.node}`,
    '',
  ];
  const models = new Map(r.backends.flatMap((b) => b.models.map((x) => [x.key, x] as const)));
  if (models.size > 0) {
    lines.push(
      table([
        ['model', 'input', 'parameters', 'GFLOP/image', 'TTA'],
        ...[...models.values()].map((x) => [
          x.key,
          `${x.inputShape[0]}x${x.inputShape[1]}`,
          x.parameters.toLocaleString('en-US'),
          fmt(x.flopsPerImage / 1e9, 3),
          x.tta ? 'yes (8 passes in the app)' : 'no',
        ]),
      ]),
      '',
    );
  }
  const rows: string[][] = [
    ['config', 'backend', 'conv peak GFLOP/s', 'model', 'canvas', 'batch', 'reps', 'ms/image', 'images/s', 'of peak'],
  ];
  for (const b of r.backends) {
    if (b.unavailable || b.timings.length === 0) {
      rows.push([b.config, backendLabel(b), '-', '-', '-', '-', '-', '-', '-', '-']);
      continue;
    }
    b.timings.forEach((t, i) => {
      const facts = b.models.find((x) => x.key === t.key);
      const n = t.inputSize ?? facts?.inputShape[0] ?? 0;
      const flops = facts ? facts.flopsPerImage * (n / facts.inputShape[0]) ** 2 : undefined;
      const atPeak = b.peak && flops ? (b.peak.gflopPerS * 1e9) / flops : undefined;
      rows.push([
        i === 0 ? b.config : '',
        i === 0 ? backendLabel(b) : '',
        i === 0 ? fmt(b.peak?.gflopPerS, 2) : '',
        t.key,
        `${n}${t.cropOverride ? ' (--crop)' : ''}`,
        String(t.batch),
        String(t.reps),
        fmt(t.msPerImage),
        fmt(t.imagesPerS),
        atPeak ? `${fmt((100 * t.imagesPerS) / atPeak, 0)} %` : '-',
      ]);
    });
  }
  for (const f of r.failures) rows.push([f.config, `failed: ${f.message}`, '-', '-', '-', '-', '-', '-', '-', '-']);
  if (rows.length > 1) lines.push(table(rows), '');

  if (r.pipelines.length > 0) {
    const pct = (ms: number, p: PipelineResult): string =>
      `${fmt(ms, 0)} (${fmt((100 * ms) / (p.wallMs * p.workers), 0)} %)`;
    lines.push(
      "engine alone on the series (worker time by stage, ms (share of workers x wall); the app worker's loop, no page):",
      table([
        [
          'config',
          'model',
          'canvas',
          'images',
          'wall ms',
          'runs ms',
          'images/s',
          'plan',
          'prepare',
          'forward',
          'to labels',
          'clean-up',
        ],
        ...r.pipelines.map((p) => [
          p.config,
          p.key,
          `${p.inputSize}${p.cropPx ? ' (--crop)' : ''}`,
          String(p.images),
          fmt(p.wallMs, 0),
          (p.runsMs ?? [p.wallMs]).map((x) => fmt(x, 0)).join(' '),
          fmt(p.imagesPerS),
          pct(p.planMs, p),
          pct(p.stages.prepareMs, p),
          pct(p.stages.forwardMs, p),
          pct(p.stages.toLabelsMs, p),
          pct(p.stages.postprocessMs, p),
        ]),
      ]),
      ...threadComparison(r.pipelines),
      '',
    );
  }

  for (const e of [r.endToEnd, ...(r.endToEndCrop ? [r.endToEndCrop] : [])]) lines.push(...formatEndToEnd(e));
  lines.push(
    table([
      ['target', 'threshold', 'measured', 'met'],
      ...r.targets.map((t) => [
        t.description,
        `${t.comparison} ${t.threshold} ${t.unit}`,
        t.measured === null ? '-' : `${fmt(t.measured)} ${t.unit}`,
        t.met === null ? 'not measured' : t.met ? 'yes' : 'NO',
      ]),
    ]),
  );
  return lines.join('\n');
}

/** Per canvas: one single-threaded worker per core against one worker with a thread per core (wall time ratio). */
function threadComparison(pipelines: PipelineResult[]): string[] {
  const out: string[] = [];
  for (const n of new Set(pipelines.map((p) => p.inputSize))) {
    const at = pipelines.filter((p) => p.inputSize === n);
    const threaded = at.find((p) => p.workers === 1 && p.threadsPerWorker > 1);
    const workers = at.find((p) => p.workers > 1 && p.threadsPerWorker === 1);
    const single = at.find((p) => p.workers === 1 && p.threadsPerWorker === 1);
    if (!threaded || !workers) continue;
    const scaling = single ? `; threads scale ${fmt(single.wallMs / threaded.wallMs, 2)}x over one thread` : '';
    out.push(
      `  canvas ${n}: ${workers.workers} single-thread workers ${fmt(threaded.wallMs / workers.wallMs, 2)}x the speed of ` +
        `1 worker x ${threaded.threadsPerWorker} threads${scaling}`,
    );
  }
  return out;
}

function formatEndToEnd(e: BenchResults['endToEnd']): string[] {
  const lines: string[] = [];
  if ('dropToAllMasksMs' in e) {
    const row = (label: string, value: string): string => `  ${label.padEnd(40)}${value}`;
    const st = e.stages;
    const part = (ms: number): string => `${fmt(ms, 0)} ms (${fmt((100 * ms) / e.dropToAllMasksMs, 0)} %)`;
    lines.push(
      `end to end (the app, ${e.input.description}, ${e.modelKey}${e.cropPx ? `, --crop ${e.cropPx}` : ''}, ${e.backendInfo}):`,
      row('page open -> model ready', `${fmt(e.modelReadyMs, 0)} ms`),
      row('drop -> series on screen', `${fmt(e.dropToSeriesLoadedMs, 0)} ms`),
      row(`segmentation of ${e.images} images`, `${fmt(e.segmentationMs, 0)} ms = ${fmt(e.imagesPerS)} images/s`),
      row('drop -> all masks ready', `${fmt(e.dropToAllMasksMs, 0)} ms`),
      row('longest main-thread task', `${fmt(e.longestTaskDuringSegmentationMs, 0)} ms while segmenting`),
      row('', `${fmt(e.longestTaskAfterDropMs, 0)} ms from the drop (parsing included)`),
      (st.workers ?? 1) > 1
        ? `  drop -> all masks by stage (worker stages: summed over frames / ${st.workers} workers):`
        : '  drop -> all masks by stage:',
      row('  decode (files -> series on screen)', part(st.decodeMs)),
      row('  series on screen -> start', part(st.beforeStartMs)),
      row('  plan (heart locator)', part(st.planMs)),
      row('  resampling (prepare)', part(st.prepareMs)),
      row('  forward pass', part(st.forwardMs)),
      row('  logits -> labels (image grid)', part(st.toLabelsMs)),
      row('  clean-up (postprocess)', part(st.postprocessMs)),
      row('  worker: messages, turns, other', part(st.workerOtherMs)),
      row('  last result -> complete', part(st.afterLastResultMs)),
      row('  (overlapping) result transit', `${fmt(st.transitMs, 0)} ms summed over frames`),
      row('  (overlapping) main-thread long tasks', `${fmt(st.longTasksMs, 0)} ms summed while segmenting`),
      '',
    );
  } else {
    lines.push(`end to end: ${'skipped' in e ? `skipped (${e.skipped})` : `FAILED: ${e.failed}`}`, '');
  }
  return lines;
}

/**
 * `npm run bench`: the benchmark of issue 3. Serves the already-built dist/ with `vite preview` (COOP/COEP, so the
 * threaded WASM build runs), drives headless Chromium with Playwright through the benchmark page (dist/bench/: each
 * model on each backend, one worker per backend) and through the app itself (a 12 x 20 series dropped, all masks
 * timed), prints a table and writes bench/results.json. It builds nothing: run `npm run build` first.
 *
 *   npm run bench                      full run (10 reps; webgl and cpu with fewer), ~several minutes on 2 cores
 *   npm run bench -- --reps 5          fewer repetitions
 *   npm run bench -- --quick           smoke run: 2 reps, wasm only, teacher at batch 1; writes bench/results.quick.json
 *   npm run bench -- --skip-e2e        the per-backend part only
 *   npm run bench -- --only webgl,cpu  these backend configurations only (wasm-simd-threads, wasm-simd-1-thread, webgl, cpu)
 *   npm run bench -- --out file.json   write the results elsewhere
 *   npm run bench -- --crop 128        also the default student on a 128 heart crop: forward pass, engine, end to end
 *   npm run bench -- --batches 1,12,24 other batch sizes for the forward pass
 *   npm run bench -- --skip-backends   no per-backend part (with --skip-e2e: the engine-alone part only)
 *   npm run bench -- --skip-pipeline   no engine-alone part (stages, one worker x 2 threads vs two workers)
 *   npm run bench -- --dist dir        serve another build (`vite build --outDir dir`) instead of dist/
 * bench/results.json is written only when the machine is idle at the start (load average <= 0.5).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { preview } from 'vite';
import { parseModelIndex } from '../src/segment/modelIndex';
import { defaultModel, modelKey } from '../src/segment/modelIndex';
import { endToEndVolume, runEndToEnd } from './e2e';
import { DEFAULT_REPS } from './plan';
import type { BackendResult, BackendTask, BenchApi, PipelineResult, PipelineSpec } from './protocol';
import { CHROMIUM_ARGS, chromiumExecutable } from '../scripts/chromium';
import { evaluateTargets, formatReport, summarise, type BenchResults } from './report';

const ROOT = path.resolve(import.meta.dirname, '..');
const RESULTS = path.join(ROOT, 'bench', 'results.json');
/** Above this 1-minute load average the machine is busy: its figures never go into bench/results.json. */
const IDLE_LOAD = 0.5;

class UsageError extends Error {}

interface Options {
  quick: boolean;
  reps: number;
  skipEndToEnd: boolean;
  /** Backend configurations to run; undefined = all of the plan. */
  only?: string[];
  out: string;
  cropPx?: number;
  batches?: number[];
  skipBackends: boolean;
  skipPipeline: boolean;
  dist: string;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      reps: { type: 'string' },
      'skip-e2e': { type: 'boolean', default: false },
      only: { type: 'string' },
      out: { type: 'string' },
      crop: { type: 'string' },
      batches: { type: 'string' },
      'skip-backends': { type: 'boolean', default: false },
      'skip-pipeline': { type: 'boolean', default: false },
      dist: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'usage: npm run bench -- [--quick] [--reps N] [--skip-e2e] [--skip-backends] [--skip-pipeline] [--only config,...]\n' +
        '                        [--crop N] [--batches 1,12,...] [--dist dir] [--out results.json]',
    );
    process.exit(0);
  }
  const cropPx = values.crop === undefined ? undefined : Number(values.crop);
  if (cropPx !== undefined && !(Number.isInteger(cropPx) && cropPx >= 32 && cropPx % 16 === 0))
    throw new UsageError(`--crop must be a canvas size in pixels, a multiple of 16 and >= 32 (got ${values.crop})`);
  const batches = values.batches?.split(',').map(Number);
  if (batches && !batches.every((b) => Number.isInteger(b) && b >= 1))
    throw new UsageError(`--batches must be whole numbers >= 1, e.g. 1,12,24 (got ${values.batches})`);
  const quick = values.quick;
  const reps = values.reps === undefined ? (quick ? DEFAULT_REPS.quick : DEFAULT_REPS.full) : Number(values.reps);
  if (!Number.isInteger(reps) || reps < 1)
    throw new UsageError(`--reps must be a whole number >= 1 (got ${values.reps})`);
  // A smoke run never overwrites the figures of a full run.
  const out = path.resolve(values.out ?? path.join(ROOT, 'bench', quick ? 'results.quick.json' : 'results.json'));
  const only = values.only?.split(',').map((c) => c.trim());
  return {
    quick,
    reps,
    skipEndToEnd: values['skip-e2e'],
    skipBackends: values['skip-backends'],
    skipPipeline: values['skip-pipeline'],
    ...(only ? { only } : {}),
    ...(cropPx === undefined ? {} : { cropPx }),
    ...(batches ? { batches } : {}),
    out,
    dist: path.resolve(values.dist ?? path.join(ROOT, 'dist')),
  };
}

/** The build must hold the app, the benchmark page and the models public/ holds now. */
function checkDist(dist: string): void {
  const name = path.relative(ROOT, dist) || dist;
  const missing = ['index.html', 'bench/index.html', 'models/index.json'].filter(
    (f) => !existsSync(path.join(dist, f)),
  );
  if (missing.length > 0) {
    throw new UsageError(
      `${name}/ lacks ${missing.join(', ')}: run \`npm run build\` first (the benchmark builds nothing).`,
    );
  }
  const built = readFileSync(path.join(dist, 'models/index.json'), 'utf8');
  const source = path.join(ROOT, 'public/models/index.json');
  if (existsSync(source) && readFileSync(source, 'utf8') !== built) {
    throw new UsageError(`${name}/models/index.json differs from public/models/index.json: build again.`);
  }
}

/**
 * The engine alone on the end-to-end series: one worker with a thread per core against one single-threaded worker
 * per core (each on its share of the frames), and one worker on one thread for the scaling; at the manifest's canvas
 * and, with --crop, on that crop. The configurations take turns `reps` times; each keeps its fastest run.
 */
async function runPipelines(page: Page, baseUrl: string, opts: Options, cores: number): Promise<PipelineResult[]> {
  const index = parseModelIndex(JSON.parse(readFileSync(path.join(opts.dist, 'models/index.json'), 'utf8')));
  const model = defaultModel(index);
  const url = new URL(`models/${model.path}`, baseUrl).href;
  const reps = opts.quick ? 1 : Math.min(opts.reps, 3);
  const specs: PipelineSpec[] = [undefined, ...(opts.cropPx ? [opts.cropPx] : [])].flatMap((cropPx) => {
    const crop = cropPx === undefined ? '' : `-crop${cropPx}`;
    return [
      { config: `1-worker-${cores}-threads${crop}`, workers: 1, threadsPerWorker: cores },
      { config: `${cores}-workers-1-thread${crop}`, workers: cores, threadsPerWorker: 1 },
      { config: `1-worker-1-thread${crop}`, workers: 1, threadsPerWorker: 1 },
    ].map((s) => ({ ...s, key: modelKey(model), url, volumeUrl: BENCH_VOLUME_URL, ...(cropPx ? { cropPx } : {}) }));
  });
  const best = new Map<string, PipelineResult>();
  for (let r = 0; r < reps; r++) {
    for (const spec of specs) {
      console.log(`-- engine alone: ${spec.config} (${r + 1}/${reps})`);
      const result = await page.evaluate(
        (sp) => (window as unknown as { cinesegBench: BenchApi }).cinesegBench.runPipeline(sp),
        spec,
      );
      console.log(
        `${spec.config}: ${result.images} images at ${result.inputSize}x${result.inputSize} in ${result.wallMs.toFixed(0)} ms`,
      );
      const seen = best.get(spec.config);
      const runsMs = [...(seen?.runsMs ?? []), result.wallMs];
      best.set(spec.config, { ...(seen && seen.wallMs <= result.wallMs ? seen : result), runsMs });
    }
  }
  return specs.map((s) => best.get(s.config)!);
}

/** Where the benchmark page finds the end-to-end series for the engine-alone runs (served by Playwright routes). */
const BENCH_VOLUME_URL = '/bench-data/series';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function runTasks(
  page: Page,
  tasks: BackendTask[],
): Promise<{ results: BackendResult[]; failures: BenchResults['failures'] }> {
  const results: BackendResult[] = [];
  const failures: BenchResults['failures'] = [];
  for (const task of tasks) {
    console.log(`-- ${task.config}`);
    try {
      const r = await page.evaluate(
        (t) => (window as unknown as { cinesegBench: BenchApi }).cinesegBench.runTask(t),
        task,
      );
      if (r.unavailable) console.log(`${task.config}: unavailable: ${r.unavailable}`);
      results.push(r);
    } catch (e) {
      const message = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
      console.log(`${task.config}: failed: ${message}`);
      failures.push({ config: task.config, message });
    }
  }
  return { results, failures };
}

async function main(): Promise<void> {
  const opts = options();
  checkDist(opts.dist);
  const started = Date.now();
  const loadAverage1m = os.loadavg()[0] ?? 0;
  if (loadAverage1m > IDLE_LOAD && opts.out === RESULTS) {
    throw new UsageError(
      `load average ${loadAverage1m.toFixed(2)} (> ${IDLE_LOAD}): the machine is busy, so bench/results.json is not ` +
        'written (its figures would be pessimistic). Run again when it is idle, or write elsewhere with --out FILE.',
    );
  }
  if (loadAverage1m > IDLE_LOAD && !opts.quick) {
    console.warn(
      `warning: load average ${loadAverage1m.toFixed(2)}: the machine is busy, the figures will be pessimistic`,
    );
  }

  const port = await freePort();
  const server = await preview({
    root: ROOT,
    logLevel: 'warn',
    build: { outDir: opts.dist },
    preview: { port, strictPort: true, host: '127.0.0.1', open: false },
  });
  const baseUrl = `http://127.0.0.1:${port}/`;
  const executablePath = chromiumExecutable;
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      headless: true,
      args: CHROMIUM_ARGS,
      ...(executablePath ? { executablePath } : {}),
    });
    const chromiumVersion = `Chromium ${browser.version()}`;
    console.log(
      `${chromiumVersion} (${executablePath ?? "Playwright's own"}), serving ${path.relative(ROOT, opts.dist) || opts.dist}/ at ${baseUrl}`,
    );

    const context = await browser.newContext({ serviceWorkers: 'block' });
    let volumeFiles: { json: string; f32: Buffer } | undefined;
    const volumeFile = (): { json: string; f32: Buffer } => {
      if (!volumeFiles) {
        const { volume } = endToEndVolume();
        const { data, ...meta } = volume;
        volumeFiles = { json: JSON.stringify(meta), f32: Buffer.from(data.buffer, data.byteOffset, data.byteLength) };
      }
      return volumeFiles;
    };
    await context.route(`${baseUrl}${BENCH_VOLUME_URL.slice(1)}.json`, (r) =>
      r.fulfill({ contentType: 'application/json', body: volumeFile().json }),
    );
    await context.route(`${baseUrl}${BENCH_VOLUME_URL.slice(1)}.f32`, (r) =>
      r.fulfill({ contentType: 'application/octet-stream', body: volumeFile().f32 }),
    );
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.text().startsWith('[bench] ')) console.log(m.text().slice(8));
    });
    await page.goto(`${baseUrl}bench/`);
    await page.waitForFunction(() => 'cinesegBench' in window);
    const env = await page.evaluate(() => {
      const b = (window as unknown as { cinesegBench: BenchApi }).cinesegBench;
      return { isolated: b.crossOriginIsolated, cores: b.hardwareConcurrency };
    });
    if (!env.isolated) throw new Error('the benchmark page is not cross-origin isolated (COOP/COEP headers missing)');
    const tasks = opts.skipBackends
      ? []
      : await page.evaluate((o) => (window as unknown as { cinesegBench: BenchApi }).cinesegBench.plan(o), {
          reps: opts.reps,
          quick: opts.quick,
          ...(opts.cropPx ? { cropPx: opts.cropPx } : {}),
          ...(opts.batches ? { batches: opts.batches } : {}),
        });
    const unknown = opts.only?.filter((c) => !tasks.some((t) => t.config === c)) ?? [];
    if (unknown.length > 0) {
      const known = tasks.map((t) => t.config).join(', ');
      throw new UsageError(`--only: no configuration ${unknown.join(', ')} in this plan (it has ${known})`);
    }
    const chosen = opts.only ? tasks.filter((t) => opts.only?.includes(t.config)) : tasks;
    const { results: backends, failures } = await runTasks(page, chosen);
    let pipelines: BenchResults['pipelines'] = [];
    if (!opts.skipPipeline) {
      try {
        pipelines = await runPipelines(page, baseUrl, opts, env.cores);
      } catch (e) {
        const message = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
        console.log(`engine alone: failed: ${message}`);
        failures.push({ config: 'engine-alone', message });
      }
    }
    await context.close();

    const index = parseModelIndex(JSON.parse(readFileSync(path.join(opts.dist, 'models/index.json'), 'utf8')));
    let endToEnd: BenchResults['endToEnd'];
    let endToEndCrop: BenchResults['endToEndCrop'];
    if (opts.skipEndToEnd) {
      endToEnd = { skipped: '--skip-e2e' };
    } else {
      try {
        endToEnd = await runEndToEnd(browser, baseUrl, index, (l) => console.log(l));
      } catch (e) {
        endToEnd = { failed: (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '' };
      }
      if (opts.cropPx) {
        try {
          endToEndCrop = await runEndToEnd(browser, baseUrl, index, (l) => console.log(l), { cropPx: opts.cropPx });
        } catch (e) {
          endToEndCrop = { failed: (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '' };
        }
      }
    }

    const cpus = os.cpus();
    const summary = summarise(backends);
    const results: BenchResults = {
      units:
        'ms = milliseconds (wall clock), PerS = per second, gflopPerS = 1e9 FLOP/s, flops = FLOP (2 x multiply-adds), Gb = GiB; an image = one 2D slice at the model input size',
      machine: {
        cpus: cpus.length,
        cpuModel: cpus[0]?.model.trim() ?? 'unknown',
        loadAverage1m,
        totalMemoryGb: os.totalmem() / 2 ** 30,
        platform: `${os.platform()} ${os.release()} ${os.arch()}`,
        node: process.version,
        chromium: chromiumVersion,
        chromiumPath: executablePath ?? 'playwright',
        date: new Date(started).toISOString(),
      },
      options: {
        quick: opts.quick,
        reps: opts.reps,
        skipEndToEnd: opts.skipEndToEnd,
        only: opts.only ?? null,
        cropPx: opts.cropPx ?? null,
        batches: opts.batches ?? null,
      },
      backends,
      failures,
      summary,
      pipelines,
      endToEnd,
      ...(endToEndCrop ? { endToEndCrop } : {}),
      targets: evaluateTargets(summary, endToEnd, modelKey(defaultModel(index))),
      totalMs: Date.now() - started,
    };
    writeFileSync(opts.out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\n${formatReport(results)}\n\nwritten to ${path.relative(process.cwd(), opts.out)}`);
    if (failures.length > 0 || 'failed' in endToEnd || (endToEndCrop && 'failed' in endToEndCrop)) process.exitCode = 1;
  } finally {
    await browser?.close();
    await server.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof UsageError ? e.message : e);
  process.exit(e instanceof UsageError ? 2 : 1);
});

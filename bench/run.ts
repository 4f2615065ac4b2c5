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
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { preview } from 'vite';
import { parseModelIndex } from '../src/segment/modelIndex';
import { runEndToEnd } from './e2e';
import { DEFAULT_REPS } from './plan';
import type { BackendResult, BackendTask, BenchApi } from './protocol';
import { CHROMIUM_ARGS, chromiumExecutable } from '../scripts/chromium';
import { evaluateTargets, formatReport, summarise, type BenchResults } from './report';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'dist');

class UsageError extends Error {}

interface Options {
  quick: boolean;
  reps: number;
  skipEndToEnd: boolean;
  /** Backend configurations to run; undefined = all of the plan. */
  only?: string[];
  out: string;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      reps: { type: 'string' },
      'skip-e2e': { type: 'boolean', default: false },
      only: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('usage: npm run bench -- [--quick] [--reps N] [--skip-e2e] [--only config,...] [--out results.json]');
    process.exit(0);
  }
  const quick = values.quick;
  const reps = values.reps === undefined ? (quick ? DEFAULT_REPS.quick : DEFAULT_REPS.full) : Number(values.reps);
  if (!Number.isInteger(reps) || reps < 1)
    throw new UsageError(`--reps must be a whole number >= 1 (got ${values.reps})`);
  // A smoke run never overwrites the figures of a full run.
  const out = path.resolve(values.out ?? path.join(ROOT, 'bench', quick ? 'results.quick.json' : 'results.json'));
  const only = values.only?.split(',').map((c) => c.trim());
  return { quick, reps, skipEndToEnd: values['skip-e2e'], ...(only ? { only } : {}), out };
}

/** dist/ must hold the app, the benchmark page and the models public/ holds now. */
function checkDist(): void {
  const missing = ['index.html', 'bench/index.html', 'models/index.json'].filter(
    (f) => !existsSync(path.join(DIST, f)),
  );
  if (missing.length > 0) {
    throw new UsageError(
      `dist/ lacks ${missing.join(', ')}: run \`npm run build\` first (the benchmark builds nothing).`,
    );
  }
  const built = readFileSync(path.join(DIST, 'models/index.json'), 'utf8');
  const source = path.join(ROOT, 'public/models/index.json');
  if (existsSync(source) && readFileSync(source, 'utf8') !== built) {
    throw new UsageError('dist/models/index.json differs from public/models/index.json: run `npm run build` again.');
  }
}

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
  checkDist();
  const started = Date.now();
  const loadAverage1m = os.loadavg()[0] ?? 0;
  if (loadAverage1m > 0.5 && !opts.quick) {
    console.warn(
      `warning: load average ${loadAverage1m.toFixed(2)}: the machine is busy, the figures will be pessimistic`,
    );
  }

  const port = await freePort();
  const server = await preview({
    root: ROOT,
    logLevel: 'warn',
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
    console.log(`${chromiumVersion} (${executablePath ?? "Playwright's own"}), serving dist/ at ${baseUrl}`);

    const context = await browser.newContext({ serviceWorkers: 'block' });
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
    const tasks = await page.evaluate((o) => (window as unknown as { cinesegBench: BenchApi }).cinesegBench.plan(o), {
      reps: opts.reps,
      quick: opts.quick,
    });
    const unknown = opts.only?.filter((c) => !tasks.some((t) => t.config === c)) ?? [];
    if (unknown.length > 0) {
      const known = tasks.map((t) => t.config).join(', ');
      throw new UsageError(`--only: no configuration ${unknown.join(', ')} in this plan (it has ${known})`);
    }
    const chosen = opts.only ? tasks.filter((t) => opts.only?.includes(t.config)) : tasks;
    const { results: backends, failures } = await runTasks(page, chosen);
    await context.close();

    let endToEnd: BenchResults['endToEnd'];
    if (opts.skipEndToEnd) {
      endToEnd = { skipped: '--skip-e2e' };
    } else {
      try {
        const index = parseModelIndex(JSON.parse(readFileSync(path.join(DIST, 'models/index.json'), 'utf8')));
        endToEnd = await runEndToEnd(browser, baseUrl, index, (l) => console.log(l));
      } catch (e) {
        endToEnd = { failed: (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '' };
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
      options: { quick: opts.quick, reps: opts.reps, skipEndToEnd: opts.skipEndToEnd, only: opts.only ?? null },
      backends,
      failures,
      summary,
      endToEnd,
      targets: evaluateTargets(summary, endToEnd),
      totalMs: Date.now() - started,
    };
    writeFileSync(opts.out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\n${formatReport(results)}\n\nwritten to ${path.relative(process.cwd(), opts.out)}`);
    if (failures.length > 0 || 'failed' in endToEnd) process.exitCode = 1;
  } finally {
    await browser?.close();
    await server.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof UsageError ? e.message : e);
  process.exit(e instanceof UsageError ? 2 : 1);
});

/**
 * Runs studies in N worker processes (cohortWorker.ts), each with its own tfjs backend and model, a
 * study at a time. A worker that dies on a study (a WASM abort, the memory killer) costs that study only:
 * it is recorded as an error and a fresh worker takes the next one. Processes rather than threads so that
 * such a crash cannot take the cohort down.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { CohortStudy } from './cohortStudies';
import type { FromWorker, ToWorker } from './cohortProtocol';
import type { NodeBackendName } from './nodeBackend';
import { writeStudyResult, type ModelKey, type StudyResult } from './studyResult';

const WORKER = path.join(import.meta.dirname, 'cohortWorker.ts');
/** The repository root: the worker runs its TypeScript through tsx, resolved from here. */
const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export interface PoolOptions {
  jobs: number;
  modelDir: string;
  model: ModelKey;
  backend: NodeBackendName;
  outDir: string;
}

/** What a study that took its worker down is recorded as. */
function crashResult(study: CohortStudy, model: ModelKey, how: string, stderrTail: string): StudyResult {
  const tail = stderrTail.trim().split('\n').slice(-3).join(' / ');
  return {
    format: 'cineseg-study-result/1',
    id: study.id,
    input: study.input,
    status: 'error',
    message: `the segmentation process stopped (${how}) on this study${tail ? `: ${tail}` : ''}`,
    model: { ...model, backend: '' },
    outputs: [],
    seconds: 0,
  };
}

/**
 * Segments `studies` with `opts.jobs` workers; `onResult` hears each study's result as it finishes.
 * @throws Error when a worker cannot start (backend or model failing): the cohort cannot run.
 */
export function runInWorkers(
  studies: readonly CohortStudy[],
  opts: PoolOptions,
  onResult: (result: StudyResult) => void,
): Promise<void> {
  const queue = [...studies];
  let running = 0;
  let failed = false;

  return new Promise<void>((resolve, reject) => {
    const workers = new Set<ChildProcess>();
    const fail = (message: string): void => {
      if (failed) return;
      failed = true;
      for (const w of workers) w.kill();
      reject(new Error(message));
    };
    const finishIfIdle = (): void => {
      if (!failed && running === 0 && queue.length === 0) resolve();
    };

    const start = (): void => {
      const child = fork(WORKER, [], {
        cwd: REPO_ROOT,
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      workers.add(child);
      running++;
      let current: CohortStudy | undefined;
      let ready = false;
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-2000);
      });
      const send = (m: ToWorker): void => {
        child.send(m);
      };
      const next = (): void => {
        current = queue.shift();
        if (current) send({ kind: 'study', study: current });
        else send({ kind: 'stop' });
      };
      child.on('message', (m: FromWorker) => {
        if (m.kind === 'ready') {
          ready = true;
          next();
        } else if (m.kind === 'fatal') {
          fail(m.message);
        } else {
          current = undefined;
          onResult(m.result);
          next();
        }
      });
      child.on('exit', (code, signal) => {
        workers.delete(child);
        running--;
        if (failed) return;
        if (!ready) {
          fail(`a segmentation process could not start (${signal ?? `exit code ${code}`}): ${stderr.trim()}`);
          return;
        }
        if (current) {
          const result = crashResult(current, opts.model, signal ?? `exit code ${code}`, stderr);
          try {
            writeStudyResult(opts.outDir, result);
          } catch {
            // The cohort CSV still shows the study as not run.
          }
          onResult(result);
          if (queue.length > 0) start();
        }
        finishIfIdle();
      });
      send({ kind: 'init', modelDir: opts.modelDir, backend: opts.backend, tta: opts.model.tta, outDir: opts.outDir });
    };

    if (queue.length === 0) resolve();
    for (let i = 0; i < Math.min(opts.jobs, queue.length); i++) start();
  });
}

/**
 * A worker process of a cohort run (--jobs N), started by cohortPool with `fork`: sets up the tfjs
 * backend and loads the model once, then segments the studies it is sent, one at a time, with the same
 * processStudy as a single-process run.
 */
import { disposeModel, type LoadedModel } from '@/segment/engine';
import { processStudy, type StudyContext } from './cohortStudy';
import type { FromWorker, ToWorker } from './cohortProtocol';
import { initNodeBackend } from './nodeBackend';
import { loadModelFolder } from './study';

let ctx: StudyContext | undefined;
let model: LoadedModel | undefined;

function send(message: FromWorker): void {
  process.send?.(message);
}

async function handle(message: ToWorker): Promise<void> {
  if (message.kind === 'init') {
    try {
      const backend = await initNodeBackend(message.backend);
      model = await loadModelFolder(message.modelDir);
      ctx = { model, backend, tta: message.tta, outDir: message.outDir };
      send({ kind: 'ready', backend });
    } catch (e) {
      send({ kind: 'fatal', message: e instanceof Error ? e.message : String(e) });
    }
  } else if (message.kind === 'study') {
    if (!ctx) {
      send({ kind: 'fatal', message: 'a study was sent before the model was loaded' });
      return;
    }
    send({ kind: 'result', result: processStudy(message.study, ctx) });
  } else {
    if (model) disposeModel(model);
    process.disconnect?.();
  }
}

// The cohort process went away (stopped, killed): stop too rather than linger.
process.on('disconnect', () => process.exit(0));
process.on('message', (message: ToWorker) => void handle(message));

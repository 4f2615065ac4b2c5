/** Messages between a cohort run and its worker processes (--jobs N), over the IPC channel of `fork`. */
import type { CohortStudy } from './cohortStudies';
import type { NodeBackendName } from './nodeBackend';
import type { StudyResult } from './studyResult';

export type ToWorker =
  | { kind: 'init'; modelDir: string; backend: NodeBackendName; tta: boolean; outDir: string }
  | { kind: 'study'; study: CohortStudy }
  | { kind: 'stop' };

export type FromWorker =
  { kind: 'ready'; backend: string } | { kind: 'fatal'; message: string } | { kind: 'result'; result: StudyResult };

/**
 * Messages between the page and the loader worker (src/ui/loader/loadWorker.ts). Files travel as File objects
 * (structured clone shares the underlying blob, no copy) and are read inside the worker; the resulting pixel
 * buffers are transferred back, not copied.
 */
import type { LoadOutcome } from '@/io/types';

/** A file picked or dropped by the user, with its path inside a dropped folder when known. */
export interface PickedFile {
  file: File;
  path: string;
}

export interface LoadRequest {
  type: 'load';
  requestId: number;
  files: PickedFile[];
  /** Load this DICOM series when the files hold several (answer to a `choose` outcome). */
  seriesInstanceUid?: string;
}

export type LoaderRequest = LoadRequest;

export type LoaderResponse =
  | { type: 'progress'; requestId: number; message: string }
  | { type: 'result'; requestId: number; outcome: LoadOutcome }
  | { type: 'error'; requestId: number; message: string; file?: string };

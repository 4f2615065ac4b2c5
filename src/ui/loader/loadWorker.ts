/// <reference lib="webworker" />
/**
 * Parses user files off the main thread so a 300-file DICOM folder or a large NIfTI never freezes the tab.
 * Everything happens in this worker; nothing is sent anywhere.
 */
import { LoadError } from '@/io/errors';
import { loadFiles } from '@/io/index';
import { formatBytes, INPUT_LIMITS } from '@/io/limits';
import type { InputFile, LoadOutcome } from '@/io/types';
import { shareable } from '@/segment/sharedPixels';
import type { LoaderRequest, LoaderResponse, PickedFile } from './loadProtocol';

declare const self: DedicatedWorkerGlobalScope;

function post(message: LoaderResponse, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

async function readAll(files: PickedFile[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const { file, path } of files) {
    // Checked before reading: a file this large would take the tab's memory before any reader could refuse it.
    if (file.size > INPUT_LIMITS.maxFileBytes) {
      throw new LoadError(
        `${path} is ${formatBytes(file.size)}, larger than cineseg reads (${formatBytes(INPUT_LIMITS.maxFileBytes)} per file); ` +
          'it is not a cine series.',
        path,
      );
    }
    try {
      out.push({ name: file.name, path, bytes: new Uint8Array(await file.arrayBuffer()) });
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new LoadError(`the browser could not read this file (${why}). Was it moved or deleted?`, path);
    }
  }
  return out;
}

function transferables(outcome: LoadOutcome): Transferable[] {
  if (outcome.kind !== 'series') return [];
  const buffers = new Set<ArrayBufferLike>([outcome.series.volume.data.buffer]);
  if (outcome.series.labels) buffers.add(outcome.series.labels.data.buffer);
  return [...buffers].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

async function handle(request: LoaderRequest): Promise<void> {
  const { requestId } = request;
  try {
    post({ type: 'progress', requestId, message: `Reading ${request.files.length} file(s)…` });
    const inputs = await readAll(request.files);
    post({ type: 'progress', requestId, message: `Parsing ${inputs.length} file(s)…` });
    const opts = request.seriesInstanceUid === undefined ? undefined : { seriesInstanceUid: request.seriesInstanceUid };
    // loadFiles is synchronous today; awaiting a resolved promise keeps this correct if it becomes async.
    const outcome = await Promise.resolve(loadFiles(inputs, opts));
    // Voxels in shared memory (cross-origin isolated pages): the page hands them to the segmentation worker without
    // copying 10-100 MB on its main thread. The copy into shared memory happens here, off the main thread.
    if (outcome.kind === 'series') {
      const { volume } = outcome.series;
      outcome.series.volume = { ...volume, data: shareable(volume.data) };
    }
    post({ type: 'result', requestId, outcome }, transferables(outcome));
  } catch (e) {
    if (e instanceof LoadError) {
      post({ type: 'error', requestId, message: e.message, ...(e.file === undefined ? {} : { file: e.file }) });
    } else {
      const names = request.files.map((f) => f.path);
      const which =
        names.length === 1
          ? names[0]
          : `${names.length} files (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''})`;
      const why = e instanceof Error ? e.message : String(e);
      post({ type: 'error', requestId, message: `Could not load ${which}: ${why}` });
    }
  }
}

self.onmessage = (e: MessageEvent<LoaderRequest>) => {
  void handle(e.data);
};

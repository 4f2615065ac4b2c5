/**
 * Loading state for the app: the series on screen, a load in progress, the last error and a pending series choice.
 * A failed load never replaces the series on screen; a newer load makes the answer of an older one irrelevant.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LoadedSeries, SeriesCandidate } from '@/io/types';
import type { LoaderRequest, LoaderResponse, PickedFile } from './loadProtocol';

export interface ShownSeries extends LoadedSeries {
  /** Changes with every successful load (React key, cache key). */
  id: number;
  fileCount: number;
}

export interface LoadProblem {
  message: string;
  file?: string;
}

export interface SeriesLoader {
  series: ShownSeries | undefined;
  /** Progress text while a load runs. */
  loading: string | undefined;
  error: LoadProblem | undefined;
  candidates: SeriesCandidate[] | undefined;
  load: (files: PickedFile[]) => void;
  loadSample: () => void;
  choose: (seriesInstanceUid: string) => void;
  dismissChoice: () => void;
  dismissError: () => void;
  /** Shows a problem found outside the worker (e.g. reading a dropped folder). */
  reportError: (message: string) => void;
}

export const SAMPLE_FILE_NAME = 'phantom_cine.nii.gz';
/** Labels of the sample, loaded with it when the app ships them. */
export const SAMPLE_LABELS_FILE_NAME = 'phantom_cine_gt.nii.gz';
/** Relative to the page, so it works wherever dist/ is hosted. */
const SAMPLE_DIR = `${import.meta.env.BASE_URL}sample/`;

/** A static host with a single-page fallback answers a missing file with index.html: treat that as missing. */
async function fetchSampleFile(name: string, required: boolean): Promise<PickedFile | undefined> {
  const res = await fetch(SAMPLE_DIR + name);
  const isHtml = (res.headers.get('content-type') ?? '').includes('text/html');
  if (!res.ok || isHtml) {
    if (required) throw new Error(res.ok ? 'not found' : `HTTP ${res.status}`);
    return undefined;
  }
  return { file: new File([await res.blob()], name), path: name };
}

async function fetchSample(): Promise<PickedFile[]> {
  const [image, labels] = await Promise.all([
    fetchSampleFile(SAMPLE_FILE_NAME, true),
    fetchSampleFile(SAMPLE_LABELS_FILE_NAME, false),
  ]);
  return [image, labels].filter((f): f is PickedFile => f !== undefined);
}

export function useSeriesLoader(): SeriesLoader {
  const [series, setSeries] = useState<ShownSeries | undefined>(undefined);
  const [loading, setLoading] = useState<string | undefined>(undefined);
  const [error, setError] = useState<LoadProblem | undefined>(undefined);
  const [candidates, setCandidates] = useState<SeriesCandidate[] | undefined>(undefined);
  const workerRef = useRef<Worker | undefined>(undefined);
  const requestIdRef = useRef(0);
  const seriesIdRef = useRef(0);
  /** Files of the last load that ended in a choice, re-sent with the chosen series UID. */
  const pendingFilesRef = useRef<PickedFile[]>([]);

  const onMessage = useCallback((e: MessageEvent<LoaderResponse>) => {
    const msg = e.data;
    if (msg.requestId !== requestIdRef.current) return;
    if (msg.type === 'progress') {
      setLoading(msg.message);
      return;
    }
    setLoading(undefined);
    if (msg.type === 'error') {
      setCandidates(undefined);
      setError(msg.file === undefined ? { message: msg.message } : { message: msg.message, file: msg.file });
    } else if (msg.outcome.kind === 'choose') {
      setError(undefined);
      setCandidates(msg.outcome.candidates);
    } else {
      seriesIdRef.current += 1;
      setError(undefined);
      setCandidates(undefined);
      // The files the series was built from: after choosing one of two series, not everything dropped.
      const { series: loaded } = msg.outcome;
      setSeries({
        ...loaded,
        id: seriesIdRef.current,
        fileCount: loaded.sourceFileCount ?? pendingFilesRef.current.length,
      });
    }
  }, []);

  const worker = useCallback((): Worker => {
    if (!workerRef.current) {
      const w = new Worker(new URL('./loadWorker.ts', import.meta.url), { type: 'module', name: 'cineseg-loader' });
      w.addEventListener('message', onMessage);
      w.addEventListener('error', (e) => {
        setLoading(undefined);
        setError({ message: `The file loader stopped unexpectedly: ${e.message || 'unknown error'}` });
      });
      workerRef.current = w;
    }
    return workerRef.current;
  }, [onMessage]);

  useEffect(
    () => () => {
      workerRef.current?.terminate();
      workerRef.current = undefined;
    },
    [],
  );

  const send = useCallback(
    (files: PickedFile[], seriesInstanceUid?: string) => {
      requestIdRef.current += 1;
      pendingFilesRef.current = files;
      setLoading(`Reading ${files.length} file(s)…`);
      const request: LoaderRequest = { type: 'load', requestId: requestIdRef.current, files };
      if (seriesInstanceUid !== undefined) request.seriesInstanceUid = seriesInstanceUid;
      worker().postMessage(request);
    },
    [worker],
  );

  const load = useCallback(
    (files: PickedFile[]) => {
      if (files.length === 0) {
        setError({ message: 'No files were found in what was dropped. Drop NIfTI files, DICOM files or a folder.' });
        return;
      }
      setCandidates(undefined);
      send(files);
    },
    [send],
  );

  const loadSample = useCallback(() => {
    requestIdRef.current += 1;
    const requestId = requestIdRef.current;
    setLoading('Fetching the sample…');
    // The sample is part of the app itself (a synthetic phantom), not user data.
    fetchSample().then(
      (files) => {
        if (requestId !== requestIdRef.current) return;
        load(files);
      },
      (e: unknown) => {
        if (requestId !== requestIdRef.current) return;
        setLoading(undefined);
        const why = e instanceof Error ? e.message : String(e);
        setError({
          message: `${SAMPLE_FILE_NAME}: the bundled sample could not be fetched (${why}).`,
          file: SAMPLE_FILE_NAME,
        });
      },
    );
  }, [load]);

  const choose = useCallback(
    (seriesInstanceUid: string) => {
      setCandidates(undefined);
      send(pendingFilesRef.current, seriesInstanceUid);
    },
    [send],
  );

  const dismissChoice = useCallback(() => {
    setCandidates(undefined);
  }, []);
  const dismissError = useCallback(() => {
    setError(undefined);
  }, []);

  const reportError = useCallback((message: string) => {
    setError({ message });
  }, []);

  return { series, loading, error, candidates, load, loadSample, choose, dismissChoice, dismissError, reportError };
}

/**
 * Segmentation state for the app: the published models (models/index.json), the chosen one loaded and warmed up in
 * the segmentation worker, and the model's masks of the series on screen, filled frame by frame (the frame on
 * screen first) and cached per (series, model version). The masks reach the viewer as a `kind: 'model'` mask
 * source through `addSource`.
 *
 * Performance marks for the benchmark and the e2e tests: `cineseg:series-loaded` when a series reaches this hook,
 * `cineseg:segmentation-start` when a job starts, `cineseg:segmentation-complete` when every frame of the series
 * has masks from the selected model.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { SegmentationClient, type ModelReady } from '@/segment/client';
import type { ModelIndex, ModelIndexEntry } from '@/segment/manifest';
import { defaultModel, fetchModelIndex, modelKey } from '@/segment/modelIndex';
import type { BackendInfo } from '@/segment/protocol';
import type { LoadProblem, ShownSeries } from '@/ui/loader/useSeriesLoader';
import { modelMaskId, type MaskSource } from '@/ui/masks/maskSource';
import type { MaskSources } from '@/ui/masks/useMaskSources';
import { frameBatch } from './frameBatch';
import { cacheKey, framesToSegment, isComplete, ResultCache, storeFrame, type CachedSegmentation } from './resultCache';

export type ModelStatus = 'loading' | 'ready' | 'error';

export interface LastRun {
  /** The (series, model) the run was for: a run of another series or model says nothing about this one. */
  key: string;
  images: number;
  elapsedMs: number;
  cancelled: boolean;
}

/** The job in progress: frames done in this job, its total and time so far (for the time left). */
export interface RunProgress {
  key: string;
  modelKey: string;
  done: number;
  total: number;
  elapsedMs: number;
}

export interface Segmentation {
  /** Published models, empty until models/index.json is read. */
  models: ModelIndexEntry[];
  selectedKey: string | undefined;
  selectModel: (key: string) => void;
  modelStatus: ModelStatus;
  /** What the worker runs on, once the first model is loaded. */
  backend: BackendInfo | undefined;
  autoStart: boolean;
  setAutoStart: (on: boolean) => void;
  /** Frames of the series on screen that have masks from the selected model. */
  progress: { done: number; total: number } | undefined;
  /** One flag per frame of the series on screen: 1 when the selected model has segmented it (filled in place). */
  framesReady: Uint8Array | undefined;
  running: boolean;
  /** Of the (series, model) on screen only. */
  lastRun: LastRun | undefined;
  /** The running job, for its time left. */
  runProgress: RunProgress | undefined;
  /** True while a newly chosen model runs and the previous model's complete masks stay on screen. */
  keepingPrevious: boolean;
  /** Segments the frames still missing (the one on screen first). */
  run: () => void;
  cancel: () => void;
  error: LoadProblem | undefined;
  dismissError: () => void;
}

const AUTO_START_KEY = 'cineseg.autoSegment';
const MODEL_KEY = 'cineseg.model';

function readSetting(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function writeSetting(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // Private mode or storage disabled: the setting lasts for this page only.
  }
}

function modelsUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}models/`, document.baseURI).href;
}

function mark(name: string, detail: Record<string, unknown>): void {
  performance.mark(name, { detail });
}

function maskSourceOf(entry: CachedSegmentation, model: ModelIndexEntry, readyCount: number): MaskSource {
  return {
    kind: 'model',
    id: modelMaskId(model.id, model.version),
    title: `Model: ${model.label}`,
    labels: { data: entry.labels, dims: entry.dims },
    modelId: model.id,
    modelVersion: model.version,
    framesReady: entry.framesReady,
    complete: readyCount === entry.dims.frames,
  };
}

export function useSegmentation(
  series: ShownSeries | undefined,
  frame: number,
  addSource: MaskSources['addSource'],
): Segmentation {
  const [cache] = useState(() => new ResultCache());
  const clientRef = useRef<SegmentationClient | undefined>(undefined);
  const jobRef = useRef<{ requestId: number; key: string } | undefined>(undefined);
  /** Set by explicit user actions: the next update of the model's mask source makes it the one shown. */
  const activateRef = useRef(false);
  const [index, setIndex] = useState<ModelIndex | undefined>(undefined);
  const [chosenKey, setChosenKey] = useState<string | undefined>(() => readSetting(MODEL_KEY) ?? undefined);
  const [loaded, setLoaded] = useState<{ key: string; status: 'ready' | 'error'; ready?: ModelReady } | undefined>();
  const [backend, setBackend] = useState<BackendInfo | undefined>(undefined);
  const [autoStart, setAutoStartState] = useState(() => readSetting(AUTO_START_KEY) !== 'false');
  const [running, setRunning] = useState(false);
  const [lastRun, setLastRun] = useState<LastRun | undefined>(undefined);
  const [runProgress, setRunProgress] = useState<RunProgress | undefined>(undefined);
  /** A model source that should take the screen once it is complete (the previous model's stays until then). */
  const deferredRef = useRef<string | undefined>(undefined);
  const [error, setError] = useState<LoadProblem | undefined>(undefined);
  /** Bumped when frames landed in the cache (once per animation frame at most): re-renders the source and progress. */
  const [stored, setStored] = useState(0);

  const models = useMemo(() => index?.models ?? [], [index]);
  const selected = models.find((m) => modelKey(m) === chosenKey) ?? (index ? defaultModel(index) : undefined);
  const selectedKey = selected ? modelKey(selected) : undefined;
  const modelStatus: ModelStatus = loaded?.key === selectedKey && loaded ? loaded.status : 'loading';
  const readyKey = modelStatus === 'ready' ? selectedKey : undefined;
  const seriesId = series?.id;

  // The worker and the model list, once per mount. Results are stored as they come; the re-render they need waits
  // for the next animation frame, once for however many arrived (see frameBatch).
  useEffect(() => {
    const rerender = frameBatch(() => setStored((n) => n + 1));
    const client = new SegmentationClient((r) => {
      const entry = cache.peek(cacheKey(Number(r.seriesKey), r.modelKey));
      if (!entry || !storeFrame(entry, r.frame, r.labels)) return;
      if (isComplete(entry) && jobRef.current?.key === entry.key) {
        mark('cineseg:segmentation-complete', { seriesId: entry.seriesId, modelKey: entry.modelKey });
      }
      rerender.notify();
    });
    clientRef.current = client;
    let live = true;
    fetchModelIndex(modelsUrl()).then(
      (i) => {
        if (live) setIndex(i);
      },
      (e: unknown) => {
        if (live) setError({ message: `Segmentation is unavailable: ${e instanceof Error ? e.message : String(e)}.` });
      },
    );
    return () => {
      live = false;
      rerender.cancel();
      client.dispose();
      clientRef.current = undefined;
      jobRef.current = undefined;
    };
  }, [cache]);

  // Load (or reuse) the selected model in the worker.
  useEffect(() => {
    const client = clientRef.current;
    if (!client || !selected) return;
    const key = modelKey(selected);
    let live = true;
    client.loadModel(key, new URL(selected.path, modelsUrl()).href).then(
      (ready) => {
        if (!live) return;
        setBackend(ready.backend);
        setLoaded({ key, status: 'ready', ready });
      },
      (e: unknown) => {
        if (!live) return;
        setLoaded({ key, status: 'error' });
        const why = e instanceof Error ? e.message : String(e);
        setError({ message: `The segmentation model "${selected.label}" could not be loaded: ${why}.` });
      },
    );
    return () => {
      live = false;
    };
  }, [selected]);

  // A new series: stop the running job, send the series to the worker.
  useEffect(() => {
    const client = clientRef.current;
    if (jobRef.current) client?.cancel(jobRef.current.requestId);
    jobRef.current = undefined;
    if (!client || !series) return;
    client.setVolume(String(series.id), series.volume);
    mark('cineseg:series-loaded', { seriesId: series.id });
  }, [series]);

  const start = useCallback(
    (activate: boolean) => {
      const client = clientRef.current;
      if (!client || !series || !readyKey) return;
      const entry = cache.getOrCreate(series.id, readyKey, series.volume.dims);
      if (activate) activateRef.current = true;
      const frames = framesToSegment(entry, frame);
      setStored((n) => n + 1);
      if (frames.length === 0) {
        if (jobRef.current) client.cancel(jobRef.current.requestId);
        jobRef.current = undefined;
        setRunning(false);
        return;
      }
      mark('cineseg:segmentation-start', { seriesId: series.id, modelKey: readyKey, frames: frames.length });
      const images = series.volume.dims.slices;
      const key = entry.key;
      const modelKeyOfRun = readyKey;
      const requestId = client.segment(String(series.id), readyKey, frames, {
        onResult: () => {},
        onProgress: (p) => {
          if (!p.finished) {
            setRunProgress({ key, modelKey: modelKeyOfRun, done: p.done, total: p.total, elapsedMs: p.elapsedMs });
            return;
          }
          if (jobRef.current?.requestId === requestId) jobRef.current = undefined;
          setRunning(false);
          setRunProgress(undefined);
          setLastRun({ key, images: p.done * images, elapsedMs: p.elapsedMs, cancelled: p.cancelled });
        },
        onError: (message) => {
          if (jobRef.current?.requestId === requestId) jobRef.current = undefined;
          setRunning(false);
          setRunProgress(undefined);
          setError({ message: `Segmentation failed: ${message}.` });
        },
      });
      jobRef.current = { requestId, key: entry.key };
      setRunning(true);
    },
    [cache, series, readyKey, frame],
  );

  // Automatic start when a series arrives or the model changes (a clinician expects masks without asking).
  const startRef = useRef(start);
  useEffect(() => {
    startRef.current = start;
  });
  useEffect(() => {
    if (seriesId === undefined || !readyKey || !autoStart) return;
    startRef.current(false);
  }, [seriesId, readyKey, autoStart]);

  // The frame on screen goes to the front of the queue.
  useEffect(() => {
    const job = jobRef.current;
    const entry = job ? cache.peek(job.key) : undefined;
    if (job && entry && !entry.framesReady[frame]) clientRef.current?.prioritise(job.requestId, frame);
  }, [cache, frame]);

  // The model's masks of this series as a mask source (new object per stored frame).
  const entry = seriesId !== undefined && readyKey ? cache.peek(cacheKey(seriesId, readyKey)) : undefined;
  const readyCount = entry?.readyCount ?? 0;
  const source = useMemo(
    () => (entry && selected ? maskSourceOf(entry, selected, readyCount) : undefined),
    // `stored` changes whenever the entry gained a frame (it is filled in place).
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [entry, selected, readyCount, stored],
  );
  const shownRef = useRef<{ seriesId: number | undefined; ids: Set<string> }>({ seriesId: undefined, ids: new Set() });
  const [completeIds] = useState(() => new Set<string>());
  const [keeping, setKeeping] = useState(false);
  const hasFileLabels = series?.labels !== undefined;
  useEffect(() => {
    if (!source) return;
    if (shownRef.current.seriesId !== seriesId) {
      shownRef.current = { seriesId, ids: new Set() };
      completeIds.clear();
      deferredRef.current = undefined;
    }
    // File labels stay on screen when the files came with them, unless the user asks for the model's output;
    // without file labels a model's masks show as soon as its first frame is there. Later frames never take the
    // screen from a source the user picked.
    const first = !shownRef.current.ids.has(source.id);
    let activate = activateRef.current || (first && !hasFileLabels);
    activateRef.current = false;
    // Another model chosen while this series has a complete result on screen: keep that one until the new one has
    // every frame (a half-segmented series would replace finished masks for minutes with the teacher).
    const complete = source.kind === 'model' && source.complete;
    const previousComplete = [...shownRef.current.ids].some((id) => id !== source.id && completeIds.has(id));
    if (activate && !complete && previousComplete) {
      deferredRef.current = source.id;
      activate = false;
    } else if (deferredRef.current === source.id && complete) {
      deferredRef.current = undefined;
      activate = true;
    }
    if (activate && deferredRef.current !== source.id) deferredRef.current = undefined;
    shownRef.current.ids.add(source.id);
    if (complete) completeIds.add(source.id);
    setKeeping(deferredRef.current !== undefined);
    addSource(source, { activate });
  }, [source, addSource, seriesId, hasFileLabels, completeIds]);

  const run = useCallback(() => start(true), [start]);
  const cancel = useCallback(() => {
    const job = jobRef.current;
    if (job) clientRef.current?.cancel(job.requestId);
  }, []);
  const selectModel = useCallback((key: string) => {
    const job = jobRef.current;
    if (job) clientRef.current?.cancel(job.requestId);
    jobRef.current = undefined;
    activateRef.current = true;
    setChosenKey(key);
    setError(undefined);
    writeSetting(MODEL_KEY, key);
  }, []);
  const setAutoStart = useCallback((on: boolean) => {
    setAutoStartState(on);
    writeSetting(AUTO_START_KEY, String(on));
  }, []);
  const dismissError = useCallback(() => setError(undefined), []);

  // One object per change that matters (not per render), so the panel re-renders only then. `framesReady` is filled
  // in place: `readyCount` says when it changed.
  const total = series?.volume.dims.frames;
  const framesReady = entry?.framesReady;
  return useMemo(
    () => ({
      models,
      selectedKey,
      selectModel,
      modelStatus,
      backend,
      autoStart,
      setAutoStart,
      progress: total !== undefined ? { done: readyCount, total } : undefined,
      framesReady,
      running,
      lastRun: lastRun && entry && lastRun.key === entry.key ? lastRun : undefined,
      runProgress,
      keepingPrevious: keeping,
      run,
      cancel,
      error,
      dismissError,
    }),
    [
      models,
      selectedKey,
      selectModel,
      modelStatus,
      backend,
      autoStart,
      setAutoStart,
      total,
      readyCount,
      framesReady,
      running,
      lastRun,
      runProgress,
      keeping,
      entry,
      run,
      cancel,
      error,
      dismissError,
    ],
  );
}

/**
 * The app end to end, as a person uses it: open it with the student selected, wait until the model is loaded, drop a
 * 12-slice x 20-frame series (the real Sunnybrook DICOM series when ../shared/data has it, else a phantom NIfTI made
 * with the app's own writers) and time it until every frame has masks, from the app's performance marks
 * (src/ui/segmentation/useSegmentation.ts). Records the main thread's long tasks meanwhile.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { makePhantom } from '../src/core/phantom';
import type { Volume } from '../src/core/volume';
import { loadFiles } from '../src/io/index';
import { writeNifti } from '../src/io/niftiWrite';
import { CROP_OVERRIDE_KEY, FRAME_RESULT_MARK } from '../src/segment/client';
import type { StageTimes } from '../src/segment/engine';
import type { ModelIndex } from '../src/segment/manifest';
import { defaultModel, modelKey } from '../src/segment/modelIndex';
import { isStudent } from './plan';

export const SUNNYBROOK_DICOM_DIR = path.resolve(import.meta.dirname, '../../shared/data/sunnybrook/SCD0000101/dicom');

/**
 * Files go to the file input as paths on disk, as a user's files would: buffers handed to Playwright leave tens of
 * MB of its own garbage on the page, whose collection would land inside the measured window.
 */
type FilePath = string;

export interface EndToEndInput {
  kind: 'sunnybrook-dicom' | 'phantom-nifti';
  description: string;
  files: number;
  bytes: number;
}

export interface EndToEndResult {
  input: EndToEndInput;
  modelKey: string;
  /** The app's backend line, e.g. "WASM · SIMD · 2 threads · cross-origin isolated". */
  backendInfo: string;
  /** The app's series panel, e.g. "Matrix: 256×256; Slices: 12 slices; ...". */
  seriesInfo: string;
  images: number;
  frames: number;
  /** Page opened -> student loaded and warmed up in the worker. */
  modelReadyMs: number;
  /** The file input's change event (the drop) -> `cineseg:series-loaded`. */
  dropToSeriesLoadedMs: number;
  /** `cineseg:segmentation-start` -> `cineseg:segmentation-complete`. */
  segmentationMs: number;
  imagesPerS: number;
  /** The drop -> `cineseg:segmentation-complete`: every mask of the series ready. */
  dropToAllMasksMs: number;
  /** Longest main-thread task that began between segmentation start and completion. */
  longestTaskDuringSegmentationMs: number;
  /** Longest main-thread task from the drop to completion (parsing and the first render included). */
  longestTaskAfterDropMs: number;
  longTasksAfterDrop: number;
  /** The `--crop` override the app ran with (localStorage cineseg.cropPx), if any. */
  cropPx?: number;
  /** Where the drop -> all masks time went (see EndToEndStages). */
  stages: EndToEndStages;
}

/**
 * The drop -> all masks time by stage, from the app's marks and the worker's per-frame profile
 * (src/segment/client FRAME_RESULT_MARK). A worker's stages run one after another; with a pool of W workers
 * (the app's default on 2 cores: 2) each worker stage is its time summed over all frames divided by W, the wall time
 * it stands for, so decode + beforeStart + plan + prepare + forward + toLabels + postprocess + workerOther +
 * afterLastResult = dropToAllMasks (workerOther absorbs the workers' imbalance).
 */
export interface EndToEndStages extends StageTimes {
  /** Drop -> series on screen: reading and decoding the files (the loader worker), the first render. */
  decodeMs: number;
  /** Series on screen -> segmentation start (sending the series to the worker, React effects). */
  beforeStartMs: number;
  /** The worker's series plan: the heart locator's first pass for a cropping model. */
  planMs: number;
  /** Workers of the app's pool that shared the frames (the stages above are per worker). */
  workers: number;
  /** Segmentation time not spent inside a frame or the plan: messages, the worker's turns of its event loop. */
  workerOtherMs: number;
  /** Last frame's result received -> `cineseg:segmentation-complete` (storing it on the main thread). */
  afterLastResultMs: number;
  /** Worker post -> page handler, summed over frames (overlaps the next frame's work: not part of the sum). */
  transitMs: number;
  /** Main-thread long tasks while segmenting, summed (overlaps the worker: not part of the sum). */
  longTasksMs: number;
  /** forwardMs / dropToAllMasksMs. */
  forwardShare: number;
}

function sunnybrookFiles(): FilePath[] {
  return readdirSync(SUNNYBROOK_DICOM_DIR)
    .sort()
    .map((n) => path.join(SUNNYBROOK_DICOM_DIR, n));
}

function phantomFiles(): FilePath[] {
  const { volume } = makePhantom({
    cols: 256,
    rows: 256,
    pixelMm: 1.4,
    slices: 12,
    sliceMm: 10,
    frames: 20,
    frameMs: 45,
  });
  const bytes = writeNifti(volume, { datatype: 'int16' });
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'cineseg-bench-')), 'bench_phantom_cine.nii.gz');
  writeFileSync(file, bytes);
  return [file];
}

export function endToEndInput(): { input: EndToEndInput; files: FilePath[] } {
  const real = existsSync(SUNNYBROOK_DICOM_DIR);
  const files = real ? sunnybrookFiles() : phantomFiles();
  const input: EndToEndInput = {
    kind: real ? 'sunnybrook-dicom' : 'phantom-nifti',
    description: real
      ? 'Sunnybrook SCD0000101 cine DICOM, 256x256, 12 slices x 20 frames'
      : 'phantom cine NIfTI (src/core/phantom), 256x256, 12 slices x 20 frames',
    files: files.length,
    bytes: files.reduce((a, f) => a + statSync(f).size, 0),
  };
  return { input, files };
}

/** The end-to-end input as the app's loader makes it (src/io), for the engine-alone runs. */
export function endToEndVolume(): { input: EndToEndInput; volume: Volume } {
  const { input, files } = endToEndInput();
  const outcome = loadFiles(
    files.map((f) => ({ name: path.basename(f), path: path.basename(f), bytes: readFileSync(f) })),
  );
  if (outcome.kind !== 'series') throw new Error(`${input.description}: more than one series`);
  return { input, volume: outcome.series.volume };
}

interface FrameMark {
  at: number;
  ms: number;
  stages: StageTimes & { planMs: number };
  transitMs: number;
}

interface PageTimes {
  drop: number;
  seriesLoaded: number;
  start: number;
  startFrames: number;
  complete: number;
  tasks: { start: number; duration: number }[];
  frames: FrameMark[];
}

/** Runs the app end to end once in a fresh browser context (no service worker: nothing else competes). */
export async function runEndToEnd(
  browser: Browser,
  baseUrl: string,
  index: ModelIndex,
  log: (line: string) => void,
  opts: { cropPx?: number; timeoutMs?: number } = {},
): Promise<EndToEndResult> {
  const timeoutMs = opts.timeoutMs ?? 15 * 60_000;
  // The model users get: models/index.json's default (the first student listed may be an older version).
  const student = defaultModel(index);
  if (!isStudent(student)) throw new Error(`models/index.json's default ${modelKey(student)} is not a student`);
  const key = modelKey(student);
  const { input, files } = endToEndInput();
  log(`end to end: ${input.description} (${input.files} files, ${(input.bytes / 1e6).toFixed(1)} MB), ${key}`);

  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1400, height: 860 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(
      ([k, cropKey, crop]: [string, string, string]) => {
        localStorage.setItem('cineseg.model', k);
        localStorage.setItem('cineseg.autoSegment', 'true');
        if (crop) localStorage.setItem(cropKey, crop);
        else localStorage.removeItem(cropKey);
        const tasks: { start: number; duration: number }[] = [];
        (window as unknown as { benchLongTasks: typeof tasks }).benchLongTasks = tasks;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
        }).observe({ type: 'longtask', buffered: true });
        // The drop: the moment the browser hands the files to the page (before the app's own handler runs).
        document.addEventListener(
          'change',
          (e) => {
            if (e.target instanceof HTMLInputElement && e.target.type === 'file') performance.mark('bench:drop');
          },
          true,
        );
      },
      [key, CROP_OVERRIDE_KEY, opts.cropPx === undefined ? '' : String(opts.cropPx)] as [string, string, string],
    );

    const t0 = Date.now();
    await page.goto(baseUrl);
    const backendInfo = page.getByTestId('backend-info');
    await backendInfo.filter({ hasText: /WASM|CPU|WebGL/i }).waitFor({ timeout: timeoutMs });
    const modelReadyMs = Date.now() - t0;
    const backendText = (await backendInfo.textContent())?.trim() ?? '';
    log(`end to end: model ready after ${modelReadyMs} ms (${backendText}); dropping the series`);

    await page.getByTestId('file-input').setInputFiles(files);
    await page.waitForFunction(() => performance.getEntriesByName('cineseg:segmentation-complete').length > 0, null, {
      polling: 500,
      timeout: timeoutMs,
    });
    const errors = await page.getByTestId('error').count();
    if (errors > 0)
      throw new Error(`the app showed an error: ${await page.getByTestId('error').first().textContent()}`);
    const seriesInfo = await page
      .getByTestId('series-info')
      .evaluate((el) =>
        [...el.querySelectorAll('.info-row')]
          .map((row) => `${row.querySelector('dt')?.textContent ?? ''}: ${row.querySelector('dd')?.textContent ?? ''}`)
          .join('; '),
      );

    // No named functions inside: tsx (esbuild keepNames) would wrap them in a `__name` helper the page lacks.
    const t = await page.evaluate((frameMark: string): PageTimes => {
      const [drop, seriesLoaded, start, complete] = [
        'bench:drop',
        'cineseg:series-loaded',
        'cineseg:segmentation-start',
        'cineseg:segmentation-complete',
      ].map((name) => performance.getEntriesByName(name)[0] as PerformanceMark | undefined);
      const detail = (start?.detail ?? {}) as { frames?: number };
      return {
        drop: drop?.startTime ?? NaN,
        seriesLoaded: seriesLoaded?.startTime ?? NaN,
        start: start?.startTime ?? NaN,
        startFrames: detail.frames ?? NaN,
        complete: complete?.startTime ?? NaN,
        tasks: (window as unknown as { benchLongTasks: PageTimes['tasks'] }).benchLongTasks,
        frames: performance.getEntriesByName(frameMark).map((e) => ({
          at: e.startTime,
          ...((e as PerformanceMark).detail as Omit<FrameMark, 'at'>),
        })),
      };
    }, FRAME_RESULT_MARK);
    const slices = Number(/(\d+) slices/.exec(seriesInfo)?.[1] ?? NaN);
    const images = slices * t.startFrames;
    const longest = (from: number): number =>
      Math.max(0, ...t.tasks.filter((x) => x.start >= from && x.start <= t.complete).map((x) => x.duration));
    const segmentationMs = t.complete - t.start;
    const frames = t.frames.filter((f) => f.at >= t.start && f.at <= t.complete);
    const sum = (f: (m: FrameMark) => number): number => frames.reduce((a, m) => a + f(m), 0);
    const dropToAllMasksMs = t.complete - t.drop;
    // The app's pool (src/segment/client.ts): its workers run side by side, so a worker stage stands for its time
    // summed over the frames divided by the workers (each worker's share of the wall time).
    const workers = Number(/(\d+) workers/.exec(backendText)?.[1] ?? 1);
    const perWorker = (f: (m: FrameMark) => number): number => sum(f) / workers;
    const planMs = perWorker((m) => m.stages.planMs);
    const forwardMs = perWorker((m) => m.stages.forwardMs);
    const lastResult = Math.max(t.start, ...frames.map((m) => m.at));
    const stages: EndToEndStages = {
      decodeMs: t.seriesLoaded - t.drop,
      beforeStartMs: t.start - t.seriesLoaded,
      planMs,
      prepareMs: perWorker((m) => m.stages.prepareMs),
      forwardMs,
      toLabelsMs: perWorker((m) => m.stages.toLabelsMs),
      postprocessMs: perWorker((m) => m.stages.postprocessMs),
      workers,
      workerOtherMs: lastResult - t.start - planMs - perWorker((m) => m.ms),
      afterLastResultMs: t.complete - lastResult,
      transitMs: sum((m) => m.transitMs),
      longTasksMs: t.tasks
        .filter((x) => x.start >= t.start && x.start <= t.complete)
        .reduce((a, x) => a + x.duration, 0),
      forwardShare: forwardMs / dropToAllMasksMs,
    };
    return {
      input,
      modelKey: key,
      backendInfo: backendText,
      seriesInfo,
      images,
      frames: t.startFrames,
      modelReadyMs,
      dropToSeriesLoadedMs: t.seriesLoaded - t.drop,
      segmentationMs,
      imagesPerS: (1000 * images) / segmentationMs,
      dropToAllMasksMs,
      longestTaskDuringSegmentationMs: longest(t.start),
      longestTaskAfterDropMs: longest(t.drop),
      longTasksAfterDrop: t.tasks.filter((x) => x.start >= t.drop && x.start <= t.complete).length,
      ...(opts.cropPx === undefined ? {} : { cropPx: opts.cropPx }),
      stages,
    };
  } finally {
    await context.close();
  }
}

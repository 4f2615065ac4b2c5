/**
 * One study through the batch CLI: read the files, segment every frame with the app's engine, measure,
 * write the labels and the CSV. The single-study command and each study of a cohort call these same steps.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { computeCardiacFunction, type CardiacFunction } from '@/core/cardiac/function';
import { countFrameLabelVoxels, volumesFromCounts, type FrameVolumes } from '@/core/cardiac/volumes';
import { measuredQualityFlags, type QualityFlag } from '@/core/quality';
import type { LabelVolume, Volume } from '@/core/volume';
import { cardiacReportToCsv } from '@/io/csv';
import { LoadError, loadFiles, writeNiftiLabels, type InputFile } from '@/io/index';
import { dicomMaskIndex } from '@/io/maskExport';
import { buildCardiacReport } from '@/io/reportExport';
import { loadModel, planSeries, segmentFrame, type LoadedModel } from '@/segment/engine';
import { UsageError } from './errors';
import { readInputFiles } from './readInput';
import { parseFrameNumber, parseSliceList } from './sliceList';

/** The series of `files` (one DICOM series, chosen by `series` when they hold several). */
export function loadSeries(files: InputFile[], series: string | undefined): Volume {
  const outcome = loadFiles(files, series !== undefined ? { seriesInstanceUid: series } : {});
  if (outcome.kind === 'choose') {
    const list = outcome.candidates
      .map((c) => `  --series ${c.seriesInstanceUid}   ${c.description} (${c.summary}, ${c.fileCount} files)`)
      .join('\n');
    throw new LoadError(`The input holds ${outcome.candidates.length} DICOM series; choose one with:\n${list}`);
  }
  if (series !== undefined && outcome.series.volume.meta.seriesInstanceUid !== series) {
    throw new LoadError(`No DICOM series with SeriesInstanceUID ${series} in the input.`);
  }
  return outcome.series.volume;
}

/** Reads the input paths and loads their series. */
export function readSeries(inputs: readonly string[], series: string | undefined): Volume {
  return loadSeries(readInputFiles(inputs), series);
}

export interface AnalysisOptions {
  includedSlices: boolean[];
  phases: { edFrame?: number; esFrame?: number };
}

/** Slice selection and ED/ES overrides, checked against the series before the (slow) segmentation. */
export function analysisOptions(
  opts: { slices?: string; ed?: string; es?: string },
  slices: number,
  frames: number,
): AnalysisOptions {
  try {
    return {
      includedSlices:
        opts.slices === undefined ? new Array<boolean>(slices).fill(true) : parseSliceList(opts.slices, slices),
      phases: {
        ...(opts.ed !== undefined ? { edFrame: parseFrameNumber(opts.ed, frames, '--ed') } : {}),
        ...(opts.es !== undefined ? { esFrame: parseFrameNumber(opts.es, frames, '--es') } : {}),
      },
    };
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** Loads a model folder from disk (the engine checks the manifest and the shards' sha256). */
export function loadModelFolder(modelDir: string): Promise<LoadedModel> {
  return loadModel((file) => Promise.resolve(new Uint8Array(readFileSync(path.join(modelDir, file)))));
}

/** Labels of every frame, frame by frame; `onFrame` hears each frame's time. */
export function segmentSeries(
  model: LoadedModel,
  volume: Volume,
  tta: boolean,
  onFrame: (frame: number, ms: number) => void = () => {},
): LabelVolume {
  const { cols, rows, slices, frames } = volume.dims;
  // Heart-centred models locate the heart once (src/segment/engine planSeries), then crop every frame.
  const { plan } = planSeries(model, volume);
  const labels: LabelVolume = { data: new Uint8Array(cols * rows * slices * frames), dims: { ...volume.dims } };
  for (let f = 0; f < frames; f++) {
    const t = performance.now();
    const frameLabels = segmentFrame(model, volume, plan, f, { tta });
    labels.data.set(frameLabels, f * frameLabels.length);
    onFrame(f, performance.now() - t);
  }
  return labels;
}

export interface Measurements {
  frameVolumes: (FrameVolumes | null)[];
  fn: CardiacFunction;
}

/** Volumes per frame and cardiac function from the labels, as the app's Measurements panel. */
export function measureSeries(volume: Volume, labels: LabelVolume, analysis: AnalysisOptions): Measurements {
  const plane = volume.dims.cols * volume.dims.rows * volume.dims.slices;
  const frameLabels = Array.from({ length: volume.dims.frames }, (_, f) =>
    labels.data.subarray(f * plane, (f + 1) * plane),
  );
  const frameVolumes = volumesFromCounts(
    countFrameLabelVoxels(frameLabels, volume.dims),
    volume,
    analysis.includedSlices,
  );
  const fn = computeCardiacFunction(frameVolumes, {
    ...analysis.phases,
    ...(volume.meta.heartRateBpm !== undefined ? { heartRateBpm: volume.meta.heartRateBpm } : {}),
  });
  return { frameVolumes, fn };
}

/** The quality flags of the masks and measures (src/core/quality), as the app shows them. */
export function studyFlags(labels: LabelVolume, measured: Measurements): QualityFlag[] {
  return measuredQualityFlags(labels, measured);
}

/**
 * Writes a file, creating its folder; through a temporary name and a rename, so that a run stopped
 * half-way never leaves a truncated file under the final name.
 */
export function writeOutput(file: string, bytes: Uint8Array | string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.partial`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
}

/**
 * The labels (`out`, plus `<out>.index.json` for DICOM input) and the function CSV (`csv`) of one study;
 * returns the files written.
 */
export function writeStudyOutputs(
  target: { out?: string; csv?: string },
  volume: Volume,
  labels: LabelVolume,
  measured: Measurements,
  analysis: AnalysisOptions,
  model: { id: string; version: string },
  flags?: readonly QualityFlag[],
): string[] {
  const written: string[] = [];
  if (target.out !== undefined) {
    writeOutput(target.out, writeNiftiLabels(labels, volume, /\.gz$/i.test(target.out)));
    written.push(target.out);
    const indexFile = target.out.replace(/\.nii(\.gz)?$/i, '.index.json');
    const index = dicomMaskIndex(volume, path.basename(target.out));
    if (index) {
      writeOutput(indexFile, JSON.stringify(index, null, 1) + '\n');
      written.push(indexFile);
    }
  }
  if (target.csv !== undefined) {
    const report = buildCardiacReport(volume, measured.frameVolumes, measured.fn, analysis.includedSlices, {
      kind: 'model',
      modelId: model.id,
      modelVersion: model.version,
    }, flags ? { qualityFlags: flags } : {});
    writeOutput(target.csv, cardiacReportToCsv(report, { bom: true }));
    written.push(target.csv);
  }
  return written;
}

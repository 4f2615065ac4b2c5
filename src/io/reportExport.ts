/**
 * The cardiac-function report of a series, as the app and the batch CLI both build it, and its CSV
 * download. One function so the two can never disagree on what the CSV holds.
 */
import type { CardiacFunction } from '@/core/cardiac/function';
import type { FrameVolumes } from '@/core/cardiac/volumes';
import type { Volume } from '@/core/volume';
import { cardiacReportToCsv, type CardiacReport } from './csv';
import type { ExportFile } from './maskExport';

/** Where the masks came from: the user's label files (no model rows), or a model (id and version go into the CSV). */
export type MaskOrigin = { kind: 'file' } | { kind: 'model'; modelId: string; modelVersion: string };

/** The report of `volume` from its per-frame volumes and the function computed from them. */
export function buildCardiacReport(
  volume: Volume,
  frameVolumes: readonly (FrameVolumes | null)[],
  result: CardiacFunction,
  includedSlices: readonly boolean[],
  origin: MaskOrigin,
): CardiacReport {
  const { meta } = volume;
  return {
    frameVolumes,
    frameTimesMs: volume.frameTimesMs,
    result,
    includedSlices,
    ...(meta.seriesDescription ? { seriesDescription: meta.seriesDescription } : {}),
    ...(meta.date ? { date: meta.date } : {}),
    ...(origin.kind === 'model' ? { modelId: origin.modelId, modelVersion: origin.modelVersion } : {}),
    sourceFileName: meta.name,
  };
}

/**
 * `<base>_function.csv`, UTF-8 with a byte-order mark so Excel opens non-ASCII descriptions correctly
 * (see csv.ts).
 */
export function csvExportFile(report: CardiacReport, baseName: string): ExportFile {
  return {
    name: `${baseName}_function.csv`,
    mimeType: 'text/csv;charset=utf-8',
    bytes: new TextEncoder().encode(cardiacReportToCsv(report, { bom: true })),
  };
}

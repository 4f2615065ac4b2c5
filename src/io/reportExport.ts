/**
 * The cardiac-function report of a series, as the app and the batch CLI both build it, and its CSV
 * download. One function so the two can never disagree on what the CSV holds.
 */
import type { Agreement } from '@/core/cardiac/agreement';
import { bodySurfaceAreaM2 } from '@/core/cardiac/bodySurfaceArea';
import type { CardiacFunction } from '@/core/cardiac/function';
import { indexedMeasures, lvefAgainstRange, referenceSex, type IndexedValue } from '@/core/cardiac/indexedMeasures';
import { REFERENCE_SOURCE } from '@/core/cardiac/referenceRanges';
import { COUNTED_LABELS, voxelVolumeMl, type FrameVolumes, type LabelCounts } from '@/core/cardiac/volumes';
import { Label } from '@/core/labels';
import type { QualityFlag } from '@/core/quality';
import type { Volume } from '@/core/volume';
import { cardiacReportToCsv, type CardiacReport, type IndexedMeasure, type SliceFrameRow } from './csv';
import type { ExportFile } from './maskExport';

/** Where the masks came from: the user's label files (no model rows), or a model (id and version go into the CSV). */
export type MaskOrigin = { kind: 'file' } | { kind: 'model'; modelId: string; modelVersion: string };

/** What the app knows beyond the measures: how complete the masks are, the agreement, the counts per slice. */
export interface ReportExtras {
  /** Frames with masks; with `complete` false the measures are provisional. */
  framesSegmented?: number;
  complete?: boolean;
  agreement?: Agreement;
  /** Label voxels per (slice, frame), for the per-slice table. */
  counts?: LabelCounts;
  /** Quality flags of the masks (src/core/quality), for the flags table. */
  qualityFlags?: readonly QualityFlag[];
}

function rangeText(v: IndexedValue): string | undefined {
  if (!v.range) return undefined;
  const sex = v.range.sex === 'either' ? 'either sex' : v.range.sex;
  return `${v.range.lower}-${v.range.upper} (${sex})`;
}

function asCsvMeasure(v: IndexedValue, referenceOnly = false): IndexedMeasure {
  const reference = rangeText(v);
  return {
    name: v.name,
    value: v.value,
    unit: v.unit,
    ...(referenceOnly ? { referenceOnly } : {}),
    ...(reference ? { reference } : {}),
    ...(v.verdict ? { verdict: v.verdict } : {}),
  };
}

/** The per-slice, per-frame areas (mm²) and volumes (ml) of the segmented frames. */
export function sliceFrameRows(
  counts: LabelCounts,
  volume: Pick<Volume, 'spacingMm' | 'meta'>,
  includedSlices: readonly boolean[],
): SliceFrameRow[] {
  const { slices, frames } = counts.dims;
  const pixelMm2 = volume.spacingMm.col * volume.spacingMm.row;
  const voxelMl = voxelVolumeMl(volume, slices);
  const rows: SliceFrameRow[] = [];
  for (let f = 0; f < frames; f++) {
    if (!counts.framesReady[f]) continue;
    for (let s = 0; s < slices; s++) {
      const o = (s + slices * f) * COUNTED_LABELS;
      const n = (label: number): number => counts.counts[o + label] ?? 0;
      rows.push({
        slice: s,
        frame: f,
        included: includedSlices[s] !== false,
        lvCavityMm2: n(Label.LVCavity) * pixelMm2,
        lvMyocardiumMm2: n(Label.Myocardium) * pixelMm2,
        rvCavityMm2: n(Label.RVCavity) * pixelMm2,
        lvCavityMl: n(Label.LVCavity) * voxelMl,
        lvMyocardiumMl: n(Label.Myocardium) * voxelMl,
        rvCavityMl: n(Label.RVCavity) * voxelMl,
      });
    }
  }
  return rows;
}

/** The report of `volume` from its per-frame volumes and the function computed from them. */
export function buildCardiacReport(
  volume: Volume,
  frameVolumes: readonly (FrameVolumes | null)[],
  result: CardiacFunction,
  includedSlices: readonly boolean[],
  origin: MaskOrigin,
  extras: ReportExtras = {},
): CardiacReport {
  const { meta } = volume;
  const bsaM2 = bodySurfaceAreaM2({ heightCm: meta.heightCm, weightKg: meta.weightKg });
  const sex = referenceSex(meta.patientSex);
  const indexed = [
    asCsvMeasure(lvefAgainstRange(result, sex), true),
    ...indexedMeasures(result, bsaM2, sex).map((v) => asCsvMeasure(v)),
  ];
  return {
    frameVolumes,
    frameTimesMs: volume.frameTimesMs,
    result,
    includedSlices,
    ...(meta.seriesDescription ? { seriesDescription: meta.seriesDescription } : {}),
    ...(meta.date ? { date: meta.date } : {}),
    ...(origin.kind === 'model' ? { modelId: origin.modelId, modelVersion: origin.modelVersion } : {}),
    sourceFileName: meta.name,
    ...(meta.patientId ? { patientId: meta.patientId } : {}),
    ...(meta.patientName ? { patientName: meta.patientName } : {}),
    ...(meta.seriesNumber !== undefined ? { seriesNumber: meta.seriesNumber } : {}),
    ...(extras.framesSegmented !== undefined
      ? { framesSegmented: extras.framesSegmented, frameCount: volume.dims.frames, complete: extras.complete ?? false }
      : {}),
    ...(meta.heightCm !== undefined ? { heightCm: meta.heightCm } : {}),
    ...(meta.weightKg !== undefined ? { weightKg: meta.weightKg } : {}),
    ...(bsaM2 !== undefined ? { bsaM2 } : {}),
    indexed,
    referenceSource: REFERENCE_SOURCE,
    ...(extras.agreement ? { agreement: extras.agreement } : {}),
    ...(extras.counts ? { sliceTable: sliceFrameRows(extras.counts, volume, includedSlices) } : {}),
    ...(extras.qualityFlags ? { qualityFlags: extras.qualityFlags } : {}),
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

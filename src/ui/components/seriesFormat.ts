/** Text shown in the series panel. Pure: testable in Node. */
import type { SpacingMm, Volume, VolumeDims } from '@/core/volume';
import { acquisitionFrameIntervalMs, FALLBACK_FRAME_INTERVAL_MS } from '@/ui/cine/playback';

export function formatMatrix(d: VolumeDims): string {
  return `${d.cols}×${d.rows}`;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function formatSpacing(s: SpacingMm): string {
  return `${s.col.toFixed(2)} × ${s.row.toFixed(2)} × ${s.slice.toFixed(1)} mm`;
}

export function formatFrameInterval(frameTimesMs: readonly number[]): string {
  const ms = acquisitionFrameIntervalMs(frameTimesMs);
  if (ms === undefined) return `unknown (plays at ${1000 / FALLBACK_FRAME_INTERVAL_MS} fps)`;
  return `${ms.toFixed(1)} ms (${(1000 / ms).toFixed(1)} fps)`;
}

const SOURCE_NAMES: Record<Volume['meta']['source'], string> = {
  nifti: 'NIfTI',
  dicom: 'DICOM',
  phantom: 'Synthetic phantom',
};

export function formatSource(source: Volume['meta']['source'], fileCount: number): string {
  return fileCount > 0 ? `${SOURCE_NAMES[source]}, ${plural(fileCount, 'file', 'files')}` : SOURCE_NAMES[source];
}

/** Who and what, in one line: "SCD-0042 · Jane Doe · 2024-01-31 · series 7 · SA cine" (NIfTI: the file name). */
export function seriesIdentity(meta: Volume['meta']): string {
  const parts = [
    meta.patientId,
    meta.patientName,
    meta.date,
    meta.seriesNumber !== undefined ? `series ${meta.seriesNumber}` : undefined,
    meta.seriesDescription ?? meta.name,
  ];
  return parts.filter((p): p is string => p !== undefined && p !== '').join(' · ');
}

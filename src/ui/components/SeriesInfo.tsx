import { memo } from 'react';
import type { ShownSeries } from '@/ui/loader/useSeriesLoader';
import { formatFrameInterval, formatMatrix, formatSource, formatSpacing, plural } from './seriesFormat';

function labelText(series: ShownSeries): string {
  if (!series.labels) return 'none';
  const frames = series.labelledFrames;
  if (!frames || frames.length === series.volume.dims.frames) return 'from file';
  return `from file, ${frames.length === 1 ? 'frame' : 'frames'} ${frames.map((f) => f + 1).join(', ')}`;
}

export const SeriesInfo = memo(function SeriesInfo({ series }: { series: ShownSeries }) {
  const { dims, spacingMm, frameTimesMs, meta } = series.volume;
  const rows: [string, string][] = [
    ...(meta.patientId ? [['Patient ID', meta.patientId] as [string, string]] : []),
    ...(meta.patientName ? [['Patient', meta.patientName] as [string, string]] : []),
    ...(meta.seriesNumber !== undefined ? [['Series', String(meta.seriesNumber)] as [string, string]] : []),
    ['Name', meta.seriesDescription ?? meta.name],
    ['Matrix', formatMatrix(dims)],
    ['Slices', plural(dims.slices, 'slice', 'slices')],
    ['Frames', plural(dims.frames, 'frame', 'frames')],
    ['Spacing', formatSpacing(spacingMm)],
    ['Frame interval', formatFrameInterval(frameTimesMs)],
    ['Source', formatSource(meta.source, series.fileCount)],
  ];
  if (meta.seriesDescription && meta.seriesDescription !== meta.name) rows.splice(1, 0, ['Files', meta.name]);
  if (meta.date) rows.push(['Date', meta.date]);
  if (meta.heartRateBpm) rows.push(['Heart rate', `${Math.round(meta.heartRateBpm)} bpm`]);
  if (meta.heightCm !== undefined || meta.weightKg !== undefined) {
    const h = meta.heightCm !== undefined ? `${Math.round(meta.heightCm)} cm` : 'height ?';
    const w = meta.weightKg !== undefined ? `${Math.round(meta.weightKg)} kg` : 'weight ?';
    rows.push(['Body size', `${h}, ${w}`]);
  }
  rows.push(['Labels', labelText(series)]);

  return (
    <section className="panel" data-testid="series-info" aria-labelledby="series-info-title">
      <h2 id="series-info-title">Series</h2>
      <dl className="info-list">
        {rows.map(([k, v]) => (
          <div key={k} className="info-row">
            <dt>{k}</dt>
            <dd data-testid={`series-${k.toLowerCase().replace(/\s+/g, '-')}`}>{v}</dd>
          </div>
        ))}
      </dl>
      {series.warnings.length > 0 && (
        <ul className="warnings" aria-label="Warnings">
          {series.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </section>
  );
});

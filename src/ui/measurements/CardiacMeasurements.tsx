import { useCallback } from 'react';
import type { Volume } from '@/core/volume';
import { buildCardiacReport, csvExportFile } from '@/io/reportExport';
import type { MaskSource } from '@/ui/masks/maskSource';
import { ExportButtons } from './ExportButtons';
import { FunctionSummary } from './FunctionSummary';
import { maskOriginText } from './maskFrames';
import { PhaseSelectors } from './PhaseSelectors';
import { SliceToggles } from './SliceToggles';
import { useCardiacMeasurements } from './useCardiacMeasurements';
import { VolumeCurve } from './VolumeCurve';
import './measurements.css';

export interface CardiacMeasurementsProps {
  volume: Volume;
  mask: MaskSource;
  /** Frames the file labels cover (ACDC: ED and ES only); undefined = all. */
  labelledFrames: readonly number[] | undefined;
  frame: number;
  onGoToFrame?: (frame: number) => void;
}

/** Everything computed from the active mask: measures, ED/ES, curve, slice selection, exports. */
export function CardiacMeasurements({ volume, mask, labelledFrames, frame, onGoToFrame }: CardiacMeasurementsProps) {
  const m = useCardiacMeasurements(volume, mask, labelledFrames);
  const { frames } = volume.dims;
  const { result, frameVolumes, includedSlices } = m;
  const makeCsv = useCallback(
    (baseName: string) =>
      csvExportFile(
        buildCardiacReport(
          volume,
          frameVolumes,
          result,
          includedSlices,
          mask.kind === 'model'
            ? { kind: 'model', modelId: mask.modelId, modelVersion: mask.modelVersion }
            : { kind: 'file' },
        ),
        baseName,
      ),
    [volume, frameVolumes, result, includedSlices, mask],
  );
  return (
    <div className="cardiac" data-testid="cardiac-measurements">
      <p className="measure-source" data-testid="measurements-source">
        {maskOriginText(mask)}
        {m.readyCount < frames && (
          <span className="muted" data-testid="frames-ready">
            {' '}
            · {m.readyCount} of {frames} frames
          </span>
        )}
      </p>
      {m.readyCount === 0 ? (
        <p className="muted">No frame is segmented yet.</p>
      ) : (
        <>
          <FunctionSummary result={result} />
          {m.readyCount < 2 && <p className="muted">Ejection fractions need at least two segmented frames.</p>}
          <PhaseSelectors
            frameVolumes={frameVolumes}
            edFrame={result.edFrame}
            esFrame={result.esFrame}
            edOverride={m.edOverride}
            esOverride={m.esOverride}
            onEdChange={m.setEdOverride}
            onEsChange={m.setEsOverride}
            onReset={m.resetPhases}
          />
        </>
      )}
      <VolumeCurve
        frameVolumes={frameVolumes}
        edFrame={result.edFrame}
        esFrame={result.esFrame}
        frame={frame}
        {...(onGoToFrame ? { onGoToFrame } : {})}
      />
      <ExportButtons volume={volume} mask={mask} makeCsv={makeCsv} missingFrames={frames - m.readyCount} />
      <SliceToggles
        volume={volume}
        counts={m.counts}
        included={includedSlices}
        edFrame={result.edFrame}
        onToggle={m.setSliceIncluded}
        onIncludeAll={m.includeAllSlices}
      />
    </div>
  );
}

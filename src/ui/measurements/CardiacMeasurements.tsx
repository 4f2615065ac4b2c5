import { useCallback } from 'react';
import { seriesQualityFlags } from '@/core/quality';
import type { Volume } from '@/core/volume';
import { buildCardiacReport, csvExportFile } from '@/io/reportExport';
import { editedMarks, editedSlicesByFrame, maskOrigin, type MaskSource } from '@/ui/masks/maskSource';
import { AgreementSummary } from './AgreementSummary';
import { ExportButtons } from './ExportButtons';
import { FunctionSummary } from './FunctionSummary';
import { IndexedSummary } from './IndexedSummary';
import { maskOriginText } from './maskFrames';
import { PhaseSelectors } from './PhaseSelectors';
import { SliceToggles } from './SliceToggles';
import { useAgreement } from './useAgreement';
import { useCardiacMeasurements } from './useCardiacMeasurements';
import { VolumeCurve } from './VolumeCurve';
import './measurements.css';

export interface CardiacMeasurementsProps {
  volume: Volume;
  mask: MaskSource;
  /** Every mask source of the series: with labels from file and a model's, their agreement is shown. */
  sources?: readonly MaskSource[];
  /** Frames the file labels cover (ACDC: ED and ES only); undefined = all. */
  labelledFrames: readonly number[] | undefined;
  frame: number;
  onGoToFrame?: (frame: number) => void;
}

/** Everything computed from the active mask: measures, ED/ES, curve, slice selection, agreement, exports. */
export function CardiacMeasurements({
  volume,
  mask,
  sources,
  labelledFrames,
  frame,
  onGoToFrame,
}: CardiacMeasurementsProps) {
  const m = useCardiacMeasurements(volume, mask, labelledFrames);
  const { frames } = volume.dims;
  const { result, frameVolumes, includedSlices, complete, readyCount, counts } = m;
  const compared = useAgreement(volume, sources, mask, labelledFrames, includedSlices);
  const agreement = compared?.agreement;
  const provisional = !complete;
  const makeCsv = useCallback(
    (baseName: string) =>
      csvExportFile(
        {
          ...buildCardiacReport(volume, frameVolumes, result, includedSlices, maskOrigin(mask), {
            framesSegmented: readyCount,
            complete,
            counts,
            ...(agreement ? { agreement } : {}),
            qualityFlags: seriesQualityFlags(mask.labels, volume, counts.framesReady),
          }),
          // Hand-corrected masks: which slices of which frames (the edited_slices column).
          ...(mask.kind === 'edited' ? { editedSlices: editedSlicesByFrame(mask) } : {}),
        },
        baseName,
      ),
    [volume, frameVolumes, result, includedSlices, mask, readyCount, complete, counts, agreement],
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
      {provisional && m.readyCount > 0 && (
        <p className="provisional-note" role="status" data-testid="provisional-note">
          Provisional: {m.readyCount} of {frames} frames segmented. ED, ES and every value marked * may change until all
          frames are.
        </p>
      )}
      {m.readyCount === 0 ? (
        <p className="muted">No frame is segmented yet.</p>
      ) : (
        <>
          <FunctionSummary result={result} provisional={provisional} />
          {m.readyCount < 2 && <p className="muted">Ejection fractions need at least two segmented frames.</p>}
          <PhaseSelectors
            frameVolumes={frameVolumes}
            lvEd={{ inUse: result.edFrame, override: m.edOverride, onChange: m.setEdOverride }}
            lvEs={{ inUse: result.esFrame, override: m.esOverride, onChange: m.setEsOverride }}
            rvEd={{ inUse: result.rvEdFrame, override: m.rvEdOverride, onChange: m.setRvEdOverride }}
            rvEs={{ inUse: result.rvEsFrame, override: m.rvEsOverride, onChange: m.setRvEsOverride }}
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
      <ExportButtons
        volume={volume}
        mask={mask}
        makeCsv={makeCsv}
        missingFrames={frames - m.readyCount}
        complete={complete}
      />
      {m.readyCount > 0 && <IndexedSummary meta={volume.meta} result={result} provisional={provisional} />}
      {compared && <AgreementSummary agreement={compared.agreement} test={compared.test} />}
      <SliceToggles
        volume={volume}
        counts={m.counts}
        included={includedSlices}
        edFrame={result.edFrame}
        onToggle={m.setSliceIncluded}
        onIncludeAll={m.includeAllSlices}
        edited={editedMarks(mask)?.slices}
      />
    </div>
  );
}

import { memo } from 'react';
import type { Volume } from '@/core/volume';
import type { MaskSource } from '@/ui/masks/maskSource';
import { CardiacMeasurements } from '@/ui/measurements/CardiacMeasurements';
import { ExportButtons } from '@/ui/measurements/ExportButtons';

export interface MeasurementsPanelProps {
  volume: Volume | undefined;
  mask: MaskSource | undefined;
  /** Every mask source of the series (labels from file vs model: agreement). */
  sources?: readonly MaskSource[];
  /** Frames the file labels cover (ACDC: ED and ES only); undefined = all. */
  labelledFrames?: readonly number[] | undefined;
  /** Frame on screen, for the curve's cursor. */
  frame?: number;
  /** Jumps the viewer to a frame (clicking the curve). */
  onGoToFrame?: (frame: number) => void;
}

const noCsv = (): never => {
  throw new Error('no mask');
};

/** Cardiac function (src/core/cardiac) of the active mask on `volume`'s grid; see src/ui/measurements. */
export const MeasurementsPanel = memo(function MeasurementsPanel({
  volume,
  mask,
  sources,
  labelledFrames,
  frame = 0,
  onGoToFrame,
}: MeasurementsPanelProps) {
  return (
    <section className="panel measurements" data-testid="measurements-panel" aria-labelledby="measurements-title">
      <h2 id="measurements-title">Measurements</h2>
      {!volume ? (
        <p className="muted">Load a series to see measurements.</p>
      ) : mask ? (
        <CardiacMeasurements
          volume={volume}
          mask={mask}
          {...(sources ? { sources } : {})}
          labelledFrames={labelledFrames}
          frame={frame}
          {...(onGoToFrame ? { onGoToFrame } : {})}
        />
      ) : (
        <>
          <p className="muted">Measurements need a segmentation: labels from file or the model.</p>
          <ExportButtons volume={volume} mask={undefined} makeCsv={noCsv} missingFrames={volume.dims.frames} />
        </>
      )}
    </section>
  );
});

import type { Volume } from '@/core/volume';
import type { MaskSource } from '@/ui/masks/maskSource';

export interface MeasurementsPanelProps {
  volume: Volume | undefined;
  mask: MaskSource | undefined;
}

/**
 * Reserved for cardiac function (EDV, ESV, EF, mass) computed from `mask` on `volume`'s grid. Empty for now:
 * src/core's analysis and this panel's content come from another engineer.
 */
export function MeasurementsPanel({ volume, mask }: MeasurementsPanelProps) {
  return (
    <section className="panel measurements" data-testid="measurements-panel" aria-labelledby="measurements-title">
      <h2 id="measurements-title">Measurements</h2>
      <p className="muted">
        {!volume
          ? 'Load a series to see measurements.'
          : mask
            ? 'Volumes, ejection fraction and myocardial mass will appear here.'
            : 'Measurements need a segmentation: labels from file or, soon, the model.'}
      </p>
    </section>
  );
}

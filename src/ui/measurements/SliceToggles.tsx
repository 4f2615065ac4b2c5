import { voxelVolumeMl, type LabelCounts } from '@/core/cardiac/volumes';
import { Label } from '@/core/labels';
import type { Volume } from '@/core/volume';
import { countAt } from './frameCounts';
import { formatMeasure, slicePositionsMm } from './format';

export interface SliceTogglesProps {
  volume: Volume;
  counts: LabelCounts;
  included: readonly boolean[];
  /** ED frame in use: each slice shows its LV cavity there, to help decide on basal and apical slices. */
  edFrame: number | undefined;
  onToggle: (slice: number, included: boolean) => void;
  onIncludeAll: () => void;
}

/** One checkbox per slice ("slice k (position mm)"); excluded slices count 0 in every volume. */
export function SliceToggles({ volume, counts, included, edFrame, onToggle, onIncludeAll }: SliceTogglesProps) {
  const { slices } = volume.dims;
  const positions = slicePositionsMm(volume.affine, slices);
  const voxelMl = voxelVolumeMl(volume, slices);
  const excluded = included.filter((i) => !i).length;
  return (
    <fieldset className="slices" data-testid="slice-toggles">
      <legend>
        Slices{' '}
        <span className="muted">
          {slices - excluded} of {slices} included
        </span>
      </legend>
      <ul>
        {positions.map((mm, s) => (
          <li key={s}>
            <label>
              <input
                type="checkbox"
                checked={included[s] ?? true}
                onChange={(e) => onToggle(s, e.currentTarget.checked)}
                data-testid={`slice-toggle-${s + 1}`}
              />
              <span>
                slice {s + 1} ({mm.toFixed(1)} mm)
              </span>
            </label>
            {edFrame !== undefined && (
              <span className="muted slice-lv" title="LV cavity of this slice at ED">
                {formatMeasure(countAt(counts, s, edFrame, Label.LVCavity) * voxelMl, 1, 'ml')}
              </span>
            )}
          </li>
        ))}
      </ul>
      {excluded > 0 && (
        <button type="button" className="button button--small" onClick={onIncludeAll} data-testid="include-all-slices">
          Include all
        </button>
      )}
    </fieldset>
  );
}

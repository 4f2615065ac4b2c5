import { findBaseApex } from '@/core/cardiac/baseApex';
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
  /** Slices edited by hand in any frame (masks corrected in the viewer), marked "edited". */
  edited?: readonly boolean[] | undefined;
}

/**
 * One checkbox per slice ("slice k (position mm)") with its LV cavity at ED; excluded slices count 0 in every volume.
 * The basal and apical ends are marked from the masks (the stack may run either way; see core/cardiac/baseApex).
 */
export function SliceToggles({ volume, counts, included, edFrame, onToggle, onIncludeAll, edited }: SliceTogglesProps) {
  const { slices } = volume.dims;
  const positions = slicePositionsMm(volume.affine, slices);
  const voxelMl = voxelVolumeMl(volume, slices);
  const excluded = included.filter((i) => !i).length;
  const ends =
    edFrame === undefined
      ? undefined
      : findBaseApex(
          Array.from(
            { length: slices },
            (_, s) => countAt(counts, s, edFrame, Label.LVCavity) + countAt(counts, s, edFrame, Label.Myocardium),
          ),
        );
  const mark = (s: number): string | undefined => (ends?.base === s ? 'base' : ends?.apex === s ? 'apex' : undefined);
  return (
    <fieldset className="slices" data-testid="slice-toggles">
      <legend>
        Slices{' '}
        <span className="muted">
          {slices - excluded} of {slices} included
        </span>
      </legend>
      <p className="slices-header muted">
        <span>slice (position along the slice normal)</span>
        <span>{edFrame === undefined ? '' : `LV cavity at ED (frame ${edFrame + 1})`}</span>
      </p>
      <ul>
        {positions.map((mm, s) => {
          const end = mark(s);
          return (
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
                {end && (
                  <span
                    className={`slice-end slice-end--${end}`}
                    data-testid={`slice-${end}`}
                    title={`The ${end === 'base' ? 'basal' : 'apical'} end of the LV in these masks`}
                  >
                    {end}
                  </span>
                )}
                {edited?.[s] && (
                  <span
                    className="slice-edited"
                    data-testid={`slice-edited-${s + 1}`}
                    title="Masks of this slice were edited by hand"
                  >
                    edited
                  </span>
                )}
              </label>
              {edFrame !== undefined && (
                <span className="muted slice-lv" title="LV cavity of this slice at ED">
                  {formatMeasure(countAt(counts, s, edFrame, Label.LVCavity) * voxelMl, 1, 'ml')}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {excluded > 0 && (
        <button type="button" className="button button--small" onClick={onIncludeAll} data-testid="include-all-slices">
          Include all
        </button>
      )}
    </fieldset>
  );
}

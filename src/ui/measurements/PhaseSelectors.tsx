import type { FrameVolumes } from '@/core/cardiac/volumes';
import { formatMeasure } from './format';

export interface PhaseSelectorsProps {
  frameVolumes: readonly (FrameVolumes | null)[];
  /** The frames in use (override or automatic), 0-based. */
  edFrame: number | undefined;
  esFrame: number | undefined;
  edOverride: number | undefined;
  esOverride: number | undefined;
  onEdChange: (frame: number | undefined) => void;
  onEsChange: (frame: number | undefined) => void;
  onReset: () => void;
}

const AUTO = 'auto';

/** ED and ES pickers: automatic (largest / smallest LV cavity) by default, any segmented frame by choice. */
export function PhaseSelectors(p: PhaseSelectorsProps) {
  const options = p.frameVolumes.flatMap((v, f) =>
    v ? [{ frame: f, text: `frame ${f + 1} · LV ${formatMeasure(v.lvCavityMl, 1, 'ml')}` }] : [],
  );
  const select = (
    id: string,
    label: string,
    inUse: number | undefined,
    override: number | undefined,
    onChange: (f: number | undefined) => void,
  ) => (
    <label className="phase-field">
      <span>{label}</span>
      <select
        data-testid={id}
        value={override === undefined ? AUTO : String(override)}
        onChange={(e) => onChange(e.currentTarget.value === AUTO ? undefined : Number(e.currentTarget.value))}
        disabled={options.length === 0}
      >
        <option value={AUTO}>auto{override === undefined && inUse !== undefined ? ` (frame ${inUse + 1})` : ''}</option>
        {options.map((o) => (
          <option key={o.frame} value={o.frame}>
            {o.text}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="phases">
      {select('ed-frame', 'ED', p.edFrame, p.edOverride, p.onEdChange)}
      {select('es-frame', 'ES', p.esFrame, p.esOverride, p.onEsChange)}
      <button
        type="button"
        className="button button--small"
        onClick={p.onReset}
        disabled={p.edOverride === undefined && p.esOverride === undefined}
        data-testid="reset-phases"
        title="Back to the automatic ED (largest LV) and ES (smallest LV)"
      >
        Automatic ED/ES
      </button>
    </div>
  );
}

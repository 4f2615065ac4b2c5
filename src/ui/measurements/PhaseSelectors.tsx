import type { FrameVolumes } from '@/core/cardiac/volumes';
import { formatMeasure } from './format';

export interface PhaseChoice {
  /** The frame in use (override or automatic), 0-based. */
  inUse: number | undefined;
  override: number | undefined;
  onChange: (frame: number | undefined) => void;
}

export interface PhaseSelectorsProps {
  frameVolumes: readonly (FrameVolumes | null)[];
  lvEd: PhaseChoice;
  lvEs: PhaseChoice;
  rvEd: PhaseChoice;
  rvEs: PhaseChoice;
  onReset: () => void;
}

const AUTO = 'auto';

/**
 * ED and ES pickers for the LV and, apart from it, the RV: automatic (largest / smallest LV cavity) by default, any
 * segmented frame by choice. The RV's automatic frames are the LV's automatic ones, so moving the LV's ES leaves RVEF.
 */
export function PhaseSelectors(p: PhaseSelectorsProps) {
  const options = (pick: (v: FrameVolumes) => number, name: string) =>
    p.frameVolumes.flatMap((v, f) =>
      v ? [{ frame: f, text: `frame ${f + 1} · ${name} ${formatMeasure(pick(v), 1, 'ml')}` }] : [],
    );
  const lvOptions = options((v) => v.lvCavityMl, 'LV');
  const rvOptions = options((v) => v.rvCavityMl, 'RV');
  const select = (id: string, label: string, c: PhaseChoice, opts: typeof lvOptions) => (
    <label className="phase-field">
      <span>{label}</span>
      <select
        data-testid={id}
        aria-label={`${id.startsWith('rv') ? 'RV' : 'LV'} ${label === 'ED' ? 'end-diastolic' : 'end-systolic'} frame`}
        value={c.override === undefined ? AUTO : String(c.override)}
        onChange={(e) => c.onChange(e.currentTarget.value === AUTO ? undefined : Number(e.currentTarget.value))}
        disabled={opts.length === 0}
      >
        <option value={AUTO}>
          auto{c.override === undefined && c.inUse !== undefined ? ` (frame ${c.inUse + 1})` : ''}
        </option>
        {opts.map((o) => (
          <option key={o.frame} value={o.frame}>
            {o.text}
          </option>
        ))}
      </select>
    </label>
  );
  const anyOverride = [p.lvEd, p.lvEs, p.rvEd, p.rvEs].some((c) => c.override !== undefined);
  return (
    <div className="phases">
      <div className="phase-row" role="group" aria-label="LV phases">
        <span className="phase-ventricle">LV</span>
        {select('ed-frame', 'ED', p.lvEd, lvOptions)}
        {select('es-frame', 'ES', p.lvEs, lvOptions)}
      </div>
      <div className="phase-row" role="group" aria-label="RV phases">
        <span className="phase-ventricle">RV</span>
        {select('rv-ed-frame', 'ED', p.rvEd, rvOptions)}
        {select('rv-es-frame', 'ES', p.rvEs, rvOptions)}
      </div>
      <button
        type="button"
        className="button button--small"
        onClick={p.onReset}
        disabled={!anyOverride}
        data-testid="reset-phases"
        title="Back to the automatic ED (largest LV) and ES (smallest LV), for both ventricles"
      >
        Automatic ED/ES
      </button>
    </div>
  );
}

import { memo } from 'react';
import { cssColor, LEGEND } from '@/ui/masks/labelColors';
import type { MaskSource } from '@/ui/masks/maskSource';
import type { MaskStyle } from '@/ui/viewer/Viewer';

export interface MaskControlsProps {
  sources: MaskSource[];
  active: MaskSource | undefined;
  onSelect: (id: string) => void;
  visible: boolean;
  onVisibleChange: (visible: boolean) => void;
  opacity: number;
  onOpacityChange: (opacity: number) => void;
  /** Filled areas or contours (key O). */
  style: MaskStyle;
  onStyleChange: (style: MaskStyle) => void;
  /** Frames (0-based) the file labels cover; jump buttons appear when they cover only some (ACDC: ED and ES). */
  labelledFrames: number[] | undefined;
  frameCount: number;
  onGoToFrame: (frame: number) => void;
}

export const MaskControls = memo(function MaskControls({
  sources,
  active,
  onSelect,
  visible,
  onVisibleChange,
  opacity,
  onOpacityChange,
  style,
  onStyleChange,
  labelledFrames,
  frameCount,
  onGoToFrame,
}: MaskControlsProps) {
  const showFrameJumps =
    active?.kind === 'file' && labelledFrames && labelledFrames.length > 0 && labelledFrames.length < frameCount;
  return (
    <section className="panel" data-testid="mask-controls" aria-labelledby="mask-title">
      <h2 id="mask-title">Masks</h2>
      {sources.length === 0 ? (
        <p className="muted">No mask for this series yet.</p>
      ) : (
        <>
          {sources.length > 1 && (
            <label className="field">
              <span>Source</span>
              <select value={active?.id} onChange={(e) => onSelect(e.currentTarget.value)} data-testid="mask-source">
                {sources.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.title}
                  </option>
                ))}
              </select>
            </label>
          )}
          {sources.length === 1 && active && <p className="muted">{active.title}</p>}
          {showFrameJumps && (
            <div className="field">
              <span>Labelled frames</span>
              <div className="frame-jumps">
                {labelledFrames.map((f) => (
                  <button
                    key={f}
                    type="button"
                    className="button button--small"
                    onClick={() => onGoToFrame(f)}
                    data-testid="labelled-frame"
                  >
                    {f + 1}
                  </button>
                ))}
              </div>
            </div>
          )}
          <label className="field field--inline">
            <input
              type="checkbox"
              checked={visible}
              onChange={(e) => onVisibleChange(e.currentTarget.checked)}
              data-testid="mask-toggle"
            />
            <span>Show masks</span>
          </label>
          <label className="field" title="Filled areas or each structure's contour (O)">
            <span>Display</span>
            <select
              value={style}
              onChange={(e) => onStyleChange(e.currentTarget.value as MaskStyle)}
              data-testid="mask-style"
            >
              <option value="filled">Filled</option>
              <option value="outline">Outline</option>
            </select>
          </label>
          <label className="field">
            <span>Opacity {Math.round(opacity * 100)}%</span>
            <input
              type="range"
              min={0}
              max={100}
              value={Math.round(opacity * 100)}
              onChange={(e) => onOpacityChange(Number(e.currentTarget.value) / 100)}
              data-testid="mask-opacity"
            />
          </label>
        </>
      )}
      <ul className="legend" data-testid="mask-legend" aria-label="Mask colours">
        {LEGEND.map((entry) => (
          <li key={entry.label}>
            <span className="swatch" style={{ background: cssColor(entry.color) }} aria-hidden="true" />
            {entry.name}
          </li>
        ))}
      </ul>
    </section>
  );
});

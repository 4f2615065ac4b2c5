import { memo } from 'react';
import type { VolumeDims } from '@/core/volume';
import type { Cine } from './useCine';

export interface CineControlsProps {
  cine: Cine;
  dims: VolumeDims;
}

/** Slice slider, frame scrubber and play/pause, under the viewport. Keys: see useCineKeys. */
export const CineControls = memo(function CineControls({ cine, dims }: CineControlsProps) {
  const fps = 1000 / cine.intervalMs;
  return (
    <div className="cine-controls">
      <button
        type="button"
        className="button play-button"
        onClick={cine.togglePlay}
        aria-pressed={cine.playing}
        data-testid="play-toggle"
        disabled={dims.frames < 2}
        title="Play/pause (Space)"
      >
        {cine.playing ? 'Pause' : 'Play'}
      </button>
      <label className="slider">
        <span className="slider-label">
          Frame <output data-testid="frame-value">{cine.frame + 1}</output>/{dims.frames}
        </span>
        <input
          type="range"
          min={0}
          max={Math.max(0, dims.frames - 1)}
          value={cine.frame}
          onChange={(e) => cine.setFrame(Number(e.currentTarget.value))}
          data-testid="frame-slider"
          aria-label="Frame"
          title="Frame (← →)"
        />
      </label>
      <label className="slider">
        <span className="slider-label">
          Slice <output data-testid="slice-value">{cine.slice + 1}</output>/{dims.slices}
        </span>
        <input
          type="range"
          min={0}
          max={Math.max(0, dims.slices - 1)}
          value={cine.slice}
          onChange={(e) => cine.setSlice(Number(e.currentTarget.value))}
          data-testid="slice-slider"
          aria-label="Slice"
          title="Slice (↑ ↓)"
        />
      </label>
      <span className="muted fps">{fps.toFixed(0)} fps</span>
    </div>
  );
});

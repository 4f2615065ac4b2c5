import { useState } from 'react';
import type { FrameVolumes } from '@/core/cardiac/volumes';
import { Label } from '@/core/labels';
import { cssColor, LABEL_COLORS } from '@/ui/masks/labelColors';
import { curveLayout, frameTicks } from './curveGeometry';

export interface VolumeCurveProps {
  frameVolumes: readonly (FrameVolumes | null)[];
  edFrame: number | undefined;
  esFrame: number | undefined;
  /** Frame on screen (cursor). */
  frame: number;
  /** Jumps the viewer to a frame; without it the curve is not clickable. */
  onGoToFrame?: (frame: number) => void;
}

const WIDTH = 236;
const HEIGHT = 130;
const LV = cssColor(LABEL_COLORS[Label.LVCavity]);
const RV = cssColor(LABEL_COLORS[Label.RVCavity]);

/** LV and RV cavity volume per frame (ml), ED/ES markers and the current frame; gaps where no mask yet. */
export function VolumeCurve({ frameVolumes, edFrame, esFrame, frame, onGoToFrame }: VolumeCurveProps) {
  const c = curveLayout(frameVolumes, WIDTH, HEIGHT);
  const { plot } = c;
  const [hover, setHover] = useState<number | undefined>(undefined);
  const readout = (f: number): string => {
    const v = frameVolumes[f];
    return (
      `frame ${f + 1}` +
      (v ? `: LV ${v.lvCavityMl.toFixed(1)} ml, RV ${v.rvCavityMl.toFixed(1)} ml` : ': not segmented')
    );
  };
  const marker = (f: number | undefined, text: string) =>
    f === undefined || c.frameX[f] === undefined ? null : (
      <g className={`curve-marker curve-marker--${text.toLowerCase()}`} data-testid={`curve-${text.toLowerCase()}`}>
        <line x1={c.frameX[f]} x2={c.frameX[f]} y1={plot.top} y2={plot.bottom} />
        <text x={c.frameX[f]} y={plot.top + 8} textAnchor="middle">
          {text}
        </text>
      </g>
    );
  const ready = frameVolumes.filter(Boolean).length;
  const label =
    `Volume-time curve: LV and RV cavity volume per frame, ${ready} of ${frameVolumes.length} frames segmented` +
    (edFrame !== undefined ? `, ED frame ${edFrame + 1}` : '') +
    (esFrame !== undefined ? `, ES frame ${esFrame + 1}` : '');
  return (
    <figure className="curve">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        role="img"
        aria-label={label}
        data-testid="volume-curve"
        data-points={c.lv.points.length}
      >
        {c.yTicksMl.map((t) => (
          <g key={t} className="curve-tick">
            <line x1={plot.left} x2={plot.right} y1={c.yOfMl(t)} y2={c.yOfMl(t)} />
            <text x={plot.left - 4} y={c.yOfMl(t) + 3} textAnchor="end">
              {t}
            </text>
          </g>
        ))}
        {frameTicks(frameVolumes.length).map((f) => (
          <g key={f} className="curve-tick curve-tick--x" data-testid="curve-x-tick">
            <line x1={c.frameX[f]} x2={c.frameX[f]} y1={plot.bottom} y2={plot.bottom + 3} />
            <text x={c.frameX[f]} y={plot.bottom + 10} textAnchor="middle">
              {f + 1}
            </text>
          </g>
        ))}
        <text className="curve-axis" x={(plot.left + plot.right) / 2} y={HEIGHT - 1} textAnchor="middle">
          frame
        </text>
        {c.frameX[frame] !== undefined && (
          <line className="curve-cursor" x1={c.frameX[frame]} x2={c.frameX[frame]} y1={plot.top} y2={plot.bottom} />
        )}
        {marker(edFrame, 'ED')}
        {marker(esFrame, 'ES')}
        <path d={c.rv.path} fill="none" stroke={RV} strokeWidth={1.5} />
        <path d={c.lv.path} fill="none" stroke={LV} strokeWidth={1.5} />
        {c.rv.points.map((p) => (
          <circle key={`rv${p.frame}`} cx={p.x} cy={p.y} r={1.8} fill={RV} />
        ))}
        {c.lv.points.map((p) => (
          <circle key={`lv${p.frame}`} cx={p.x} cy={p.y} r={1.8} fill={LV} />
        ))}
        {c.frameX.map((x, f) => (
          <rect
            key={f}
            className={`curve-band${onGoToFrame ? ' curve-band--clickable' : ''}`}
            x={x - c.bandWidth / 2}
            y={plot.top}
            width={c.bandWidth}
            height={plot.bottom - plot.top}
            onClick={onGoToFrame ? () => onGoToFrame(f) : undefined}
            onMouseEnter={() => setHover(f)}
            onMouseLeave={() => setHover((h) => (h === f ? undefined : h))}
            data-testid={`curve-frame-${f + 1}`}
          >
            <title>{readout(f)}</title>
          </rect>
        ))}
      </svg>
      <p className="curve-readout" data-testid="curve-readout" aria-live="polite">
        {hover === undefined ? 'Point at the curve for a frame’s volumes.' : readout(hover)}
      </p>
      <figcaption className="curve-legend">
        <span style={{ color: LV }}>━ LV</span> <span style={{ color: RV }}>━ RV</span>{' '}
        <span className="muted">cavity volume, ml</span>
      </figcaption>
    </figure>
  );
}

/** The quality flags of the masks on screen; each flag jumps to its slice and frame. */
import './quality.css';
import type { QualityState } from './useQualityFlags';

interface Props {
  quality: QualityState;
  onGoTo: (slice: number, frame: number) => void;
  /** The slice to show for a whole-frame flag (the one on screen). */
  currentSlice: number;
}

export function QualityFlags({ quality, onGoTo, currentSlice }: Props) {
  if (quality.status === 'none') return null;
  return (
    <section className="panel quality" aria-label="Quality checks" data-testid="quality-flags">
      <h2>Quality checks</h2>
      {quality.status === 'pending' && <p className="muted">Checked when every frame has masks.</p>}
      {quality.status === 'ready' && quality.flags.length === 0 && <p className="muted" data-testid="quality-none">No problems found in these masks.</p>}
      {quality.status === 'ready' && quality.flags.length > 0 && (
        <>
          <p className="quality__count" role="status">
            {quality.flags.length} {quality.flags.length === 1 ? 'thing' : 'things'} to check
          </p>
          <ul className="quality__list">
            {quality.flags.map((f, i) => (
              <li key={`${f.code}-${f.frame}-${f.slice ?? 'x'}-${i}`}>
                <button
                  type="button"
                  className="quality__flag"
                  data-code={f.code}
                  title="Go to this slice and frame"
                  onClick={() => onGoTo(f.slice ?? currentSlice, f.frame)}
                >
                  {f.message}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

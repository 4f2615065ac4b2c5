import type { SeriesCandidate } from '@/io/types';

export interface SeriesChooserProps {
  candidates: SeriesCandidate[];
  onChoose: (seriesInstanceUid: string) => void;
  onCancel: () => void;
}

/** Shown when the dropped files hold several DICOM series: the user picks one. */
export function SeriesChooser({ candidates, onChoose, onCancel }: SeriesChooserProps) {
  return (
    <section className="panel series-chooser" data-testid="series-chooser" aria-labelledby="series-chooser-title">
      <h2 id="series-chooser-title">Several series found: choose one</h2>
      <ul>
        {candidates.map((c) => (
          <li key={c.seriesInstanceUid}>
            <button
              type="button"
              className="candidate"
              data-testid="series-candidate"
              onClick={() => onChoose(c.seriesInstanceUid)}
            >
              <span className="candidate-title">
                {c.seriesNumber !== undefined ? `Series ${c.seriesNumber}: ` : ''}
                {c.description || 'Unnamed series'}
              </span>
              {(c.patientId || c.patientName || c.date) && (
                <span className="candidate-who" data-testid="candidate-who">
                  {[c.patientId, c.patientName, c.date].filter(Boolean).join(' · ')}
                </span>
              )}
              <span className="candidate-summary">
                {c.summary} · {c.fileCount} files
              </span>
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="button button--small" onClick={onCancel}>
        Cancel
      </button>
    </section>
  );
}

import type { LoadProblem } from '@/ui/loader/useSeriesLoader';

export interface ErrorBannerProps {
  error: LoadProblem;
  keptSeriesName: string | undefined;
  onDismiss: () => void;
}

export function ErrorBanner({ error, keptSeriesName, onDismiss }: ErrorBannerProps) {
  // The io layer names the file in its messages; add it when a message came without it.
  const message = error.file && !error.message.includes(error.file) ? `${error.file}: ${error.message}` : error.message;
  return (
    <div className="error-banner" role="alert" data-testid="error">
      <p className="error-title">Could not load</p>
      <p className="error-message">{message}</p>
      {keptSeriesName && <p className="error-kept">Still showing {keptSeriesName}.</p>}
      <button type="button" className="button button--small" onClick={onDismiss} aria-label="Dismiss error">
        Dismiss
      </button>
    </div>
  );
}

/** The app title and, with a series on screen, who and what it is (`identity`), always in view. */
export function Header({ identity }: { identity?: string | undefined }) {
  return (
    <header className="app-header">
      <h1>
        cineseg <span className="app-subtitle">cardiac cine MRI segmentation</span>
      </h1>
      {identity && (
        <p className="header-identity" data-testid="header-identity" title={identity}>
          {identity}
        </p>
      )}
      <p className="privacy-note" data-testid="privacy-note">
        <span aria-hidden="true">●</span> Runs locally, nothing is uploaded
      </p>
    </header>
  );
}

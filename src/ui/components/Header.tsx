export function Header() {
  return (
    <header className="app-header">
      <h1>
        cineseg <span className="app-subtitle">cardiac cine MRI segmentation</span>
      </h1>
      <p className="privacy-note" data-testid="privacy-note">
        <span aria-hidden="true">●</span> Runs locally, nothing is uploaded
      </p>
    </header>
  );
}

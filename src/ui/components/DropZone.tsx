import { memo, useEffect, useRef, type ChangeEvent } from 'react';
import { collectInputFiles } from '@/ui/loader/collectFiles';
import type { PickedFile } from '@/ui/loader/loadProtocol';

export interface DropZoneProps {
  dragActive: boolean;
  busy: boolean;
  onFiles: (files: PickedFile[]) => void;
  onLoadSample: () => void;
  /** With a series on screen: one row of buttons, so the panels below stay above the fold. */
  compact?: boolean;
}

/**
 * The visible drop target and the two pickers (files, folder). The drop itself is handled on the whole app so a
 * miss by a few pixels still works.
 */
export const DropZone = memo(function DropZone({
  dragActive,
  busy,
  onFiles,
  onLoadSample,
  compact = false,
}: DropZoneProps) {
  const folderInputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // Not in React's typings: lets the input pick a whole folder (DICOM series folder).
    if (folderInputRef.current) folderInputRef.current.webkitdirectory = true;
  }, []);

  const onChange = (e: ChangeEvent<HTMLInputElement>): void => {
    const files = collectInputFiles(e.currentTarget.files);
    e.currentTarget.value = '';
    if (files.length > 0) onFiles(files);
  };

  return (
    <section
      className={`drop-zone${dragActive ? ' drop-zone--active' : ''}${compact ? ' drop-zone--compact' : ''}`}
      aria-label="Open images"
      data-testid="drop-zone"
    >
      <p className="drop-zone-title">
        {compact ? 'Drop files or a folder to open another series' : 'Drop cine MRI files or a folder here'}
      </p>
      {!compact && <p className="drop-zone-hint">NIfTI (.nii, .nii.gz) or a DICOM series</p>}
      <div className="drop-zone-buttons">
        <label className="button">
          Open files…
          <input
            type="file"
            multiple
            className="visually-hidden"
            data-testid="file-input"
            aria-label="Choose image files"
            onChange={onChange}
          />
        </label>
        <label className="button">
          Open folder…
          <input
            ref={folderInputRef}
            type="file"
            multiple
            className="visually-hidden"
            data-testid="folder-input"
            aria-label="Choose a folder"
            onChange={onChange}
          />
        </label>
      </div>
      <button
        type="button"
        className="button button--primary"
        data-testid="load-sample"
        onClick={onLoadSample}
        disabled={busy}
      >
        Load sample
      </button>
    </section>
  );
});

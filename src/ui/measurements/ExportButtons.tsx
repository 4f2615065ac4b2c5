import { useState } from 'react';
import type { Volume } from '@/core/volume';
import { exportBaseName, maskExportFiles, type ExportFile } from '@/io/maskExport';
import type { MaskSource } from '@/ui/masks/maskSource';
import { saveFile } from './download';

export interface ExportButtonsProps {
  volume: Volume;
  /** Active mask; without one both buttons are disabled. */
  mask: MaskSource | undefined;
  /** Builds the CSV on click (from the measures as shown). */
  makeCsv: (baseName: string) => ExportFile;
  /** Frames not segmented yet (their labels export as 0). */
  missingFrames: number;
  /** False while masks are still arriving: exporting then asks first (the values are provisional). */
  complete?: boolean;
}

const NO_MASK = 'No mask yet: drop label files with the series or run the model.';

/** CSV report and mask (NIfTI + DICOM index) downloads of the active mask source. */
export function ExportButtons({ volume, mask, makeCsv, missingFrames, complete = true }: ExportButtonsProps) {
  const [error, setError] = useState<string | undefined>(undefined);
  const [pending, setPending] = useState<{ what: string; run: () => void } | undefined>(undefined);
  const base = exportBaseName(volume);
  const dicom = volume.meta.source === 'dicom';
  const run = (fn: () => void) => {
    try {
      setError(undefined);
      fn();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  // An early export is allowed (a researcher may want the partial table) but never silent.
  const guarded = (what: string, fn: () => void) => {
    if (complete) run(fn);
    else setPending({ what, run: fn });
  };
  const masksTitle = !mask
    ? NO_MASK
    : `${base}_labels.nii.gz (0 background, 1 RV cavity, 2 LV myocardium, 3 LV cavity) on the image grid` +
      (dicom ? ` + ${base}_labels.index.json (DICOM InstanceNumber and SOPInstanceUID per slice and frame)` : '') +
      (missingFrames > 0 ? `; ${missingFrames} frame(s) not segmented are 0` : '');
  const total = volume.dims.frames;
  return (
    <div className="exports">
      <button
        type="button"
        className="button button--small"
        disabled={!mask}
        title={mask ? `${base}_function.csv: volumes per frame and the summary` : NO_MASK}
        onClick={() => guarded('CSV', () => saveFile(makeCsv(base)))}
        data-testid="export-csv"
      >
        Export CSV
      </button>
      <button
        type="button"
        className="button button--small"
        disabled={!mask}
        title={masksTitle}
        onClick={() => mask && guarded('masks', () => maskExportFiles(mask.labels, volume, base).forEach(saveFile))}
        data-testid="export-masks"
      >
        Export masks{dicom ? ' (+ index)' : ''}
      </button>
      {pending && (
        <div className="export-warning" role="alert" data-testid="export-warning">
          <p>
            Only {total - missingFrames} of {total} frames are segmented: the{' '}
            {pending.what === 'CSV' ? 'values are' : 'masks are'} provisional
            {pending.what === 'CSV' ? ' (the CSV says so)' : `; ${missingFrames} frame(s) export as empty`}.
          </p>
          <div className="export-warning-buttons">
            <button
              type="button"
              className="button button--small"
              data-testid="export-anyway"
              onClick={() => {
                const p = pending;
                setPending(undefined);
                run(p.run);
              }}
            >
              Export anyway
            </button>
            <button type="button" className="button button--small" onClick={() => setPending(undefined)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="export-error" role="alert">
          Export failed: {error}
        </p>
      )}
    </div>
  );
}

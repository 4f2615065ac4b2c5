/**
 * Who and what a study is, for its row in the cohort CSV, from what the loader put in the volume's meta:
 * for DICOM the patient id and name, study date, series UID, number and description; for NIfTI the file
 * name (and a patient id where the source gives one).
 */
import type { Volume } from '@/core/volume';

export interface StudyIdentity {
  source: Volume['meta']['source'];
  /** NIfTI: the file name (or the name of the frame set). */
  fileName?: string;
  patientId?: string;
  patientName?: string;
  /** YYYY-MM-DD */
  studyDate?: string;
  seriesInstanceUid?: string;
  seriesNumber?: number;
  seriesDescription?: string;
}

/** The identity of the series `volume`. */
export function studyIdentity(volume: Volume): StudyIdentity {
  const m = volume.meta;
  return {
    source: m.source,
    ...(m.source !== 'dicom' ? { fileName: m.name } : {}),
    ...(m.patientId ? { patientId: m.patientId } : {}),
    ...(m.patientName ? { patientName: m.patientName } : {}),
    ...(m.date ? { studyDate: m.date } : {}),
    ...(m.seriesInstanceUid ? { seriesInstanceUid: m.seriesInstanceUid } : {}),
    ...(m.seriesNumber !== undefined ? { seriesNumber: m.seriesNumber } : {}),
    ...(m.seriesDescription ? { seriesDescription: m.seriesDescription } : {}),
  };
}

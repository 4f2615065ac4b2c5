/**
 * Test code only: a small generated cohort on disk for the cohort and Snakemake tests. Three studies
 * that segment (a phantom as .nii.gz, another as .nii, a DICOM series with patient identity) and one bad
 * study (a truncated .nii.gz). Small phantoms so that the fast student model takes well under a second.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makePhantom } from '@/core/phantom';
import { parseCsv } from '@/io/csv';
import { writeNifti } from '@/io/niftiWrite';
import { volumePixels, writeDicomCine } from '@/io/testing/writeDicom';

/** `name` as DICOM's PN stores it, `shownName` as the loader gives it (and the cohort CSV writes it). */
export const FIXTURE_PATIENT = {
  id: 'CS-0042',
  name: 'Doe^Jane',
  shownName: 'Jane Doe',
  studyDate: '20240131',
} as const;

/** Study ids in cohort order; the last is the bad one. */
export const FIXTURE_IDS = ['p1', 'p2', 'sa_dicom', 'truncated'] as const;

const small = (seed: number): ReturnType<typeof makePhantom> =>
  makePhantom({ cols: 48, rows: 48, pixelMm: 3, slices: 2, frames: 2, frameMs: 400, seed });

/** Writes the cohort's studies into `folder` (created); returns their paths by id. */
export function writeFixtureCohort(folder: string): Record<(typeof FIXTURE_IDS)[number], string> {
  mkdirSync(folder, { recursive: true });
  const p1 = path.join(folder, 'p1.nii.gz');
  writeFileSync(p1, writeNifti(small(5).volume, { datatype: 'int16' }));
  const p2 = path.join(folder, 'p2.nii');
  writeFileSync(p2, writeNifti(small(6).volume));

  const dicomDir = path.join(folder, 'sa_dicom');
  mkdirSync(dicomDir, { recursive: true });
  for (const image of writeDicomCine({
    slices: 2,
    frames: 2,
    frameMs: 400,
    pixels: volumePixels(small(7).volume),
    common: {
      rows: 48,
      cols: 48,
      seriesInstanceUid: '1.2.826.0.1.77',
      seriesDescription: 'SA cine',
      studyDate: FIXTURE_PATIENT.studyDate,
      patientId: FIXTURE_PATIENT.id,
      patientName: FIXTURE_PATIENT.name,
      seriesNumber: 4,
      pixelSpacing: [3, 3],
    },
  }))
    writeFileSync(path.join(dicomDir, `IM${image.instanceNumber}`), image.bytes);
  // A download cut short: a valid gzip header, the data ending early.
  const truncated = path.join(folder, 'truncated.nii.gz');
  writeFileSync(truncated, readFileSync(p1).subarray(0, 300));
  return { p1, p2, sa_dicom: dicomDir, truncated };
}

/** The cohort CSV as one record per row, keyed by column name. */
export function readCohortCsv(file: string): Record<string, string>[] {
  const [header = [], ...rows] = parseCsv(readFileSync(file, 'utf8'));
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

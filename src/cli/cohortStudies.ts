/**
 * The studies of a cohort: every entry of a folder (a study folder: DICOM or NIfTI frames; or a NIfTI
 * file), or the paths of a list file, one per line. Each gets an id (its folder or file name) that names
 * its output folder and its row in the cohort CSV.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isLabelFileName } from '@/io/index';
import { UsageError } from './errors';

export interface CohortStudy {
  /** File-name-safe id: the folder name, or the file name without .nii / .nii.gz. */
  id: string;
  /** Absolute path of the study's folder or file. */
  path: string;
  /** The path as the folder or list file gives it (relative to it), for the cohort CSV. */
  input: string;
}

/** `patient001_4d.nii.gz` -> `patient001_4d`; characters other than letters, digits, `.`, `_` and `-` -> `_`. */
export function studyId(entryName: string): string {
  const stem = entryName.replace(/\.nii(\.gz)?$/i, '');
  const safe = stem.replace(/[^A-Za-z0-9._-]/g, '_');
  return safe === '' || /^\.+$/.test(safe) ? '_' : safe;
}

function fromFolder(folder: string, skip: string | undefined): CohortStudy[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && !(e.isFile() && isLabelFileName(e.name)))
    .filter((e) => e.isDirectory() || e.isFile())
    .map((e) => ({ id: studyId(e.name), path: path.join(folder, e.name), input: e.name }))
    .filter((s) => skip === undefined || path.resolve(s.path) !== skip)
    .sort((a, b) => a.id.localeCompare(b.id));
}

function fromList(listFile: string): CohortStudy[] {
  const base = path.dirname(listFile);
  return readFileSync(listFile, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const full = path.resolve(base, line);
      return { id: studyId(path.basename(full)), path: full, input: line };
    });
}

/**
 * The studies of `cohort` (a folder or a list file), in a stable order (folder: by id; list: as listed).
 * `outDir` is left out when it lies inside the folder.
 * @throws UsageError when the cohort is missing or empty, or two studies would share an id.
 */
export function listCohortStudies(cohort: string, outDir?: string): CohortStudy[] {
  if (!existsSync(cohort)) throw new UsageError(`--cohort ${cohort} does not exist`);
  const isFolder = statSync(cohort).isDirectory();
  if (!isFolder && /\.nii(\.gz)?$/i.test(cohort)) {
    throw new UsageError(
      `--cohort takes a folder of studies or a list file; for one study leave out --cohort: ${cohort}`,
    );
  }
  const studies = isFolder
    ? fromFolder(cohort, outDir === undefined ? undefined : path.resolve(outDir))
    : fromList(cohort);
  if (studies.length === 0) throw new UsageError(`--cohort ${cohort} lists no studies`);
  const seen = new Map<string, CohortStudy>();
  for (const s of studies) {
    const other = seen.get(s.id);
    if (other) throw new UsageError(`studies ${other.input} and ${s.input} would both be called "${s.id}"; rename one`);
    seen.set(s.id, s);
  }
  return studies.map((s) => ({ ...s, path: path.resolve(s.path) }));
}

/**
 * The io layer's public API: bytes of dropped files -> a `LoadedSeries` (or a choice of DICOM series),
 * and label maps -> NIfTI bytes for download. Everything here is synchronous and DOM-free, so the
 * app can run it in a Web Worker and tests and CLIs in Node.
 */
import { intensityStats } from '@/core/preprocess';
import { LoadError } from './errors';
import { loadDicomFiles } from './loadDicom';
import { attachDicomLabels, isMaskIndexFileName, parseMaskIndex } from './labelImport';
import { loadNiftiSeries } from './niftiSeries';
import { isInfoCfgName, parseInfoCfg, type InfoCfg } from './infoCfg';
import { describeOtherFile, sniffFile } from './sniff';
import type { InputFile, LoadedSeries, LoadOutcome } from './types';

export { LoadError } from './errors';
export type { InputFile, LoadedSeries, LoadOutcome, SeriesCandidate } from './types';
export { readNifti, isLabelFileName, type NiftiImage, type NiftiDatatypeName } from './nifti';
export { writeNifti, writeNiftiLabels, type WriteNiftiOptions } from './niftiWrite';
export { sniffFile, type FileKind } from './sniff';

export interface LoadOptions {
  /** Which DICOM series to build when the files hold several (from a `choose` outcome). */
  seriesInstanceUid?: string;
}

/**
 * Loads one series from dropped files: NIfTI (`.nii`, `.nii.gz`, ACDC `_frameNN` sets and `_gt`
 * labels) or DICOM (one or more series; non-DICOM files among DICOMs are skipped with a warning).
 * Synchronous: decoding a 240-image series takes well under a second.
 * @returns `{kind: 'series'}`, or `{kind: 'choose', candidates}` when several DICOM series were dropped
 *   and `opts.seriesInstanceUid` names none; call again with the user's choice.
 * @throws LoadError with a message naming the file for anything the user must fix.
 */
export function loadFiles(files: InputFile[], opts: LoadOptions = {}): LoadOutcome {
  if (files.length === 0) throw new LoadError('No files were given.');
  const nifti: InputFile[] = [];
  const dicom: InputFile[] = [];
  const other: InputFile[] = [];
  for (const f of files) {
    const kind = sniffFile(f);
    (kind === 'nifti' ? nifti : kind === 'dicom' ? dicom : other).push(f);
  }
  // Masks saved by cineseg dropped with their DICOM series: one labels NIfTI (+ its .index.json) on that series.
  const indexFiles = dicom.length > 0 && nifti.length === 1 ? other.filter((f) => isMaskIndexFileName(f.name)) : [];
  const rest = other.filter((f) => !indexFiles.includes(f));
  if (nifti.length > 1 && dicom.length > 0) {
    throw new LoadError(
      `NIfTI files (${nifti[0]?.name}, ${nifti[1]?.name}) and DICOM files (${dicom[0]?.name}) were dropped together; ` +
        'drop one series in one format at a time, or a DICOM series with one labels NIfTI saved for it.',
    );
  }
  if (dicom.length > 0) {
    const warnings =
      rest.length > 0
        ? [
            `${rest.length} file${rest.length === 1 ? ' was' : 's were'} not DICOM and skipped (${rest
              .slice(0, 3)
              .map((f) => f.name)
              .join(', ')}${rest.length > 3 ? ', …' : ''}).`,
          ]
        : [];
    const labelFile = nifti[0];
    const indexFile = indexFiles[0];
    const index = indexFile && labelFile ? { name: indexFile.name, index: parseMaskIndex(indexFile) } : undefined;
    let outcome = loadDicomFiles(dicom, opts.seriesInstanceUid, warnings);
    // The index names its series: a drop of several series with their masks needs no choice.
    const named = index?.index.seriesInstanceUid;
    if (outcome.kind === 'choose' && named && outcome.candidates.some((c) => c.seriesInstanceUid === named)) {
      outcome = loadDicomFiles(dicom, named, warnings);
    }
    if (outcome.kind === 'series' && labelFile) {
      return withIntensity({ kind: 'series', series: attachDicomLabels(outcome.series, labelFile, index) });
    }
    return withIntensity(outcome);
  }
  const stray = other[0];
  if (stray && nifti.length === 0) {
    throw new LoadError(`${stray.name} is not a NIfTI or DICOM file (${describeOtherFile(stray)}).`, stray.name);
  }
  return withIntensity({ kind: 'series', series: loadNiftiDrop(nifti, other) });
}

/**
 * NIfTI images with whatever came with them: ACDC's Info.cfg gives the body size; any other file is skipped with a
 * note (as in a DICOM folder), never the reason to refuse the images.
 */
function loadNiftiDrop(nifti: InputFile[], other: InputFile[]): LoadedSeries {
  const warnings: string[] = [];
  let body: InfoCfg | undefined;
  const skipped: string[] = [];
  for (const f of other) {
    const cfg = isInfoCfgName(f.name) ? parseInfoCfg(new TextDecoder().decode(f.bytes)) : undefined;
    if (cfg && !body) body = cfg;
    else skipped.push(`${f.name} (${describeOtherFile(f)})`);
  }
  if (skipped.length > 0) {
    const n = skipped.length;
    warnings.push(
      `${n} file${n === 1 ? ' was' : 's were'} not NIfTI and ${n === 1 ? 'was' : 'were'} skipped: ` +
        `${skipped.slice(0, 3).join(', ')}${n > 3 ? ', …' : ''}.`,
    );
  }
  const series = loadNiftiSeries(nifti, warnings);
  if (body) {
    const { meta } = series.volume;
    if (body.heightCm !== undefined) meta.heightCm = body.heightCm;
    if (body.weightKg !== undefined) meta.weightKg = body.weightKg;
  }
  return { ...series, sourceFileCount: (series.sourceFileCount ?? nifti.length) + (body ? 1 : 0) };
}

/** Intensity statistics once, where the loading happens (a worker in the app), for the viewer and the model. */
function withIntensity(outcome: LoadOutcome): LoadOutcome {
  if (outcome.kind === 'series') outcome.series.volume.intensity = intensityStats(outcome.series.volume.data);
  return outcome;
}

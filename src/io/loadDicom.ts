/** Dropped DICOM files -> one series (or the list of series to choose from). */
import { parseDicomFile, type DicomImage } from './dicom';
import { assembleDicomSeries, describeSeries, groupBySeries } from './dicomSeries';
import { LoadError } from './errors';
import type { InputFile, LoadOutcome } from './types';

/**
 * Parses DICOM files, skips what is not a DICOM image (with a warning), and builds the series.
 * @param warnings earlier remarks (e.g. skipped non-DICOM files); copied into the result.
 * @returns `choose` when several series are present and `seriesInstanceUid` picks none.
 * @throws LoadError when no file is a DICOM image or the chosen series cannot be built.
 */
export function loadDicomFiles(
  files: InputFile[],
  seriesInstanceUid: string | undefined,
  warnings: string[],
): LoadOutcome {
  const images: DicomImage[] = [];
  const notDicom: string[] = [];
  const notImages: string[] = [];
  for (const file of files) {
    const img = parseDicomFile(file);
    if (!img) notDicom.push(file.name);
    else if (!img.isImageObject) notImages.push(file.name);
    else images.push(img);
  }
  if (images.length === 0) {
    const first = notImages[0] ?? notDicom[0] ?? files[0]?.name ?? '';
    throw new LoadError(
      notImages.length > 0
        ? `${first} is a DICOM file without an image (e.g. a DICOMDIR or report); drop the image files of the series.`
        : `${first} is not a NIfTI or DICOM file.`,
      first,
    );
  }
  const out = [...warnings];
  if (notDicom.length > 0) out.push(skipped(notDicom, 'not DICOM'));
  if (notImages.length > 0) out.push(skipped(notImages, 'DICOM files without an image (e.g. DICOMDIR)'));

  let groups = groupBySeries(images);
  const withPixels = groups.filter((g) => g.images.some((i) => i.hasPixelData));
  if (withPixels.length > 0 && withPixels.length < groups.length) {
    const dropped = groups.filter((g) => !withPixels.includes(g)).flatMap((g) => g.images.map((i) => i.file.name));
    out.push(skipped(dropped, 'DICOM files without pixel data'));
    groups = withPixels;
  }
  let group = groups[0];
  if (seriesInstanceUid !== undefined) {
    group = groups.find((g) => g.seriesInstanceUid === seriesInstanceUid);
    if (!group) throw new LoadError(`The chosen series ${seriesInstanceUid} is not among the dropped files.`);
  } else if (groups.length > 1) {
    return { kind: 'choose', candidates: groups.map(describeSeries) };
  }
  if (!group) throw new LoadError('No DICOM images were found.');
  const volume = withSkippedNote(() => assembleDicomSeries(group, out), [...out]);
  return { kind: 'series', series: { volume, warnings: out, sourceFileCount: group.images.length } };
}

/**
 * A series that cannot be built because files were skipped (a damaged file that no longer looks like DICOM, say)
 * says so: the skipped files are the likely cause, and without this the message would not name them.
 */
function withSkippedNote<T>(build: () => T, skippedNotes: string[]): T {
  try {
    return build();
  } catch (e) {
    if (!(e instanceof LoadError) || skippedNotes.length === 0) throw e;
    throw new LoadError(`${e.message} ${skippedNotes.join(' ')}`, e.file);
  }
}

function skipped(names: string[], what: string): string {
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : '');
  const n = names.length;
  return `${n} file${n === 1 ? ' was' : 's were'} ${what} and ${n === 1 ? 'was' : 'were'} skipped (${shown}).`;
}

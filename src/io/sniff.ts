/** Tells NIfTI, DICOM and everything else apart by magic numbers first, file names second. */
import { hasDicomMagic, looksLikeRawDicom } from './dicom';
import { hasNiftiMagic, isGzip } from './nifti';
import type { InputFile } from './types';

export type FileKind = 'nifti' | 'dicom' | 'other';

/** The format a dropped file is in, from its bytes (and name for `.nii.gz`). */
export function sniffFile(file: InputFile): FileKind {
  const b = file.bytes;
  if (hasDicomMagic(b)) return 'dicom';
  if (hasNiftiMagic(b)) return 'nifti';
  if (/\.nii(\.gz)?$/i.test(file.name)) return 'nifti';
  if (isGzip(b) && /\.gz$/i.test(file.name)) return 'nifti';
  if (looksLikeRawDicom(b) && !/\.(txt|csv|json|xml|html?)$/i.test(file.name)) return 'dicom';
  return 'other';
}

/** What a file that is neither NIfTI nor DICOM looks like, for the error message. */
export function describeOtherFile(file: InputFile): string {
  const b = file.bytes;
  const starts = (...sig: number[]): boolean => sig.every((v, i) => b[i] === v);
  if (b.length === 0) return 'it is empty';
  if (starts(0xff, 0xd8, 0xff)) return 'it is a JPEG picture; cineseg needs the original DICOM or NIfTI images';
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'it is a PNG picture; cineseg needs the original DICOM or NIfTI images';
  if (starts(0x25, 0x50, 0x44, 0x46)) return 'it is a PDF document';
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'it is a ZIP archive; unzip it and drop the folder or files inside';
  if (isGzip(b)) return 'it is a gzip archive that is not a .nii.gz image';
  if (looksLikeText(b)) return 'it looks like a text file';
  return 'its format is not recognised';
}

function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 512);
  for (let i = 0; i < n; i++) {
    const c = b[i] ?? 0;
    if (c < 9 || (c > 13 && c < 32)) return false;
  }
  return true;
}

/**
 * Classic single-frame DICOM images -> one cine `Volume`: group by SeriesInstanceUID, sort images into
 * slices by their position along the slice normal and into frames by TriggerTime, check the grid is
 * complete, and convert the geometry from DICOM's LPS to NIfTI's RAS.
 */
import type { Volume } from '@/core/volume';
import { checkDecodable, decodeDicomPixels, type DicomImage } from './dicom';
import { LoadError } from './errors';
import { INPUT_LIMITS, spacingProblem, spacingRange } from './limits';
import type { SeriesCandidate } from './types';

/** All images of one DICOM series, in the order they were dropped. */
export interface DicomSeriesGroup {
  seriesInstanceUid: string;
  images: DicomImage[];
}

const NO_SERIES_UID = '(no SeriesInstanceUID)';

/** Groups images by SeriesInstanceUID, ordered by SeriesNumber then first appearance. */
export function groupBySeries(images: DicomImage[]): DicomSeriesGroup[] {
  const groups = new Map<string, DicomImage[]>();
  for (const img of images) {
    const uid = img.seriesInstanceUid ?? NO_SERIES_UID;
    const list = groups.get(uid);
    if (list) list.push(img);
    else groups.set(uid, [img]);
  }
  const out = [...groups].map(([seriesInstanceUid, imgs]) => ({ seriesInstanceUid, images: imgs }));
  const num = (g: DicomSeriesGroup): number => g.images[0]?.seriesNumber ?? Number.MAX_SAFE_INTEGER;
  return out.sort((a, b) => num(a) - num(b));
}

/** Tolerance for "same slice position", mm. */
export const SLICE_POSITION_TOL_MM = 0.01;
const ORIENTATION_TOL = 1e-3;

type Vec3 = [number, number, number];

interface SliceLayout {
  /** slices[s] = that slice's images in frame order. */
  slices: DicomImage[][];
  /** Position of each slice along the normal, mm. */
  positionsMm: number[];
  normal: Vec3;
  reference: DicomImage;
}

/** A short description of a series for the series picker. Never throws. */
export function describeSeries(group: DicomSeriesGroup): SeriesCandidate {
  const first = [...group.images].sort(compareInstance)[0];
  const description =
    first?.seriesDescription ??
    (first?.seriesNumber !== undefined ? `Series ${first.seriesNumber}` : group.seriesInstanceUid);
  const size = first ? `${first.cols}×${first.rows}` : '?';
  let summary = `${size}, ${group.images.length} images`;
  try {
    const layout = layoutSlices(dedupe(group.images, []));
    const frames = layout.slices[0]?.length ?? 0;
    if (layout.slices.every((s) => s.length === frames)) {
      summary = `${size}, ${layout.slices.length} slice${layout.slices.length === 1 ? '' : 's'}, ${frames} frame${frames === 1 ? '' : 's'}`;
    }
  } catch {
    // keep the image count
  }
  const id = first ? dicomIdentity(first) : {};
  const date = first ? (dicomDate(first.studyDate) ?? dicomDate(first.seriesDate)) : undefined;
  return {
    seriesInstanceUid: group.seriesInstanceUid,
    description: first?.modality ? `${description} (${first.modality})` : description,
    fileCount: group.images.length,
    summary,
    ...(first?.seriesNumber !== undefined ? { seriesNumber: first.seriesNumber } : {}),
    ...(id.patientId ? { patientId: id.patientId } : {}),
    ...(id.patientName ? { patientName: id.patientName } : {}),
    ...(date ? { date } : {}),
  };
}

/** PatientName (PN: `Family^Given^Middle^Prefix^Suffix`) as plain text, "Prefix Given Middle Family Suffix". */
export function formatPersonName(pn: string | undefined): string | undefined {
  // Only the first (alphabetic) representation; ideographic / phonetic ones follow '='.
  const parts = (pn ?? '')
    .split('=')[0]!
    .split('^')
    .map((p) => p.trim());
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = parts;
  const text = [prefix, given, middle, family, suffix].filter((p) => p !== '').join(' ');
  return text === '' ? undefined : text;
}

/** Who the series belongs to, from the tags dicom.ts leaves in the data set (read here so only series code needs them). */
function dicomIdentity(img: DicomImage): {
  patientId?: string;
  patientName?: string;
  patientSex?: 'M' | 'F' | 'O';
  heightCm?: number;
  weightKg?: number;
} {
  const text = (tag: string): string | undefined => {
    try {
      const v = img.dataSet.string(tag)?.trim();
      return v ? v : undefined;
    } catch {
      return undefined;
    }
  };
  const number = (tag: string): number | undefined => {
    const v = Number(text(tag));
    return Number.isFinite(v) && v > 0 ? v : undefined;
  };
  const sex = text('x00100040')?.toUpperCase();
  const sizeM = number('x00101020');
  const weightKg = number('x00101030');
  const patientId = text('x00100020');
  const patientName = formatPersonName(text('x00100010'));
  return {
    ...(patientId ? { patientId } : {}),
    ...(patientName ? { patientName } : {}),
    ...(sex === 'M' || sex === 'F' || sex === 'O' ? { patientSex: sex } : {}),
    // PatientSize is in metres; a value above 3 was written in cm by mistake.
    ...(sizeM !== undefined ? { heightCm: sizeM > 3 ? sizeM : sizeM * 100 } : {}),
    ...(weightKg !== undefined ? { weightKg } : {}),
  };
}

/**
 * Builds the cine volume of one series.
 * @param warnings receives non-fatal remarks (duplicates, uneven slice gaps, missing spacing).
 * @throws LoadError for a single image, undecodable pixels, mixed sizes or orientations, missing
 *   geometry, or slices with different numbers of frames.
 */
export function assembleDicomSeries(group: DicomSeriesGroup, warnings: string[]): Volume {
  const images = dedupe(group.images, warnings);
  for (const img of images) checkDecodable(img);
  if (images.length === 1) {
    const only = images[0] as DicomImage;
    throw new LoadError(
      `${only.file.name} is a single 2D image. A cine needs every image of the series (all slices at all time points); drop the whole series folder.`,
      only.file.name,
    );
  }
  const ref = images[0] as DicomImage;
  for (const img of images) {
    if (img.rows !== ref.rows || img.cols !== ref.cols) {
      throw new LoadError(
        `${img.file.name} is ${img.cols}×${img.rows} pixels but ${ref.file.name} is ${ref.cols}×${ref.rows}; one series must have one image size.`,
        img.file.name,
      );
    }
  }
  const layout = layoutSlices(images);
  const frames = checkFrameCounts(layout);
  // Series-level fields come from the lowest InstanceNumber, so they do not depend on drop order.
  const first = layout.reference;
  const nSlices = layout.slices.length;
  const cols = ref.cols;
  const rows = ref.rows;
  const plane = rows * cols;

  const data = new Float32Array(plane * nSlices * frames);
  const instanceNumbers: number[] = new Array<number>(nSlices * frames);
  const sopInstanceUids: string[] = new Array<string>(nSlices * frames);
  layout.slices.forEach((sliceImages, s) => {
    sliceImages.forEach((img, f) => {
      const idx = s + nSlices * f;
      decodeDicomPixels(img, data, idx * plane);
      instanceNumbers[idx] = img.instanceNumber ?? Number.NaN;
      sopInstanceUids[idx] = img.sopInstanceUid;
    });
  });

  const firstSlice = layout.slices[0] as DicomImage[];
  const sliceRef = firstSlice[0] as DicomImage;
  const spacing = inPlaneSpacing(sliceRef, warnings);
  const sliceSpacingMm = sliceSpacing(layout, sliceRef, warnings);
  const spacingMm = { col: spacing.col, row: spacing.row, slice: sliceSpacingMm };
  const affine = rasAffine(sliceRef, layout.normal, spacingMm);
  const heartRateBpm = meanHeartRate(images);
  const date = dicomDate(first.studyDate) ?? dicomDate(first.seriesDate);
  const name = first.seriesDescription ?? `DICOM series (${images.length} images)`;
  return {
    data,
    dims: { cols, rows, slices: nSlices, frames },
    spacingMm,
    affine,
    frameTimesMs: frameTimes(firstSlice, first, warnings),
    meta: {
      source: 'dicom',
      name,
      ...(first.seriesDescription ? { seriesDescription: first.seriesDescription } : {}),
      ...(date ? { date } : {}),
      ...(heartRateBpm ? { heartRateBpm } : {}),
      ...(first.sliceThicknessMm ? { sliceThicknessMm: first.sliceThicknessMm } : {}),
      ...dicomIdentity(first),
      ...(first.seriesNumber !== undefined ? { seriesNumber: first.seriesNumber } : {}),
      instanceNumbers,
      sopInstanceUids,
      seriesInstanceUid: group.seriesInstanceUid,
    },
  };
}

/**
 * Mean of the images' HeartRate (it is recorded per image and drifts during the scan), else
 * 60000 / mean NominalInterval (the R-R interval, ms).
 */
function meanHeartRate(images: DicomImage[]): number | undefined {
  const mean = (xs: number[]): number | undefined =>
    xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined;
  const hr = mean(images.map((i) => i.heartRateBpm ?? 0).filter((x) => x > 0));
  if (hr !== undefined) return hr;
  const rr = mean(images.map((i) => i.nominalIntervalMs ?? 0).filter((x) => x > 0));
  return rr !== undefined ? 60000 / rr : undefined;
}

/** Drops repeated copies of the same SOPInstanceUID (the same file dropped twice). */
function dedupe(images: DicomImage[], warnings: string[]): DicomImage[] {
  const seen = new Set<string>();
  const out: DicomImage[] = [];
  for (const img of images) {
    if (seen.has(img.sopInstanceUid)) continue;
    seen.add(img.sopInstanceUid);
    out.push(img);
  }
  if (out.length < images.length) {
    warnings.push(`${images.length - out.length} duplicate DICOM file(s) (same SOPInstanceUID) were ignored.`);
  }
  return out;
}

function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

function normalize(a: Vec3): Vec3 {
  const l = Math.hypot(...a) || 1;
  return [a[0] / l, a[1] / l, a[2] / l];
}

/** Sorts images into slices (by position along the normal) and frames (by TriggerTime). */
function layoutSlices(images: DicomImage[]): SliceLayout {
  const byInstance = [...images].sort(compareInstance);
  const reference = byInstance[0];
  if (!reference) throw new LoadError('The DICOM series is empty.');
  for (const img of images) {
    if (!img.orientation || !img.position) {
      throw new LoadError(
        `${img.file.name} has no ImagePositionPatient / ImageOrientationPatient, so its slices cannot be ordered; export the series with its geometry.`,
        img.file.name,
      );
    }
  }
  const o = reference.orientation as NonNullable<DicomImage['orientation']>;
  for (const img of images) {
    const oi = img.orientation as NonNullable<DicomImage['orientation']>;
    if (oi.some((v, i) => Math.abs(v - (o[i] ?? 0)) > ORIENTATION_TOL)) {
      throw new LoadError(
        `${img.file.name} has a different image orientation from ${reference.file.name}; the series mixes views (e.g. a localizer). ` +
          'Drop only the short-axis cine images.',
        img.file.name,
      );
    }
  }
  const normal = normalize(cross([o[0], o[1], o[2]], [o[3], o[4], o[5]]));
  const keyed = images.map((img) => ({ img, pos: dot(img.position as Vec3, normal) }));
  keyed.sort((a, b) => a.pos - b.pos);
  const slices: DicomImage[][] = [];
  const positionsMm: number[] = [];
  let start = Number.NEGATIVE_INFINITY;
  for (const k of keyed) {
    if (k.pos - start > SLICE_POSITION_TOL_MM) {
      start = k.pos;
      slices.push([]);
      positionsMm.push(k.pos);
    }
    (slices[slices.length - 1] as DicomImage[]).push(k.img);
  }
  for (const s of slices) s.sort(compareFrame);
  return { slices, positionsMm, normal, reference };
}

function compareInstance(a: DicomImage, b: DicomImage): number {
  const d = (a.instanceNumber ?? Infinity) - (b.instanceNumber ?? Infinity);
  return Number.isNaN(d) || d === 0 ? a.file.path.localeCompare(b.file.path, undefined, { numeric: true }) : d;
}

function compareFrame(a: DicomImage, b: DicomImage): number {
  const ta = a.triggerTimeMs;
  const tb = b.triggerTimeMs;
  if (ta !== undefined && tb !== undefined && ta !== tb) return ta - tb;
  return compareInstance(a, b);
}

/** Every slice must have the same number of frames; returns it. */
function checkFrameCounts(layout: SliceLayout): number {
  const counts = new Map<number, number>();
  for (const s of layout.slices) counts.set(s.length, (counts.get(s.length) ?? 0) + 1);
  let common = 0;
  let best = -1;
  for (const [len, n] of counts) {
    if (n > best || (n === best && len > common)) {
      best = n;
      common = len;
    }
  }
  const odd = layout.slices.findIndex((s) => s.length !== common);
  if (odd >= 0) {
    const pos = (layout.positionsMm[odd] ?? 0).toFixed(1);
    const oddImages = layout.slices[odd] ?? [];
    const count = oddImages.length;
    const names = oddImages.map((i) => i.file.name);
    const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : '');
    throw new LoadError(
      `The DICOM series is incomplete or mixed: the slice at ${pos} mm has ${count} frame${count === 1 ? '' : 's'}, ` +
        `others have ${common} (that slice: ${shown}). Drop every image of the series (or only one series).`,
      names[0],
    );
  }
  const L = INPUT_LIMITS;
  const voxels = layout.slices.length * common * layout.reference.rows * layout.reference.cols;
  if (layout.slices.length > L.maxSlices || common > L.maxFrames || voxels > L.maxVoxels) {
    throw new LoadError(
      `The DICOM series (first image ${layout.reference.file.name}) has ${layout.slices.length} slices × ${common} frames ` +
        `of ${layout.reference.cols}×${layout.reference.rows} pixels, more than cineseg reads ` +
        `(${L.maxSlices} slices, ${L.maxFrames} frames, ${L.maxVoxels} voxels in all).`,
      layout.reference.file.name,
    );
  }
  return common;
}

function inPlaneSpacing(img: DicomImage, warnings: string[]): { col: number; row: number } {
  const ps = img.pixelSpacing;
  if (!ps || !(ps[0] > 0) || !(ps[1] > 0)) {
    warnings.push(
      'The images do not state their pixel size (PixelSpacing); 1 mm was assumed, so volumes are not in ml.',
    );
    return { col: 1, row: 1 };
  }
  const problem = spacingProblem(ps[0], 'in-plane') ?? spacingProblem(ps[1], 'in-plane');
  if (problem !== undefined) {
    throw new LoadError(
      `${img.file.name} has an implausible PixelSpacing (${ps[0]}\\${ps[1]} mm); cineseg needs ${spacingRange('in-plane')}. ` +
        'The header may be damaged; export the series again.',
      img.file.name,
    );
  }
  // PixelSpacing = [spacing between rows, spacing between columns].
  return { row: ps[0], col: ps[1] };
}

function sliceSpacing(layout: SliceLayout, ref: DicomImage, warnings: string[]): number {
  const p = layout.positionsMm;
  if (p.length < 2) return ref.sliceThicknessMm && ref.sliceThicknessMm > 0 ? ref.sliceThicknessMm : 1;
  const gaps = p.slice(1).map((x, i) => x - (p[i] ?? 0));
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  if (gaps.some((g) => Math.abs(g - mean) > 0.1 * mean)) {
    warnings.push(
      `The slices are unevenly spaced (gaps from ${Math.min(...gaps).toFixed(1)} to ${Math.max(...gaps).toFixed(1)} mm); ` +
        `the mean ${mean.toFixed(2)} mm is used for volumes.`,
    );
  }
  if (spacingProblem(mean, 'slice') !== undefined) {
    throw new LoadError(
      `The slices of the DICOM series (first image ${ref.file.name}) are ${+mean.toPrecision(6)} mm apart on average; ` +
        `cineseg needs ${spacingRange('slice')} between slices. The positions (ImagePositionPatient) may be damaged, ` +
        'or the images are not one short-axis stack.',
      ref.file.name,
    );
  }
  return mean;
}

/**
 * Voxel (col i, row j, slice k) -> RAS mm, row-major 4x4: DICOM's
 * p = IPP + i·colSpacing·rowCosine + j·rowSpacing·colCosine + k·sliceSpacing·normal in LPS,
 * with x and y negated for RAS.
 */
function rasAffine(first: DicomImage, normal: Vec3, s: { col: number; row: number; slice: number }): number[] {
  const o = first.orientation as NonNullable<DicomImage['orientation']>;
  const p = first.position as Vec3;
  const m: number[] = [];
  for (let r = 0; r < 3; r++) {
    const sign = r < 2 ? -1 : 1;
    m.push(
      sign * (o[r] ?? 0) * s.col,
      sign * (o[3 + r] ?? 0) * s.row,
      sign * normal[r as 0 | 1 | 2] * s.slice,
      sign * p[r as 0 | 1 | 2],
    );
  }
  return [...m, 0, 0, 0, 1];
}

function frameTimes(firstSlice: DicomImage[], ref: DicomImage, warnings: string[]): number[] {
  const t = firstSlice.map((img) => img.triggerTimeMs);
  if (t.every((x): x is number => x !== undefined)) return t;
  const rr = ref.nominalIntervalMs;
  if (rr && rr > 0) {
    warnings.push('The images have no TriggerTime; frame times were spread evenly over the R-R interval.');
    return firstSlice.map((_, i) => (i * rr) / firstSlice.length);
  }
  warnings.push('The images have no TriggerTime; frame times are unknown.');
  return firstSlice.map(() => Number.NaN);
}

/** DICOM DA (YYYYMMDD, or the old YYYY.MM.DD) -> YYYY-MM-DD; undefined when incomplete (e.g. 20120000). */
export function dicomDate(da: string | undefined): string | undefined {
  const m = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec((da ?? '').trim());
  if (!m) return undefined;
  const [, y, mo, d] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return undefined;
  return `${y}-${mo}-${d}`;
}

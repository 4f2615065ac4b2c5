/**
 * M&Ms (Multi-Centre, Multi-Vendor & Multi-Disease Cardiac Segmentation challenge, Campello et al.,
 * IEEE TMI 2021): `<dir>/Training/Labeled/<code>/<code>_sa.nii.gz` (4D cine) + `<code>_sa_gt.nii.gz` (4D
 * labels, non-zero only at ED and ES), likewise under `Validation/` and `Testing/`, and a CSV whose name
 * contains `Dataset_information` (External code, VendorName, Vendor, Centre, ED, ES with 0-based frames).
 *
 * M&Ms labels 1 = LV cavity, 2 = LV myocardium, 3 = RV cavity; converted to ACDC's here, at the edge.
 * Intensity stats come from the whole cine, as the app computes them on a loaded series.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Label } from '../../../src/core/labels';
import { intensityStats } from '../../../src/core/preprocess';
import { LoadError } from '../../../src/io/index';
import { checkSameGrid, frameOf, readNiftiFile, toAcdcLabels } from './niftiFile';
import type { TrainVolume } from './trainVolume';

/** ACDC label of each M&Ms label value (index). */
export const MNMS_TO_ACDC: readonly number[] = [Label.Background, Label.LVCavity, Label.Myocardium, Label.RVCavity];

/** One row of the M&Ms information CSV. */
export interface MnmsInfo {
  code: string;
  vendorName: string;
  vendor: string;
  centre: string;
  /** 0-based frame indices into the 4D files. */
  edFrame: number;
  esFrame: number;
}

/** One labelled case found on disk. */
export interface MnmsCase {
  code: string;
  /** `Training`, `Validation`, `Testing` (first folder under the data set root), or '' at the root. */
  partition: string;
  imageFile: string;
  labelFile: string;
}

const INFO_CSV = /dataset_information.*\.csv$/i;
const LABEL_FILE = /^(.+)_sa_gt\.nii(\.gz)?$/;
/** Training/Labeled/<code>/<code>_sa_gt.nii.gz is four levels below the root. */
const MAX_DEPTH = 4;

/** The M&Ms labels of a file as ACDC labels. @throws LoadError for values other than 0..3. */
export function mnmsLabelsToAcdc(values: ArrayLike<number>, file: string): Uint8Array {
  return toAcdcLabels(values, file, MNMS_TO_ACDC);
}

/** The information CSV directly in `dir`, if any. */
export function findMnmsInfoCsv(dir: string): string | undefined {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return undefined;
  const name = fs
    .readdirSync(dir)
    .filter((n) => INFO_CSV.test(n))
    .sort()
    .at(-1);
  return name ? path.join(dir, name) : undefined;
}

/** True when `dir` holds `Training/Labeled` or an M&Ms information CSV. */
export function isMnmsLayout(dir: string): boolean {
  const labeled = path.join(dir, 'Training', 'Labeled');
  return (fs.existsSync(labeled) && fs.statSync(labeled).isDirectory()) || findMnmsInfoCsv(dir) !== undefined;
}

function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      cells.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  cells.push(cur.trim());
  return cells;
}

/**
 * Parses the information CSV (an unnamed index column and extra columns are allowed).
 * @throws LoadError naming the file when a needed column is missing or a frame is not a 0-based index.
 */
export function parseMnmsInfoCsv(text: string, file: string): Map<string, MnmsInfo> {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const head = splitCsvLine(lines[0] ?? '').map((h) => h.toLowerCase());
  const col = (name: string): number => {
    const i = head.indexOf(name.toLowerCase());
    if (i < 0) throw new LoadError(`${file} has no "${name}" column (columns: ${head.join(', ')}).`, file);
    return i;
  };
  const [iCode, iVendorName, iVendor, iCentre, iEd, iEs] = [
    'External code',
    'VendorName',
    'Vendor',
    'Centre',
    'ED',
    'ES',
  ].map(col) as [number, number, number, number, number, number];
  const out = new Map<string, MnmsInfo>();
  lines.slice(1).forEach((line, k) => {
    const c = splitCsvLine(line);
    const code = c[iCode] ?? '';
    if (!code) return;
    const frame = (i: number, name: string): number => {
      const v = Number(c[i]);
      if (c[i] === '' || !Number.isInteger(v) || v < 0) {
        throw new LoadError(
          `${file} line ${k + 2} (${code}): ${name} "${c[i] ?? ''}" is not a 0-based frame index.`,
          file,
        );
      }
      return v;
    };
    out.set(code, {
      code,
      vendorName: c[iVendorName] ?? '',
      vendor: c[iVendor] ?? '',
      centre: c[iCentre] ?? '',
      edFrame: frame(iEd, 'ED'),
      esFrame: frame(iEs, 'ES'),
    });
  });
  return out;
}

/** Every `<code>_sa_gt` with its `<code>_sa` image under `dir` (Training/Labeled, Validation, Testing, ...). */
export function findMnmsCases(dir: string): MnmsCase[] {
  const found: MnmsCase[] = [];
  const walk = (d: string, depth: number): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH) walk(p, depth + 1);
        continue;
      }
      const m = LABEL_FILE.exec(entry.name);
      if (!m?.[1]) continue;
      const imageFile = path.join(d, `${m[1]}_sa.nii${m[2] ?? ''}`);
      if (!fs.existsSync(imageFile)) {
        throw new LoadError(`${p} has no image beside it: ${path.basename(imageFile)} is missing.`, p);
      }
      const partition = d === dir ? '' : (path.relative(dir, d).split(path.sep)[0] ?? '');
      found.push({ code: m[1], partition, imageFile, labelFile: p });
    }
  };
  walk(dir, 1);
  found.sort((a, b) => a.code.localeCompare(b.code));
  for (let i = 1; i < found.length; i++) {
    const a = found[i - 1] as MnmsCase;
    const b = found[i] as MnmsCase;
    if (a.code === b.code)
      throw new LoadError(
        `${a.code} is labelled twice (${a.labelFile} and ${b.labelFile}); keep one copy.`,
        b.labelFile,
      );
  }
  return found;
}

function labelledFrameCounts(labels: Uint8Array, frameSize: number, frames: number): number[][] {
  const counts: number[][] = [];
  for (let f = 0; f < frames; f++) {
    const c = [0, 0, 0, 0];
    for (let i = f * frameSize; i < (f + 1) * frameSize; i++) c[labels[i] ?? 0]! += 1;
    counts.push(c);
  }
  return counts;
}

/**
 * The labelled frames of one case: ED and ES from the CSV row when given (a CSV frame without labels is
 * skipped with a warning), else every frame with labels; without the CSV, two labelled frames are named
 * ED (larger LV cavity) and ES, more are named `frameN` (1-based).
 * @throws LoadError naming the file for unreadable files, grids that differ, or label values above 3.
 */
export function loadMnmsCase(c: MnmsCase, info?: MnmsInfo): TrainVolume[] {
  const image = readNiftiFile(c.imageFile).volume;
  const labelVolume = readNiftiFile(c.labelFile).volume;
  checkSameGrid(labelVolume, image, c.labelFile, c.imageFile);
  const labels = mnmsLabelsToAcdc(labelVolume.data, c.labelFile);
  const { cols, rows, slices, frames } = image.dims;
  const frameSize = cols * rows * slices;
  const counts = labelledFrameCounts(labels, frameSize, frames);
  const labelled = (f: number): boolean => (counts[f]?.slice(1).reduce((a, b) => a + b, 0) ?? 0) > 0;

  let phases: [string, number][];
  if (info) {
    phases = [];
    for (const [phase, f] of [
      ['ED', info.edFrame],
      ['ES', info.esFrame],
    ] as const) {
      if (f >= frames) {
        throw new LoadError(
          `${c.imageFile} has ${frames} frames but the information CSV gives ${phase} = ${f} (0-based).`,
          c.imageFile,
        );
      }
      if (!labelled(f)) {
        console.warn(
          `${c.labelFile}: the information CSV gives ${phase} = frame ${f} (0-based) but that frame has no labels; skipped.`,
        );
        continue;
      }
      if (!phases.some(([, g]) => g === f)) phases.push([phase, f]);
    }
  } else {
    const found = [...Array(frames).keys()].filter(labelled);
    if (found.length === 2) {
      const [a, b] = found as [number, number];
      const lv = (f: number): number => counts[f]?.[Label.LVCavity] ?? 0;
      phases =
        lv(a) >= lv(b)
          ? [
              ['ED', a],
              ['ES', b],
            ]
          : [
              ['ED', b],
              ['ES', a],
            ];
    } else {
      phases = found.map((f) => [`frame${f + 1}`, f]);
    }
  }

  const stats = intensityStats(image.data);
  return phases.map(([phase, f]) => ({
    id: `mnms/${c.code}/${phase}`,
    source: 'mnms',
    patient: c.code,
    phase,
    cols,
    rows,
    slices,
    spacingColMm: image.spacingMm.col,
    spacingRowMm: image.spacingMm.row,
    spacingSliceMm: image.spacingMm.slice,
    image: frameOf(image, f),
    labels: labels.slice(f * frameSize, (f + 1) * frameSize),
    labelledSlices: new Array<boolean>(slices).fill(true),
    labelledClasses: [0, 1, 2, 3],
    stats,
  }));
}

/** All labelled cases of `dir` (or those whose code is in `codes`), in code order. */
export function loadMnms(dir: string, codes?: Set<string>): TrainVolume[] {
  const csv = findMnmsInfoCsv(dir);
  const info = csv ? parseMnmsInfoCsv(fs.readFileSync(csv, 'utf8'), csv) : new Map<string, MnmsInfo>();
  return findMnmsCases(dir)
    .filter((c) => !codes || codes.has(c.code))
    .flatMap((c) => loadMnmsCase(c, info.get(c.code)));
}

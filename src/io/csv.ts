/**
 * CSV export of the cardiac-function report, RFC 4180: comma separated, `\r\n` line ends, fields with a
 * comma, quote or line break in double quotes (quotes doubled), numbers with a dot and fixed precision.
 *
 * Layout: a per-frame table (`frame,time_ms,lv_cavity_ml,lv_myocardium_ml,rv_cavity_ml`, frame numbers
 * 1-based, empty cells for frames not segmented), one blank line, then a `measure,value,unit` table (measures,
 * completeness, BSA-indexed measures and their reference ranges, who and which series). Then, each after a blank
 * line and with its own header: the model-vs-file agreement per frame (when both exist) and the per-slice,
 * per-frame areas and volumes.
 *
 * Excel: with `bom: true` the text starts with a UTF-8 byte-order mark, without which Excel on Windows
 * reads the file in the local ANSI code page and garbles non-ASCII text (a series description "Kurzachse
 * Cine Fréquence"). In locales whose list separator is `;` (de-DE, fr-FR) Excel still puts each line in
 * one column when the file is double-clicked; Data > From Text/CSV reads it correctly. We do not write
 * a `sep=,` line: other readers would take it as data, and Excel then ignores the BOM.
 */
import type { Agreement } from '@/core/cardiac/agreement';
import type { CardiacFunction } from '@/core/cardiac/function';
import type { FrameVolumes } from '@/core/cardiac/volumes';
import { formatFlags, type QualityFlag } from '@/core/quality';

export const CSV_BOM = '\uFEFF';
const EOL = '\r\n';

export const FRAME_TABLE_HEADER = ['frame', 'time_ms', 'lv_cavity_ml', 'lv_myocardium_ml', 'rv_cavity_ml'] as const;
export const SUMMARY_TABLE_HEADER = ['measure', 'value', 'unit'] as const;
export const AGREEMENT_TABLE_HEADER = [
  'agreement_frame',
  'dice_rv',
  'dice_myo',
  'dice_lv',
  'reference_rv_ml',
  'model_rv_ml',
  'difference_rv_ml',
  'reference_myo_ml',
  'model_myo_ml',
  'difference_myo_ml',
  'reference_lv_ml',
  'model_lv_ml',
  'difference_lv_ml',
] as const;
export const SLICE_TABLE_HEADER = [
  'slice',
  'frame',
  'included',
  'lv_cavity_mm2',
  'lv_myocardium_mm2',
  'rv_cavity_mm2',
  'lv_cavity_ml',
  'lv_myocardium_ml',
  'rv_cavity_ml',
] as const;

/** One (slice, frame) of the per-slice table; frames not segmented are left out. 0-based indices. */
export interface SliceFrameRow {
  slice: number;
  frame: number;
  included: boolean;
  lvCavityMm2: number;
  lvMyocardiumMm2: number;
  rvCavityMm2: number;
  lvCavityMl: number;
  lvMyocardiumMl: number;
  rvCavityMl: number;
}

/** A BSA-indexed measure with the published normal range it is read against (if any). */
export interface IndexedMeasure {
  name: string;
  value: number | undefined;
  unit: string;
  /** Only the reference-range row (the value itself is a row of the summary already, e.g. LVEF). */
  referenceOnly?: boolean;
  /** e.g. "57-105 (male)"; undefined when no range is encoded. */
  reference?: string;
  /** below / within / above the reference range. */
  verdict?: string;
}

/** Everything the report shows. Frame indices in `result` are 0-based; the CSV writes them 1-based. */
export interface CardiacReport {
  frameVolumes: readonly (FrameVolumes | null | undefined)[];
  /** Time of each frame from the R wave, ms (same length as `frameVolumes`; may be empty). */
  frameTimesMs: readonly number[];
  result: CardiacFunction;
  /** One flag per slice, as passed to `frameVolumes`. */
  includedSlices: readonly boolean[];
  seriesDescription?: string;
  /** YYYY-MM-DD */
  date?: string;
  modelId?: string;
  modelVersion?: string;
  sourceFileName?: string;
  patientId?: string;
  patientName?: string;
  seriesNumber?: number;
  /** Frames with masks and frames in the series; the result is provisional until `complete`. */
  framesSegmented?: number;
  frameCount?: number;
  complete?: boolean;
  heightCm?: number;
  weightKg?: number;
  bsaM2?: number;
  indexed?: readonly IndexedMeasure[];
  /** Where the reference ranges come from. */
  referenceSource?: string;
  /** Model masks against the labels from file, when the series has both. */
  agreement?: Agreement;
  sliceTable?: readonly SliceFrameRow[];
  /**
   * Masks corrected by hand: per frame, the 0-based slices edited. When given, the frame table gets an
   * `edited_slices` column (1-based slice ranges, empty for frames not edited) and the summary an `edited images` row.
   */
  editedSlices?: readonly (readonly number[])[];
  /**
   * Quality flags of the masks (src/core/quality): a `quality flags` summary row (count and the compact
   * `code@frame/slice` list) and a table with one row per flag: flag, frame, slice (1-based; empty for a
   * whole-frame flag), message.
   */
  qualityFlags?: readonly QualityFlag[];
}

export interface CsvWriteOptions {
  /** Start with a UTF-8 byte-order mark so Excel detects UTF-8 (default false). */
  bom?: boolean;
}

/** Fixed number of decimals for each kind of number. */
const DECIMALS = { ml: 1, pct: 1, g: 1, bpm: 0, lPerMin: 2, ms: 1, dice: 3, mm2: 1, m2: 2, cm: 1, kg: 1 } as const;

/** A number with a dot decimal separator and fixed decimals; '' when unknown; never "-0.0". */
export function formatNumber(value: number | undefined | null, decimals: number): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '';
  const s = value.toFixed(decimals);
  return Number(s) === 0 ? (0).toFixed(decimals) : s;
}

/**
 * One field, quoted when RFC 4180 requires it. Text that a spreadsheet would run as a formula
 * (starting with = + - @ tab or CR) gets a leading apostrophe: descriptions come from file headers
 * we do not control (OWASP "CSV injection").
 */
export function csvField(value: string, isText = false): string {
  const v = isText && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One CSV line; `textColumns[i]` marks free-text fields that get the formula guard. */
function row(fields: readonly string[], textColumns: readonly boolean[] = []): string {
  return fields.map((f, i) => csvField(f, textColumns[i] ?? false)).join(',') + EOL;
}

/** "1-3, 5, 7-12" for the included slices, 1-based; "none" when none is included. */
export function formatSliceRanges(included: readonly boolean[]): string {
  const parts: string[] = [];
  let start = -1;
  for (let i = 0; i <= included.length; i++) {
    if (i < included.length && included[i]) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      parts.push(start === i - 1 ? `${start + 1}` : `${start + 1}-${i}`);
      start = -1;
    }
  }
  return parts.length ? parts.join(', ') : 'none';
}

const frameNumber = (f: number | undefined): string => (f === undefined ? '' : String(f + 1));

/** Column of the frame table listing the slices edited by hand (only with `CardiacReport.editedSlices`). */
export const EDITED_SLICES_COLUMN = 'edited_slices';

/** "2-3, 5" for slices 1, 2 and 4 (0-based) of one frame; '' when none was edited. */
function editedSliceText(slices: readonly number[] | undefined, sliceCount: number): string {
  if (!slices || slices.length === 0) return '';
  const flags = new Array<boolean>(Math.max(sliceCount, ...slices.map((s) => s + 1))).fill(false);
  for (const s of slices) flags[s] = true;
  return formatSliceRanges(flags);
}

/** The report as CSV text (see the module comment for the layout). */
export function cardiacReportToCsv(report: CardiacReport, options: CsvWriteOptions = {}): string {
  const r = report.result;
  let out = options.bom ? CSV_BOM : '';
  const edited = report.editedSlices;
  out += row(edited ? [...FRAME_TABLE_HEADER, EDITED_SLICES_COLUMN] : FRAME_TABLE_HEADER);
  report.frameVolumes.forEach((v, f) => {
    out += row([
      String(f + 1),
      formatNumber(report.frameTimesMs[f], DECIMALS.ms),
      formatNumber(v?.lvCavityMl, DECIMALS.ml),
      formatNumber(v?.lvMyocardiumMl, DECIMALS.ml),
      formatNumber(v?.rvCavityMl, DECIMALS.ml),
      ...(edited ? [editedSliceText(edited[f], report.includedSlices.length)] : []),
    ]);
  });
  out += EOL;
  out += row(SUMMARY_TABLE_HEADER);
  const measures: [string, string, string][] = [
    ['LVEDV', formatNumber(r.lvedvMl, DECIMALS.ml), 'ml'],
    ['LVESV', formatNumber(r.lvesvMl, DECIMALS.ml), 'ml'],
    ['LVSV', formatNumber(r.lvsvMl, DECIMALS.ml), 'ml'],
    ['LVEF', formatNumber(r.lvefPct, DECIMALS.pct), '%'],
    ['RVEDV', formatNumber(r.rvedvMl, DECIMALS.ml), 'ml'],
    ['RVESV', formatNumber(r.rvesvMl, DECIMALS.ml), 'ml'],
    ['RVSV', formatNumber(r.rvsvMl, DECIMALS.ml), 'ml'],
    ['RVEF', formatNumber(r.rvefPct, DECIMALS.pct), '%'],
    ['LV mass', formatNumber(r.lvMassG, DECIMALS.g), 'g'],
    ['heart rate', formatNumber(r.heartRateBpm, DECIMALS.bpm), 'bpm'],
    ['cardiac output', formatNumber(r.cardiacOutputLPerMin, DECIMALS.lPerMin), 'l/min'],
    ['ED frame', frameNumber(r.edFrame), 'frame number (1-based)'],
    ['ES frame', frameNumber(r.esFrame), 'frame number (1-based)'],
    ['RV ED frame', frameNumber(r.rvEdFrame), 'frame number (1-based)'],
    ['RV ES frame', frameNumber(r.rvEsFrame), 'frame number (1-based)'],
    [
      'included slices',
      formatSliceRanges(report.includedSlices),
      `slice numbers (1-based) of ${report.includedSlices.length}`,
    ],
  ];
  // Free text from file headers and the model manifest: guarded against formula injection.
  const texts: [string, string, string][] = [
    ['series description', report.seriesDescription ?? '', ''],
    ['date', report.date ?? '', 'YYYY-MM-DD'],
    ['model id', report.modelId ?? '', ''],
    ['model version', report.modelVersion ?? '', ''],
    ['source file', report.sourceFileName ?? '', ''],
  ];
  if (report.framesSegmented !== undefined) {
    measures.push(
      ['frames segmented', String(report.framesSegmented), `of ${report.frameCount ?? report.frameVolumes.length}`],
      [
        'complete',
        report.complete ? 'yes' : 'no',
        report.complete ? '' : 'provisional: ED/ES and every measure may change when the other frames are segmented',
      ],
    );
  }
  if (edited) {
    const n = edited.reduce((sum, slices) => sum + slices.length, 0);
    measures.push(['edited images', String(n), 'slice images (slice, frame) corrected by hand; see edited_slices']);
  }
  if (report.heightCm !== undefined) measures.push(['height', formatNumber(report.heightCm, DECIMALS.cm), 'cm']);
  if (report.weightKg !== undefined) measures.push(['weight', formatNumber(report.weightKg, DECIMALS.kg), 'kg']);
  if (report.bsaM2 !== undefined) measures.push(['BSA (Mosteller)', formatNumber(report.bsaM2, DECIMALS.m2), 'm²']);
  for (const m of report.indexed ?? []) {
    if (!m.referenceOnly) {
      measures.push([m.name, formatNumber(m.value, m.unit === 'l/min/m²' ? DECIMALS.lPerMin : DECIMALS.ml), m.unit]);
    }
    if (m.reference) measures.push([`${m.name} reference range`, m.reference, m.verdict ?? '']);
  }
  const a = report.agreement;
  if (a) {
    for (const [key, name] of STRUCTURE_NAMES) {
      measures.push([
        `Dice ${name} (model vs file)`,
        formatNumber(a.dice[key], DECIMALS.dice),
        `over ${a.frames.length} frames`,
      ]);
    }
  }
  texts.unshift(
    ['patient id', report.patientId ?? '', ''],
    ['patient name', report.patientName ?? '', ''],
    ['series number', report.seriesNumber === undefined ? '' : String(report.seriesNumber), ''],
  );
  if (report.referenceSource) texts.push(['reference ranges', report.referenceSource, '']);
  if (report.qualityFlags) {
    measures.push(['quality flags', String(report.qualityFlags.length), formatFlags(report.qualityFlags) || 'none']);
  }
  for (const m of measures) out += row(m);
  for (const m of texts) out += row(m, [false, true, false]);
  if (a && a.frames.length > 0) {
    out += EOL + row(AGREEMENT_TABLE_HEADER);
    for (const f of a.frames) {
      out += row([
        String(f.frame + 1),
        ...STRUCTURE_NAMES.map(([k]) => formatNumber(f.dice[k], DECIMALS.dice)),
        ...STRUCTURE_NAMES.flatMap(([k]) => [
          formatNumber(f.referenceMl[k], DECIMALS.ml),
          formatNumber(f.testMl[k], DECIMALS.ml),
          formatNumber(f.differenceMl[k], DECIMALS.ml),
        ]),
      ]);
    }
  }
  const flags = report.qualityFlags;
  if (flags && flags.length > 0) {
    out += EOL + row(QUALITY_TABLE_HEADER);
    for (const f of flags) {
      out += row([f.code, String(f.frame + 1), f.slice === null ? '' : String(f.slice + 1), f.message], [false, false, false, true]);
    }
  }
  if (report.sliceTable && report.sliceTable.length > 0) {
    out += EOL + row(SLICE_TABLE_HEADER);
    for (const r of report.sliceTable) {
      out += row([
        String(r.slice + 1),
        String(r.frame + 1),
        r.included ? 'yes' : 'no',
        formatNumber(r.lvCavityMm2, DECIMALS.mm2),
        formatNumber(r.lvMyocardiumMm2, DECIMALS.mm2),
        formatNumber(r.rvCavityMm2, DECIMALS.mm2),
        formatNumber(r.lvCavityMl, 2),
        formatNumber(r.lvMyocardiumMl, 2),
        formatNumber(r.rvCavityMl, 2),
      ]);
    }
  }
  return out;
}

const QUALITY_TABLE_HEADER = ['quality flag', 'frame', 'slice', 'message'];

const STRUCTURE_NAMES = [
  ['rv', 'RV cavity'],
  ['myo', 'LV myocardium'],
  ['lv', 'LV cavity'],
] as const;

/**
 * Parses RFC 4180 CSV (also `\n` line ends and a leading BOM) into rows of fields. A blank line is
 * one row with one empty field; a line end after the last row does not add a row.
 */
export function parseCsv(text: string): string[][] {
  const s = text.startsWith(CSV_BOM) ? text.slice(1) : text;
  const rows: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let rowOpen = false;
  while (i < s.length) {
    const ch = s[i]!;
    rowOpen = true;
    if (quoted) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      fields.push(field);
      rows.push(fields);
      fields = [];
      field = '';
      rowOpen = false;
      if (ch === '\r' && s[i + 1] === '\n') i++;
    } else {
      field += ch;
    }
    i++;
  }
  if (quoted) throw new SyntaxError('CSV ends inside a quoted field');
  if (rowOpen) {
    fields.push(field);
    rows.push(fields);
  }
  return rows;
}

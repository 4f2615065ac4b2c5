import { describe, expect, it } from 'vitest';
import { computeCardiacFunction } from '@/core/cardiac/function';
import type { FrameVolumes } from '@/core/cardiac/volumes';
import { cardiacReportToCsv, csvField, formatNumber, formatSliceRanges, parseCsv, type CardiacReport } from './csv';

const fv = (lv: number, myo: number, rv: number): FrameVolumes => ({
  lvCavityMl: lv,
  lvMyocardiumMl: myo,
  rvCavityMl: rv,
});

function makeReport(): CardiacReport {
  const frameVolumes = [fv(142.26, 98.04, 160.5), fv(120.04, 99.9, 130), null, fv(61.349, 101.2, 75.56)];
  return {
    frameVolumes,
    frameTimesMs: [0, 42.5, 85, 127.25],
    result: computeCardiacFunction(frameVolumes, { heartRateBpm: 68 }),
    includedSlices: [false, true, true, true, false, true, true, true, true, true, true, false],
    seriesDescription: 'SA cine, "retro" 10 mm\nbreath-hold',
    date: '2024-03-07',
    modelId: 'cineseg-unet',
    modelVersion: '1.2.0',
    sourceFileName: 'Patient, Ä.nii.gz',
  };
}

describe('cardiacReportToCsv', () => {
  const report = makeReport();
  const text = cardiacReportToCsv(report);

  it('writes the frame table, a blank line and the summary with CRLF line ends', () => {
    const lines = text.split('\r\n');
    expect(lines.slice(0, 6)).toEqual([
      'frame,time_ms,lv_cavity_ml,lv_myocardium_ml,rv_cavity_ml',
      '1,0.0,142.3,98.0,160.5',
      '2,42.5,120.0,99.9,130.0',
      '3,85.0,,,',
      '4,127.3,61.3,101.2,75.6',
      '',
    ]);
    expect(lines[6]).toBe('measure,value,unit');
    expect(lines).toContain('LVEF,56.9,%'); // (142.26 − 61.349) / 142.26
    expect(lines).toContain('LV mass,102.9,g'); // 98.04 × 1.05
    expect(lines).toContain('cardiac output,5.50,l/min'); // 80.911 ml × 68 / 1000
    expect(lines).toContain('ED frame,1,frame number (1-based)');
    expect(lines).toContain('ES frame,4,frame number (1-based)');
    expect(lines).toContain('included slices,"2-4, 6-11",slice numbers (1-based) of 12');
    expect(text.endsWith('\r\n')).toBe(true);
    // No bare LF outside the quoted description.
    expect(text.replace(/\r\n/g, '').replace('\nbreath', '')).not.toContain('\n');
  });

  it('round-trips through parseCsv: same numbers and strings', () => {
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(['frame', 'time_ms', 'lv_cavity_ml', 'lv_myocardium_ml', 'rv_cavity_ml']);
    const frames = rows.slice(1, 5);
    frames.forEach((r, f) => {
      expect(Number(r[0])).toBe(f + 1);
      const v = report.frameVolumes[f];
      if (!v) {
        expect(r.slice(2)).toEqual(['', '', '']);
        return;
      }
      expect(Math.abs(Number(r[1]) - report.frameTimesMs[f]!)).toBeLessThanOrEqual(0.05);
      expect(Math.abs(Number(r[2]) - v.lvCavityMl)).toBeLessThanOrEqual(0.05);
      expect(Math.abs(Number(r[3]) - v.lvMyocardiumMl)).toBeLessThanOrEqual(0.05);
      expect(Math.abs(Number(r[4]) - v.rvCavityMl)).toBeLessThanOrEqual(0.05);
    });
    expect(rows[5]).toEqual(['']);
    const summary = new Map(rows.slice(7).map((r) => [r[0]!, { value: r[1]!, unit: r[2]! }]));
    const res = report.result;
    const near = (name: string, x: number | undefined, tol: number): void => {
      expect(Math.abs(Number(summary.get(name)!.value) - x!)).toBeLessThanOrEqual(tol);
    };
    near('LVEDV', res.lvedvMl, 0.05);
    near('LVESV', res.lvesvMl, 0.05);
    near('LVSV', res.lvsvMl, 0.05);
    near('LVEF', res.lvefPct, 0.05);
    near('RVEDV', res.rvedvMl, 0.05);
    near('RVESV', res.rvesvMl, 0.05);
    near('RVSV', res.rvsvMl, 0.05);
    near('RVEF', res.rvefPct, 0.05);
    near('LV mass', res.lvMassG, 0.05);
    near('heart rate', 68, 0);
    near('cardiac output', res.cardiacOutputLPerMin, 0.005);
    expect(summary.get('LVEF')!.unit).toBe('%');
    expect(summary.get('series description')!.value).toBe(report.seriesDescription);
    expect(summary.get('source file')!.value).toBe('Patient, Ä.nii.gz');
    expect(summary.get('date')!.value).toBe('2024-03-07');
    expect(summary.get('model id')!.value).toBe('cineseg-unet');
    expect(summary.get('model version')!.value).toBe('1.2.0');
    expect(summary.get('included slices')!.value).toBe('2-4, 6-11');
  });

  it('optionally starts with a UTF-8 BOM that parseCsv skips', () => {
    const withBom = cardiacReportToCsv(report, { bom: true });
    expect(withBom.charCodeAt(0)).toBe(0xfeff);
    expect(new TextEncoder().encode(withBom).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    expect(parseCsv(withBom)).toEqual(parseCsv(text));
  });

  it('writes the quality flags as a summary row and a table of their own', () => {
    const withFlags = cardiacReportToCsv({
      ...makeReport(),
      qualityFlags: [
        { code: 'basal-lv-cavity', frame: 0, slice: 0, message: 'Frame 1, slice 1: =LV cavity outside' },
        { code: 'frame-jump', frame: 3, slice: null, message: 'Frame 4: jump' },
      ],
    });
    const rows = parseCsv(withFlags);
    expect(rows.find((r) => r[0] === 'quality flags')).toEqual(['quality flags', '2', 'basal-lv-cavity@1/1; frame-jump@4/-']);
    const head = rows.findIndex((r) => r[0] === 'quality flag');
    expect(rows[head]).toEqual(['quality flag', 'frame', 'slice', 'message']);
    expect(rows[head + 1]).toEqual(['basal-lv-cavity', '1', '1', 'Frame 1, slice 1: =LV cavity outside']);
    expect(rows[head + 2]).toEqual(['frame-jump', '4', '', 'Frame 4: jump']);
    const none = parseCsv(cardiacReportToCsv({ ...makeReport(), qualityFlags: [] }));
    expect(none.find((r) => r[0] === 'quality flags')).toEqual(['quality flags', '0', 'none']);
    expect(none.some((r) => r[0] === 'quality flag')).toBe(false);
  });

  it('leaves unknown measures empty', () => {
    const empty = cardiacReportToCsv({
      frameVolumes: [null, null],
      frameTimesMs: [],
      result: computeCardiacFunction([null, null]),
      includedSlices: [true],
    });
    const rows = parseCsv(empty);
    expect(rows[1]).toEqual(['1', '', '', '', '']);
    expect(rows.find((r) => r[0] === 'LVEF')).toEqual(['LVEF', '', '%']);
    expect(rows.find((r) => r[0] === 'heart rate')).toEqual(['heart rate', '', 'bpm']);
  });
});

describe('CSV helpers', () => {
  it('quotes per RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
  });

  it('defuses spreadsheet formulas in free text only', () => {
    expect(csvField('=HYPERLINK("x")', true)).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('-3.0')).toBe('-3.0');
  });

  it('formats numbers with a dot, fixed decimals, no negative zero', () => {
    expect(formatNumber(1234.5678, 1)).toBe('1234.6');
    expect(formatNumber(-0.04, 1)).toBe('0.0');
    expect(formatNumber(-2.25, 1)).toBe('-2.3');
    expect(formatNumber(undefined, 1)).toBe('');
    expect(formatNumber(Number.NaN, 1)).toBe('');
  });

  it('formats slice ranges', () => {
    expect(formatSliceRanges([true, true, false, true, false, true, true, true])).toBe('1-2, 4, 6-8');
    expect(formatSliceRanges([false, false])).toBe('none');
  });

  it('parses quoted fields, LF line ends and a final line without line end', () => {
    expect(parseCsv('a,"b,""c"""\n"x\r\ny",\r\nlast')).toEqual([['a', 'b,"c"'], ['x\r\ny', ''], ['last']]);
    expect(() => parseCsv('"open')).toThrow(SyntaxError);
  });
});

import { describe, expect, it } from 'vitest';
import { computeCardiacFunction } from '@/core/cardiac/function';
import type { FrameVolumes } from '@/core/cardiac/volumes';
import { cardiacReportToCsv, EDITED_SLICES_COLUMN, FRAME_TABLE_HEADER, parseCsv, type CardiacReport } from './csv';

const fv = (lv: number): FrameVolumes => ({ lvCavityMl: lv, lvMyocardiumMl: 90, rvCavityMl: 120 });

function report(editedSlices?: number[][]): CardiacReport {
  const frameVolumes = [fv(140), fv(100), fv(60)];
  return {
    frameVolumes,
    frameTimesMs: [0, 40, 80],
    result: computeCardiacFunction(frameVolumes),
    includedSlices: new Array<boolean>(8).fill(true),
    ...(editedSlices ? { editedSlices } : {}),
  };
}

describe('CSV of masks edited by hand', () => {
  it('lists the edited slices of each frame (1-based ranges) and counts the edited images', () => {
    const rows = parseCsv(cardiacReportToCsv(report([[1, 2, 4], [], [7]])));
    expect(rows[0]).toEqual([...FRAME_TABLE_HEADER, EDITED_SLICES_COLUMN]);
    expect(rows[1]).toEqual(['1', '0.0', '140.0', '90.0', '120.0', '2-3, 5']);
    expect(rows[2]?.[5]).toBe('');
    expect(rows[3]?.[5]).toBe('8');
    const edited = rows.find((r) => r[0] === 'edited images');
    expect(edited?.[1]).toBe('4');
  });

  it('keeps the frame table as it was for masks nobody edited', () => {
    const rows = parseCsv(cardiacReportToCsv(report()));
    expect(rows[0]).toEqual([...FRAME_TABLE_HEADER]);
    expect(rows[1]).toHaveLength(FRAME_TABLE_HEADER.length);
    expect(rows.some((r) => r[0] === 'edited images')).toBe(false);
  });
});

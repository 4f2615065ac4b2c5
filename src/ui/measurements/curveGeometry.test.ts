import { describe, expect, it } from 'vitest';
import { curveLayout, frameTicks, niceStep } from './curveGeometry';

const v = (lv: number, rv: number) => ({ lvCavityMl: lv, lvMyocardiumMl: 0, rvCavityMl: rv });

describe('curveLayout', () => {
  it('places frames at band centres and volumes on a round axis', () => {
    const c = curveLayout([v(150, 160), v(100, 120), v(60, 80), v(140, 150)], 242, 128);
    expect(c.bandWidth).toBe(50);
    expect(c.frameX).toEqual([59, 109, 159, 209]);
    expect(c.yTicksMl).toEqual([0, 50, 100, 150, 200]);
    expect(c.yOfMl(0)).toBe(c.plot.bottom);
    expect(c.yOfMl(200)).toBe(c.plot.top);
    expect(c.lv.points.map((p) => p.ml)).toEqual([150, 100, 60, 140]);
    expect(c.lv.path.match(/M/g)).toHaveLength(1);
  });

  it('breaks the line at frames without a mask and keeps isolated points (ACDC ED and ES)', () => {
    const c = curveLayout([v(150, 160), null, v(60, 80), v(70, 90), null], 200, 100);
    expect(c.lv.points.map((p) => p.frame)).toEqual([0, 2, 3]);
    expect(c.lv.path.match(/M/g)).toHaveLength(2);
    expect(c.lv.path.match(/L/g)).toHaveLength(1);
    const acdc = curveLayout([v(150, 160), null, null, v(60, 80)], 200, 100);
    expect(acdc.lv.points).toHaveLength(2);
    expect(acdc.lv.path).not.toContain('L');
  });

  it('has an axis even with nothing segmented', () => {
    const c = curveLayout([null, null], 200, 100);
    expect(c.lv.path).toBe('');
    expect(c.yTicksMl).toEqual([0, 1]);
  });
});

describe('niceStep', () => {
  it('picks 1, 2 or 5 × 10^k', () => {
    expect(niceStep(180)).toBe(50);
    expect(niceStep(75)).toBe(20);
    expect(niceStep(9)).toBe(5);
    expect(niceStep(0)).toBe(1);
  });
});

describe('frameTicks', () => {
  it('numbers the first frame and then every 1, 2 or 5 frames (1-based labels 1, 5, 10, ...)', () => {
    expect(frameTicks(1)).toEqual([0]);
    expect(frameTicks(7)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(frameTicks(20)).toEqual([0, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
    expect(frameTicks(30)).toEqual([0, 4, 9, 14, 19, 24, 29]);
    expect(frameTicks(0)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { Label } from './labels';
import { formatFlags, qualityFlags } from './quality';

const dims = { cols: 48, rows: 48, slices: 7, frames: 2 };
const plane = dims.cols * dims.rows;
const at = (c: number, r: number, s: number, f: number): number => c + dims.cols * r + plane * (s + dims.slices * f);

/** A plausible heart on slices 1-5 of both frames: LV cavity in a myocardial ring, RV against the septum. */
function goodHeart(): Uint8Array {
  const m = new Uint8Array(plane * dims.slices * dims.frames);
  for (let f = 0; f < dims.frames; f++) {
    for (let s = 1; s <= 5; s++) {
      const rad = f === 0 ? 7 : 5;
      for (let r = 0; r < dims.rows; r++) {
        for (let c = 0; c < dims.cols; c++) {
          const d = Math.hypot(c - 26, r - 24);
          if (d <= rad) m[at(c, r, s, f)] = Label.LVCavity;
          else if (d <= rad + 3) m[at(c, r, s, f)] = Label.Myocardium;
          else if (d <= rad + 10 && c < 26 - rad) m[at(c, r, s, f)] = Label.RVCavity;
        }
      }
    }
  }
  return m;
}

describe('qualityFlags', () => {
  it('raises none on a plausible segmentation', () => {
    expect(qualityFlags({ labels: { data: goodHeart(), dims }, lvVolumeMl: [100, 50], lvefPct: 50, rvefPct: 50, lvedvMl: 100 })).toEqual([]);
  });

  it('says when no heart was found', () => {
    const flags = qualityFlags({ labels: { data: new Uint8Array(plane * dims.slices * dims.frames), dims } });
    expect(flags.map((f) => f.code)).toEqual(['no-heart', 'no-heart']);
    expect(flags[0]!.message).toMatch(/no left ventricle/);
  });

  it('flags an unenclosed LV cavity on an end slice, a missing mid slice and an absent RV, each with its slice', () => {
    const m = goodHeart();
    // Slice 0, frame 0: a bare LV cavity block touching no myocardium (outflow tract).
    for (let r = 2; r < 10; r++) for (let c = 2; c < 10; c++) m[at(c, r, 0, 0)] = Label.LVCavity;
    // Slice 3, frame 1: the RV erased (mid-ventricular) -> missing between neighbours and absent at mid level.
    for (let i = 0; i < plane; i++) if (m[plane * (3 + dims.slices) + i] === Label.RVCavity) m[plane * (3 + dims.slices) + i] = 0;
    const flags = qualityFlags({ labels: { data: m, dims } });
    expect(flags).toContainEqual(expect.objectContaining({ code: 'basal-lv-cavity', frame: 0, slice: 0 }));
    expect(flags).toContainEqual(expect.objectContaining({ code: 'missing-on-slice', frame: 1, slice: 3 }));
    expect(flags).toContainEqual(expect.objectContaining({ code: 'rv-absent', frame: 1, slice: 3 }));
    expect(formatFlags(flags)).toContain('basal-lv-cavity@1/1');
  });

  it('flags frame-to-frame jumps and implausible function only when all frames are in', () => {
    const labels = { data: goodHeart(), dims };
    expect(qualityFlags({ labels, lvVolumeMl: [120, 20] })).toEqual([]); // ED and ES alone: no cine to judge
    const cineDims = { ...dims, frames: 12 };
    const cine = new Uint8Array(plane * dims.slices * 12);
    for (let f = 0; f < 12; f++) cine.set(goodHeart().subarray(0, plane * dims.slices), f * plane * dims.slices);
    const vols = [100, 95, 90, 85, 30, 80, 85, 90, 95, 100, 100, 100];
    expect(qualityFlags({ labels: { data: cine, dims: cineDims }, lvVolumeMl: vols })).toEqual([
      expect.objectContaining({ code: 'frame-jump', frame: 4, slice: null }),
      expect.objectContaining({ code: 'frame-jump', frame: 5, slice: null }),
    ]);
    expect(qualityFlags({ labels, lvefPct: 1.6 }).map((f) => f.code)).toEqual(['implausible-function']);
    expect(qualityFlags({ labels, lvefPct: 1.6, framesReady: [true, false] })).toEqual([]);
  });
});

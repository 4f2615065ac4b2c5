import { describe, expect, it } from 'vitest';
import { Label } from './labels';
import { keepAnatomicalComponents, keepLargestComponents, postprocessFrame } from './postprocess';

// A synthetic short-axis stack: 64 x 64 pixels, 8 slices; LV cavity disc enclosed by a myocardial ring,
// RV crescent against the septum (left of the LV), as a model would label a healthy heart.
const g = { cols: 64, rows: 64, slices: 8 };
const plane = g.cols * g.rows;
const at = (c: number, r: number, s: number): number => c + g.cols * r + plane * s;

function heart(cavityRadius: number, slices: number[] = [1, 2, 3, 4, 5, 6]): Uint8Array {
  const m = new Uint8Array(plane * g.slices);
  const [cx, cy] = [36, 32];
  for (const s of slices) {
    for (let r = 0; r < g.rows; r++) {
      for (let c = 0; c < g.cols; c++) {
        const d = Math.hypot(c - cx, r - cy);
        if (d <= cavityRadius) m[at(c, r, s)] = Label.LVCavity;
        else if (d <= cavityRadius + 4) m[at(c, r, s)] = Label.Myocardium;
        else if (d <= cavityRadius + 12 && c < cx - cavityRadius) m[at(c, r, s)] = Label.RVCavity; // against the septum
      }
    }
  }
  return m;
}

const count = (m: Uint8Array, label: number, s?: number): number => {
  let n = 0;
  const [a, b] = s === undefined ? [0, m.length] : [s * plane, (s + 1) * plane];
  for (let i = a; i < b; i++) if (m[i] === label) n++;
  return n;
};

describe('anatomical clean-up', () => {
  it('leaves a correct segmentation unchanged', () => {
    const m = heart(8);
    const before = m.slice();
    postprocessFrame(m, g, 'anatomical');
    expect(m).toEqual(before);
  });

  it('keeps a small ES cavity that a larger false LV blob on a basal slice would delete (failure mode 1)', () => {
    const m = heart(3); // small ES cavity: ~29 px per slice on 6 slices (~170 px)
    // False "LV cavity" in the outflow tract / atrium on slice 0: a 20 x 20 block touching nothing.
    for (let r = 2; r < 22; r++) for (let c = 2; c < 22; c++) m[at(c, r, 0)] = Label.LVCavity;
    const largest = m.slice();
    keepLargestComponents(largest, g);
    expect(count(largest, Label.LVCavity, 3)).toBe(0); // the old clean-up loses the real cavity
    keepAnatomicalComponents(m, g);
    expect(count(m, Label.LVCavity, 0)).toBe(0); // false blob gone
    for (let s = 1; s <= 6; s++) expect(count(m, Label.LVCavity, s)).toBeGreaterThan(20); // real cavity kept
  });

  it('keeps the RV against the septum over a larger false RV away from the heart (failure mode 2)', () => {
    const m = heart(8);
    const rvBefore = count(m, Label.RVCavity);
    // False RV: a large block at the image corner on slices 0-7, bigger than the true crescent.
    for (let s = 0; s < g.slices; s++) for (let r = 48; r < 64; r++) for (let c = 44; c < 64; c++) m[at(c, r, s)] = Label.RVCavity;
    expect(count(m, Label.RVCavity) - rvBefore).toBeGreaterThan(rvBefore); // the false one is larger
    const largest = m.slice();
    keepLargestComponents(largest, g);
    expect(m[at(22, 32, 3)]).toBe(Label.RVCavity); // a voxel of the true crescent
    expect(largest[at(22, 32, 3)]).toBe(Label.Background); // the old clean-up keeps the false one instead
    keepAnatomicalComponents(m, g);
    expect(count(m, Label.RVCavity)).toBe(rvBefore);
    expect(m[at(22, 32, 3)]).toBe(Label.RVCavity);
    expect(m[at(60, 60, 3)]).toBe(Label.Background);
  });

  it('falls back to the largest component when nothing touches the myocardium', () => {
    const m = new Uint8Array(plane * g.slices);
    for (let c = 0; c < 5; c++) m[at(c, 0, 0)] = Label.RVCavity;
    m[at(20, 20, 1)] = Label.RVCavity;
    keepAnatomicalComponents(m, g);
    expect(count(m, Label.RVCavity)).toBe(5);
  });

  it('keeps an apical RV piece against the myocardium only under a further-RV rule, never a piece away from it', () => {
    const m = heart(8);
    // Slices 4-5 lose their RV (an under-segmented ES RV): slice 6's crescent becomes a second 3D component.
    for (const s of [4, 5]) for (let i = s * plane; i < (s + 1) * plane; i++) if (m[i] === Label.RVCavity) m[i] = Label.Background;
    // A false RV block far from the heart on slice 6.
    for (let r = 54; r < 64; r++) for (let c = 54; c < 64; c++) m[at(c, r, 6)] = Label.RVCavity;
    const piece = count(m, Label.RVCavity, 6) - 100;
    const one = m.slice();
    keepAnatomicalComponents(one, g);
    expect(count(one, Label.RVCavity, 6)).toBe(0); // one RV component: the apical piece is deleted
    expect(count(one, Label.RVCavity, 2)).toBeGreaterThan(50);
    const rule = { minNearFraction: 0.1, minVoxels: 20, otherSlices: true };
    const kept = m.slice();
    keepAnatomicalComponents(kept, g, rule);
    expect(count(kept, Label.RVCavity, 6)).toBe(piece); // the piece is back, the far block is not
    expect(count(kept, Label.RVCavity, 2)).toBe(count(one, Label.RVCavity, 2));
    // A piece smaller than minVoxels stays deleted.
    const strict = m.slice();
    keepAnatomicalComponents(strict, g, { ...rule, minVoxels: piece + 1 });
    expect(count(strict, Label.RVCavity, 6)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import type { LabelVolume, Volume } from '@/core/volume';
import { loadNiftiSeries } from './niftiSeries';
import { writeNifti, writeNiftiLabels } from './niftiWrite';
import { expectLoadError } from './testing/loadOutcome';

const DIMS3 = { cols: 6, rows: 5, slices: 3, frames: 1 };

function frame(value: number, dims = DIMS3): Volume {
  const n = dims.cols * dims.rows * dims.slices * dims.frames;
  return {
    data: new Float32Array(n).map((_, i) => value * 1000 + i),
    dims,
    spacingMm: { col: 1.25, row: 1.25, slice: 10 },
    affine: [1.25, 0, 0, -3, 0, 1.25, 0, -2, 0, 0, 10, 5, 0, 0, 0, 1],
    frameTimesMs: new Array<number>(dims.frames).fill(Number.NaN),
    meta: { source: 'phantom', name: 't' },
  };
}

function labels(fill: (i: number) => number, dims = DIMS3): LabelVolume {
  const n = dims.cols * dims.rows * dims.slices * dims.frames;
  return { data: new Uint8Array(n).map((_, i) => fill(i)), dims };
}

const file = (name: string, bytes: Uint8Array) => ({ name, path: name, bytes });

describe('loadNiftiSeries', () => {
  it('stacks ACDC frame files in frame order with their labels', () => {
    const ed = frame(1);
    const es = frame(12);
    const edLabels = labels((i) => i % 4);
    const series = loadNiftiSeries([
      file('patient001_frame12.nii.gz', writeNifti(es)),
      file('patient001_frame01_gt.nii.gz', writeNiftiLabels(edLabels, ed)),
      file('patient001_frame01.nii.gz', writeNifti(ed)),
    ]);
    const n = ed.data.length;
    expect(series.volume.dims).toEqual({ ...DIMS3, frames: 2 });
    expect(series.volume.data.subarray(0, n)).toEqual(ed.data);
    expect(series.volume.data.subarray(n)).toEqual(es.data);
    expect(series.frameNumbers).toEqual([1, 12]);
    expect(series.labelledFrames).toEqual([0]);
    expect(series.labels?.dims).toEqual(series.volume.dims);
    expect(series.labels?.data.subarray(0, n)).toEqual(edLabels.data);
    expect(series.labels?.data.subarray(n).every((v) => v === 0)).toBe(true);
    expect(series.volume.frameTimesMs).toHaveLength(2);
    expect(series.volume.meta.name).toBe('patient001 (2 frames)');
  });

  it('loads a 4D file with its 4D _gt labels', () => {
    const dims = { ...DIMS3, frames: 4 };
    const v = frame(0, dims);
    const l = labels((i) => (i * 7) % 4, dims);
    const series = loadNiftiSeries([
      file('case_gt.nii.gz', writeNiftiLabels(l, v)),
      file('case.nii.gz', writeNifti(v)),
    ]);
    expect(series.labels?.data).toEqual(l.data);
    expect(series.labelledFrames).toEqual([0, 1, 2, 3]);
    expect(series.frameNumbers).toBeUndefined();
  });

  it('loads a single image without labels', () => {
    const series = loadNiftiSeries([file('one.nii', writeNifti(frame(3), { gzip: false }))]);
    expect(series.labels).toBeUndefined();
    expect(series.labelledFrames).toBeUndefined();
    expect(series.volume.dims).toEqual(DIMS3);
  });

  it('rejects label values above 3', () => {
    const v = frame(1);
    const e = expectLoadError(() =>
      loadNiftiSeries([
        file('p_frame01.nii.gz', writeNifti(v)),
        file(
          'p_frame01_gt.nii.gz',
          writeNiftiLabels(
            labels((i) => (i === 7 ? 4 : 1)),
            v,
          ),
        ),
      ]),
    );
    expect(e.message).toMatch(/p_frame01_gt\.nii\.gz contains the label value 4/);
    expect(e.file).toBe('p_frame01_gt.nii.gz');
  });

  it('rejects frames on different grids', () => {
    const other = { ...frame(12), spacingMm: { col: 1.5, row: 1.25, slice: 10 } };
    other.affine = [1.5, 0, 0, -3, 0, 1.25, 0, -2, 0, 0, 10, 5, 0, 0, 0, 1];
    const e = expectLoadError(() =>
      loadNiftiSeries([file('p_frame01.nii.gz', writeNifti(frame(1))), file('p_frame12.nii.gz', writeNifti(other))]),
    );
    expect(e.message).toMatch(/p_frame12\.nii\.gz does not share the image grid of p_frame01\.nii\.gz/);
    const small = frame(12, { ...DIMS3, cols: 5 });
    const e2 = expectLoadError(() =>
      loadNiftiSeries([file('p_frame01.nii.gz', writeNifti(frame(1))), file('p_frame12.nii.gz', writeNifti(small))]),
    );
    expect(e2.message).toMatch(/size \(5×5×3 vs 6×5×3\)/);
  });

  it('rejects a label file alone, an unmatched label, two patients, and a 4D file among frames', () => {
    const v = frame(1);
    const gt = writeNiftiLabels(
      labels(() => 1),
      v,
    );
    expect(expectLoadError(() => loadNiftiSeries([file('p_frame01_gt.nii.gz', gt)])).message).toMatch(
      /is a label file/,
    );
    expect(
      expectLoadError(() =>
        loadNiftiSeries([
          file('p_frame01.nii.gz', writeNifti(v)),
          file('p_frame12.nii.gz', writeNifti(v)),
          file('p_frame05_gt.nii.gz', gt),
        ]),
      ).message,
    ).toMatch(/no image named p_frame05\.nii\(\.gz\)/);
    expect(
      expectLoadError(() =>
        loadNiftiSeries([file('a_frame01.nii.gz', writeNifti(v)), file('b_frame01.nii.gz', writeNifti(v))]),
      ).message,
    ).toMatch(/different series \(a, b\)/);
    const cine = frame(1, { ...DIMS3, frames: 3 });
    expect(
      expectLoadError(() =>
        loadNiftiSeries([file('a_4d.nii.gz', writeNifti(cine)), file('a_frame01.nii.gz', writeNifti(v))]),
      ).message,
    ).toMatch(/a_4d\.nii\.gz is a 4D cine/);
  });
});

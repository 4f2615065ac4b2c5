import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Volume } from '@/core/volume';
import { LoadError } from './errors';
import { NIFTI_BYTES, NiftiDatatype, readNifti, type NiftiDatatypeName } from './nifti';
import { writeNifti } from './niftiWrite';

/** An oblique affine whose entries are exact in float32. */
const AFFINE = [-1.5, 0, 0.25, 90.5, 0, -1.25, 0, 100.25, 0, 0, 8, -40, 0, 0, 0, 1];

function makeVolume(cols: number, rows: number, slices: number, frames: number, f = (i: number) => i % 251): Volume {
  const data = new Float32Array(cols * rows * slices * frames);
  for (let i = 0; i < data.length; i++) data[i] = f(i);
  return {
    data,
    dims: { cols, rows, slices, frames },
    spacingMm: { col: 1.5, row: 1.25, slice: 8 },
    affine: [...AFFINE],
    frameTimesMs: Array.from({ length: frames }, (_, i) => (frames > 1 ? 12.5 + 40 * i : Number.NaN)),
    meta: { source: 'phantom', name: 'test' },
  };
}

const file = (name: string, bytes: Uint8Array) => ({ name, path: name, bytes });

function expectLoadError(fn: () => unknown, pattern: RegExp): LoadError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(LoadError);
    expect((e as LoadError).message).toMatch(pattern);
    return e as LoadError;
  }
  throw new Error('expected a LoadError');
}

/** Patches an uncompressed header: int16 at `offset`. */
function patchInt16(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setInt16(offset, value, true);
  return copy;
}

describe('NIfTI round trip', () => {
  it.each([
    ['4D .nii.gz', 7, 5, 3, 4, true],
    ['4D .nii', 7, 5, 3, 4, false],
    ['3D .nii.gz', 6, 9, 4, 1, true],
  ])('%s reads back identical data, dims, spacing, affine and frame times', (_, c, r, s, f, gzip) => {
    const v = makeVolume(c, r, s, f, (i) => Math.sin(i) * 1000);
    const name = gzip ? 'x.nii.gz' : 'x.nii';
    const back = readNifti(file(name, writeNifti(v, { gzip })));
    expect(back.datatype).toBe('float32');
    expect(back.isLabel).toBe(false);
    expect(back.volume.dims).toEqual(v.dims);
    expect(back.volume.data).toEqual(v.data);
    expect(back.volume.spacingMm).toEqual(v.spacingMm);
    expect(back.volume.affine).toEqual(AFFINE);
    if (f > 1) {
      expect(back.frameTimesKnown).toBe(true);
      expect(back.volume.frameTimesMs).toEqual(v.frameTimesMs);
    } else {
      expect(back.frameTimesKnown).toBe(false);
      expect(back.volume.frameTimesMs).toHaveLength(1);
    }
  });

  it.each(Object.keys(NiftiDatatype) as NiftiDatatypeName[])('datatype %s round-trips integer values', (dt) => {
    const signed = !dt.startsWith('uint');
    const max = NIFTI_BYTES[dt] === 1 ? 100 : 30000;
    const v = makeVolume(5, 4, 3, 2, (i) => ((i * 37) % max) - (signed ? max / 2 : 0));
    const back = readNifti(file('x.nii.gz', writeNifti(v, { datatype: dt })));
    expect(back.datatype).toBe(dt);
    expect(back.volume.data).toEqual(v.data);
  });

  it('applies scl_slope and scl_inter', () => {
    const v = makeVolume(4, 4, 2, 1, (i) => 10 + 0.5 * i);
    const bytes = writeNifti(v, { datatype: 'int16', scale: { slope: 0.5, inter: 10 }, gzip: false });
    // Stored values are (v - 10) / 0.5 = i.
    const stored = new Int16Array(bytes.buffer.slice(352, 352 + 2 * 32));
    expect(Array.from(stored.slice(0, 4))).toEqual([0, 1, 2, 3]);
    expect(readNifti(file('x.nii', bytes)).volume.data).toEqual(v.data);
  });

  it('reads big-endian files', () => {
    const v = makeVolume(3, 2, 2, 1, (i) => i * 100 - 300);
    const le = writeNifti(v, { datatype: 'int16', gzip: false });
    const be = le.slice();
    const view = new DataView(be.buffer);
    const src = new DataView(le.buffer);
    // Swap every header field we rely on, then the voxels.
    const int32 = [0];
    const int16 = [40, 42, 44, 46, 48, 50, 52, 54, 70, 72, 252, 254];
    const float32 = [76, 80, 84, 88, 92, 108, 112, 116, 136, ...Array.from({ length: 12 }, (_, i) => 280 + 4 * i)];
    for (const o of int32) view.setInt32(o, src.getInt32(o, true), false);
    for (const o of int16) view.setInt16(o, src.getInt16(o, true), false);
    for (const o of float32) view.setFloat32(o, src.getFloat32(o, true), false);
    for (let o = 352; o < le.length; o += 2) view.setInt16(o, src.getInt16(o, true), false);
    const back = readNifti(file('be.nii', be));
    expect(back.volume.data).toEqual(v.data);
    expect(back.volume.affine).toEqual(AFFINE);
  });

  it('uses the qform when there is no sform, and pixdim when there is neither', () => {
    // An oblique, left-handed grid (as DICOM short-axis stacks often are): rotation by 30° about z
    // then a flip of the slice axis, columns scaled by the spacing (1.5, 1.25, 8).
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    const oblique = [1.5 * c, -1.25 * s, 0, 10, 1.5 * s, 1.25 * c, 0, -20, 0, 0, -8, 30, 0, 0, 0, 1];
    const v = { ...makeVolume(4, 4, 2, 1), affine: oblique };
    const bytes = writeNifti(v, { gzip: false });
    const qOnly = readNifti(file('q.nii', patchInt16(bytes, 254, 0))).volume.affine;
    oblique.forEach((x, i) => expect(qOnly[i]).toBeCloseTo(x, 5));
    // A 180° rotation (LPS-like axes) takes nifti_mat44_to_quatern's other branch.
    const flipped = [-1.5, 0, 0, 5, 0, -1.25, 0, 6, 0, 0, 8, 7, 0, 0, 0, 1];
    const bytes2 = writeNifti({ ...v, affine: flipped }, { gzip: false });
    const q2 = readNifti(file('q2.nii', patchInt16(bytes2, 254, 0))).volume.affine;
    flipped.forEach((x, i) => expect(q2[i]).toBeCloseTo(x, 5));
    const none = readNifti(file('n.nii', patchInt16(patchInt16(bytes, 254, 0), 252, 0))).volume.affine;
    expect(none).toEqual([1.5, 0, 0, 0, 0, 1.25, 0, 0, 0, 0, 8, 0, 0, 0, 0, 1]);
  });

  it('marks *_gt files as labels', () => {
    const v = makeVolume(4, 4, 2, 1, (i) => i % 4);
    expect(readNifti(file('patient001_frame01_gt.nii.gz', writeNifti(v))).isLabel).toBe(true);
  });
});

describe('NIfTI bad input', () => {
  const good = writeNifti(makeVolume(16, 16, 4, 3), { gzip: false });

  it('rejects a truncated .nii.gz naming the file', () => {
    const gz = gzipSync(good);
    const e = expectLoadError(() => readNifti(file('cut.nii.gz', gz.subarray(0, gz.length / 2))), /truncated|damaged/);
    expect(e.file).toBe('cut.nii.gz');
    expect(e.message).toContain('cut.nii.gz');
  });

  it('rejects data shorter than the header says', () => {
    expectLoadError(() => readNifti(file('short.nii', good.subarray(0, good.length - 10))), /short\.nii is truncated/);
  });

  it('rejects files that are not NIfTI', () => {
    expectLoadError(() => readNifti(file('a.nii', new Uint8Array(400))), /a\.nii is not a NIfTI image/);
    expectLoadError(() => readNifti(file('b.nii', new Uint8Array(20))), /too short/);
  });

  it('rejects zero dimensions', () => {
    expectLoadError(() => readNifti(file('z.nii', patchInt16(good, 44, 0))), /empty or invalid size \(16×0×4×3\)/);
    expectLoadError(() => readNifti(file('r.nii', patchInt16(good, 40, 0))), /invalid number of dimensions/);
  });

  it('rejects absurd dimensions', () => {
    expectLoadError(() => readNifti(file('w.nii', patchInt16(good, 42, 4096))), /implausible size/);
    expectLoadError(() => readNifti(file('s.nii', patchInt16(good, 46, 600))), /implausible size/);
    expectLoadError(() => readNifti(file('f.nii', patchInt16(good, 48, 2000))), /implausible size/);
    // Each dimension within its limit, but 2000 × 2000 × 500 × 1000 voxels in total.
    let huge = patchInt16(good, 42, 2000);
    huge = patchInt16(huge, 44, 2000);
    huge = patchInt16(huge, 46, 500);
    huge = patchInt16(huge, 48, 1000);
    expectLoadError(() => readNifti(file('t.nii', huge)), /implausible size/);
  });

  it('rejects unsupported datatypes and 5D images', () => {
    expectLoadError(() => readNifti(file('c.nii', patchInt16(good, 70, 32))), /complex64/);
    expectLoadError(() => readNifti(file('rgb.nii', patchInt16(good, 70, 128))), /RGB/);
    let fiveD = patchInt16(good, 40, 5);
    fiveD = patchInt16(fiveD, 50, 2);
    expectLoadError(() => readNifti(file('5d.nii', fiveD)), /5 dimensions/);
  });
});

describe('NIfTI hostile input', () => {
  const good = writeNifti(makeVolume(16, 16, 4, 3), { gzip: false });
  const patchFloat32 = (bytes: Uint8Array, offset: number, value: number): Uint8Array => {
    const copy = bytes.slice();
    new DataView(copy.buffer).setFloat32(offset, value, true);
    return copy;
  };

  it('refuses a .nii.gz that inflates far past the size its header describes (a gzip bomb)', () => {
    // Header: 16×16×4×3 float32 (12 KiB); then 16 MiB of zeros, which gzip to ~16 KB.
    const bomb = new Uint8Array(good.length + 16 * 1024 * 1024);
    bomb.set(good);
    const gz = gzipSync(bomb);
    expect(gz.length).toBeLessThan(50_000);
    const e = expectLoadError(() => readNifti(file('bomb.nii.gz', gz)), /bomb\.nii\.gz inflates to more than 1 MiB/);
    expect(e.message).toMatch(/header describes 16×16×4×3 float32 voxels/);
    expect(e.message).toMatch(/decompression bomb/);
    expect(e.file).toBe('bomb.nii.gz');
  });

  it('still reads a .nii.gz with a little padding after its voxels', () => {
    const padded = new Uint8Array(good.length + 4096);
    padded.set(good);
    expect(readNifti(file('padded.nii.gz', gzipSync(padded))).volume.dims).toEqual({
      cols: 16,
      rows: 16,
      slices: 4,
      frames: 3,
    });
  });

  it('says a truncated .nii.gz ends early', () => {
    const gz = gzipSync(good);
    expectLoadError(
      () => readNifti(file('cut.nii.gz', gz.subarray(0, 200))),
      /cut\.nii\.gz is truncated: its compressed data ends early/,
    );
  });

  it.each([
    [1, 0, /pixdim\[1\] \(between columns\) is 0/],
    [2, -1.25, /pixdim\[2\] \(between rows\) is negative \(-1\.25 mm\)/],
    [1, Number.NaN, /pixdim\[1\] \(between columns\) is not a number/],
    [2, 1e6, /pixdim\[2\] \(between rows\) is 1000000 mm/],
    [1, 60, /pixdim\[1\] \(between columns\) is 60 mm/],
    [3, 0, /pixdim\[3\] \(between slices\) is 0/],
    [3, 500, /pixdim\[3\] \(between slices\) is 500 mm/],
  ])('refuses pixdim[%i] = %s, naming the file and the field', (axis, value, message) => {
    const e = expectLoadError(() => readNifti(file('spacing.nii', patchFloat32(good, 76 + 4 * axis, value))), message);
    expect(e.message).toMatch(/^spacing\.nii has an implausible pixel spacing/);
    expect(e.message).toMatch(/0\.01-50 mm within a slice and 0\.01-100 mm between slices/);
    expect(e.file).toBe('spacing.nii');
  });

  it('reads plausible spacing, 1 mm headers (M&Ms) included, and converts units before checking', () => {
    let ones = patchFloat32(good, 80, 1);
    ones = patchFloat32(ones, 84, 1);
    ones = patchFloat32(ones, 88, 1);
    expect(readNifti(file('ones.nii', ones)).volume.spacingMm).toEqual({ col: 1, row: 1, slice: 1 });
    expect(readNifti(file('thick.nii', patchFloat32(good, 88, 100))).volume.spacingMm.slice).toBe(100);
    // xyzt_units = 1 (metres): 0.0015 m is 1.5 mm; 1.5 m is refused, with the value as stored.
    const metres = good.slice();
    metres[123] = 1;
    let m = patchFloat32(metres, 80, 0.0015);
    m = patchFloat32(m, 84, 0.00125);
    m = patchFloat32(m, 88, 0.008);
    const mm = readNifti(file('m.nii', m)).volume.spacingMm;
    expect(mm.col).toBeCloseTo(1.5, 4);
    expect(mm.slice).toBeCloseTo(8, 4);
    expectLoadError(
      () => readNifti(file('m2.nii', patchFloat32(metres, 80, 1.5))),
      /pixdim\[1\].*is 1500 mm \(1\.5 in the units/,
    );
  });

  it('does not read pixdim[3] of a 2D file (one slice of a 2D header counts as 1 mm)', () => {
    let flat = patchInt16(writeNifti(makeVolume(8, 8, 1, 1), { gzip: false }), 40, 2);
    flat = patchFloat32(flat, 88, 0);
    const back = readNifti(file('flat.nii', flat)).volume;
    expect(back.dims).toEqual({ cols: 8, rows: 8, slices: 1, frames: 1 });
    expect(back.spacingMm).toEqual({ col: 1.5, row: 1.25, slice: 1 });
  });

  it('refuses a damaged sizeof_hdr or vox_offset instead of throwing a library error', () => {
    const wrongSize = good.slice();
    new DataView(wrongSize.buffer).setInt32(0, 2147483647, true);
    expectLoadError(() => readNifti(file('size.nii', wrongSize)), /size\.nii has a damaged NIfTI header \(sizeof_hdr/);
    // Byte 0 like gzip's magic made the header library try to decompress the header.
    const gzipLike = good.slice();
    gzipLike[0] = 0x1f;
    expectLoadError(() => readNifti(file('g.nii', gzipLike)), /g\.nii has a damaged NIfTI header/);
    expectLoadError(
      () => readNifti(file('vox.nii', patchFloat32(good, 108, Number.NaN))),
      /vox\.nii .*vox_offset .* is NaN/,
    );
  });

  it('reads only the header bytes for the header: a damaged extension does not matter', () => {
    // Extension flag set and an extension whose size points back into the header (nifti-reader-js loops on it).
    const ext = new Uint8Array(good.length + 32);
    ext.set(good.subarray(0, 352));
    ext.set(good.subarray(352), 384);
    const view = new DataView(ext.buffer);
    view.setFloat32(108, 384, true);
    ext[348] = 1;
    view.setInt32(352, 16, true);
    view.setInt32(368, -16, true);
    expect(readNifti(file('ext.nii', ext)).volume.data).toEqual(readNifti(file('x.nii', good)).volume.data);
  });
});

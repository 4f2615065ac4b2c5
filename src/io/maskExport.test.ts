import { gunzipSync } from 'fflate';
import { readHeader } from 'nifti-reader-js';
import { describe, expect, it } from 'vitest';
import type { LabelVolume, Volume } from '@/core/volume';
import { loadFiles } from './index';
import { dicomMaskIndex, exportBaseName, maskExportFiles, type DicomMaskIndex } from './maskExport';
import { readNifti } from './nifti';
import { writeNifti } from './niftiWrite';
import { writeDicom } from './testing/writeDicom';
import type { InputFile } from './types';
import { BASE, COL_COS, NORMAL, ROW_COS, type Vec3 } from './testing/obliqueGeometry';

/** An oblique affine whose entries are exact in float32 (as a scanner's NIfTI header might hold). */
const NIFTI_AFFINE = [-1.5, 0, 0.25, 90.5, 0, -1.25, 0, 100.25, 0, 0, 8, -40, 0, 0, 0, 1];

const file = (name: string, bytes: Uint8Array): InputFile => ({ name, path: name, bytes });

/** Labels 0..3 in a pattern that differs per voxel, slice and frame. */
function labelsFor(volume: Volume): LabelVolume {
  const data = new Uint8Array(volume.data.length);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7 + Math.floor(i / 13)) % 4;
  return { data, dims: { ...volume.dims } };
}

function niftiInput(): Volume {
  const dims = { cols: 9, rows: 7, slices: 3, frames: 4 };
  const data = new Float32Array(dims.cols * dims.rows * dims.slices * dims.frames).map((_, i) => (i * 31) % 500);
  const written: Volume = {
    data,
    dims,
    spacingMm: { col: 1.5, row: 1.25, slice: 8 },
    affine: NIFTI_AFFINE,
    frameTimesMs: [0, 40, 80, 120],
    meta: { source: 'nifti', name: 'x' },
  };
  // What the app has: the volume as read from the user's file.
  return readNifti(file('patient007_4d.nii.gz', writeNifti(written, { datatype: 'int16' }))).volume;
}

/** Row-major 4x4 affine from nifti-reader-js's own header parser. */
function headerAffine(gz: Uint8Array): number[] {
  const raw = gunzipSync(gz);
  const header = readHeader(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  if (!header) throw new Error('no NIfTI header');
  return header.affine.flat();
}

describe('maskExportFiles, NIfTI input', () => {
  const volume = niftiInput();
  const labels = labelsFor(volume);
  const files = maskExportFiles(labels, volume);

  it('writes one .nii.gz named after the series and no index', () => {
    expect(files.map((f) => f.name)).toEqual(['patient007_4d_labels.nii.gz']);
    expect(dicomMaskIndex(volume, 'x')).toBeUndefined();
  });

  it('reads back with the same labels, grid, spacing, frame times and the input header affine', () => {
    const back = readNifti(file(files[0]!.name, files[0]!.bytes));
    expect(back.datatype).toBe('uint8');
    expect(back.isLabel).toBe(false);
    expect(back.volume.dims).toEqual(volume.dims);
    expect(Uint8Array.from(back.volume.data)).toEqual(labels.data);
    expect(back.volume.spacingMm).toEqual(volume.spacingMm);
    expect(back.volume.frameTimesMs).toEqual(volume.frameTimesMs);
    expect(back.volume.affine).toEqual(NIFTI_AFFINE);
    expect(headerAffine(files[0]!.bytes)).toEqual(NIFTI_AFFINE);
  });
});

const GAP = 7.5;
const SLICES = 3;
const FRAMES = 4;
const TRIGGER_MS = [0, 35, 70, 105];

/** Position of slice s in LPS (DICOM) coordinates. */
const positionLps = (s: number): Vec3 => [
  BASE[0] + s * GAP * NORMAL[0],
  BASE[1] + s * GAP * NORMAL[1],
  BASE[2] + s * GAP * NORMAL[2],
];

/** Instance numbers that sort neither by slice nor by frame. */
const instanceNumber = (s: number, f: number): number => 1 + (((s * FRAMES + f) * 7) % (SLICES * FRAMES));

function dicomInput(): Volume {
  const files: InputFile[] = [];
  // Created apex first and frames backwards, so the loader has to sort both.
  for (let s = SLICES - 1; s >= 0; s--) {
    for (let f = FRAMES - 1; f >= 0; f--) {
      const n = instanceNumber(s, f);
      files.push(
        file(
          `im${n}.dcm`,
          writeDicom({
            rows: 4,
            cols: 6,
            pixels: Array.from({ length: 24 }, (_, p) => 100 * s + 10 * f + p),
            seriesInstanceUid: '1.2.3.4',
            seriesDescription: 'SA cine',
            sopInstanceUid: `1.2.3.4.${s}.${f}`,
            imagePositionPatient: positionLps(s),
            imageOrientationPatient: [...ROW_COS, ...COL_COS],
            pixelSpacing: [0.75, 1.25],
            sliceThickness: 6,
            triggerTime: TRIGGER_MS[f],
            instanceNumber: n,
          }),
        ),
      );
    }
  }
  const outcome = loadFiles(files);
  if (outcome.kind !== 'series') throw new Error('expected one series');
  return outcome.series.volume;
}

describe('maskExportFiles, DICOM input', () => {
  const volume = dicomInput();
  const labels = labelsFor(volume);
  const files = maskExportFiles(labels, volume);
  const [nifti, json] = files;

  it('writes the labels and a JSON index named after the series description', () => {
    expect(files.map((f) => f.name)).toEqual(['SA_cine_labels.nii.gz', 'SA_cine_labels.index.json']);
  });

  it('puts the labels on the DICOM grid: voxel (0, 0, k) is slice k ImagePositionPatient, in RAS', () => {
    const back = readNifti(file(nifti!.name, nifti!.bytes)).volume;
    expect(back.dims).toEqual({ cols: 6, rows: 4, slices: SLICES, frames: FRAMES });
    expect(Uint8Array.from(back.data)).toEqual(labels.data);
    back.affine.forEach((v, i) => expect(v).toBeCloseTo(volume.affine[i]!, 4));
    headerAffine(nifti!.bytes).forEach((v, i) => expect(v).toBeCloseTo(volume.affine[i]!, 4));
    for (let k = 0; k < SLICES; k++) {
      const ras = [0, 1, 2].map((r) => back.affine[4 * r + 2]! * k + back.affine[4 * r + 3]!);
      const lps = positionLps(k);
      expect(ras[0]).toBeCloseTo(-lps[0], 3);
      expect(ras[1]).toBeCloseTo(-lps[1], 3);
      expect(ras[2]).toBeCloseTo(lps[2], 3);
    }
    // Columns run along the DICOM row direction (pixel-data orientation), spaced by the column spacing.
    expect(back.affine[0]).toBeCloseTo(-ROW_COS[0] * 1.25, 4);
    expect(back.affine[4]).toBeCloseTo(-ROW_COS[1] * 1.25, 4);
    expect(back.affine[8]).toBeCloseTo(ROW_COS[2] * 1.25, 4);
    expect(back.frameTimesMs).toEqual(TRIGGER_MS);
  });

  it('indexes every (slice, frame) with its InstanceNumber and SOPInstanceUID', () => {
    const index = JSON.parse(new TextDecoder().decode(json!.bytes)) as DicomMaskIndex;
    expect(index.format).toBe('cineseg-dicom-index/1');
    expect(index.labels).toBe('SA_cine_labels.nii.gz');
    expect(index.seriesInstanceUid).toBe('1.2.3.4');
    expect(index.frameTimesMs).toEqual(TRIGGER_MS);
    expect(index.images).toHaveLength(SLICES * FRAMES);
    for (const e of index.images) {
      expect(e.sopInstanceUid).toBe(`1.2.3.4.${e.slice}.${e.frame}`);
      expect(e.instanceNumber).toBe(instanceNumber(e.slice, e.frame));
    }
  });
});

describe('exportBaseName', () => {
  const named = (name: string) => exportBaseName({ meta: { source: 'nifti', name } });
  it('derives a safe file-name stem from the series name', () => {
    expect(named('phantom_cine.nii.gz')).toBe('phantom_cine');
    expect(named('patient001 (2 frames)')).toBe('patient001');
    expect(named('a.nii, a_gt.nii')).toBe('a');
    expect(named('SAX CINE 8mm / Kurzachse')).toBe('SAX_CINE_8mm_Kurzachse');
    expect(named('DICOM series (240 images)')).toBe('DICOM_series');
    expect(named('***')).toBe('series');
  });

  it('puts patient, study date and series number in front for DICOM, so patients never collide', () => {
    const meta = {
      source: 'dicom' as const,
      name: 'SA cine',
      patientId: 'SCD/0042',
      date: '2024-01-31',
      seriesNumber: 7,
    };
    expect(exportBaseName({ meta })).toBe('SCD_0042_20240131_S7_SA_cine');
    expect(exportBaseName({ meta: { ...meta, patientId: undefined, seriesNumber: undefined } })).toBe(
      '20240131_SA_cine',
    );
  });
});

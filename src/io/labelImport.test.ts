import { describe, expect, it } from 'vitest';
import type { LabelVolume, Volume } from '@/core/volume';
import { loadFiles } from './index';
import { maskExportFiles, type DicomMaskIndex } from './maskExport';
import { writeNiftiLabels } from './niftiWrite';
import { writeDicomCine } from './testing/writeDicom';
import type { InputFile } from './types';
import { expectLoadError, expectSeries } from './testing/loadOutcome';

const file = (name: string, bytes: Uint8Array): InputFile => ({ name, path: name, bytes });

/** A 6×5 cine of 3 slices × 4 frames, one file per image, in a scrambled order. */
function dicomSeries(uid: string): InputFile[] {
  return writeDicomCine({
    slices: 3,
    frames: 4,
    pixels: (s, f) => new Uint16Array(30).map((_, i) => i * 10 + s * 3 + f),
    common: {
      rows: 5,
      cols: 6,
      seriesInstanceUid: uid,
      seriesDescription: `cine ${uid}`,
      pixelSpacing: [1.5, 1.5],
      sliceThickness: 8,
    },
  })
    .map((image) => file(`${uid}_${image.instanceNumber}.dcm`, image.bytes))
    .reverse();
}

/** Labels that differ in every (slice, frame): value (slice + frame + pixel) % 4, frame 2 left empty. */
function labelsFor(volume: Volume): LabelVolume {
  const { cols, rows, slices, frames } = volume.dims;
  const data = new Uint8Array(cols * rows * slices * frames);
  for (let f = 0; f < frames; f++) {
    if (f === 2) continue;
    for (let s = 0; s < slices; s++) {
      for (let i = 0; i < cols * rows; i++) data[i + cols * rows * (s + slices * f)] = (s + 2 * f + i) % 4;
    }
  }
  return { data, dims: { ...volume.dims } };
}

describe('DICOM series with its saved masks', () => {
  const uid = '1.2.3.4.5';
  const series = expectSeries(dicomSeries(uid));
  const labels = labelsFor(series.volume);
  const [nifti, index] = maskExportFiles(labels, series.volume, 'cine').map((f) => file(f.name, f.bytes));

  it('reads the exported NIfTI and index back as the series’ masks', () => {
    expect(index?.name).toBe('cine_labels.index.json');
    const back = expectSeries([...dicomSeries(uid), nifti!, index!]);
    expect(back.labels?.data).toEqual(labels.data);
    expect(back.labelledFrames).toEqual([0, 1, 3]);
    expect(back.warnings).toEqual([]);
    expect(back.volume.data).toEqual(series.volume.data);
  });

  it('places each image’s labels by SOPInstanceUID when the index lists them in another order', () => {
    const json = JSON.parse(new TextDecoder().decode(index!.bytes)) as DicomMaskIndex;
    const { slices, frames, cols, rows } = series.volume.dims;
    // Reverse the slice order in the file and say so in the index.
    const flipped = new Uint8Array(labels.data.length);
    const n = cols * rows;
    for (let f = 0; f < frames; f++) {
      for (let s = 0; s < slices; s++) {
        const from = (s + slices * f) * n;
        const to = (slices - 1 - s + slices * f) * n;
        flipped.set(labels.data.subarray(from, from + n), to);
      }
    }
    const images = json.images.map((img) => ({ ...img, slice: slices - 1 - img.slice }));
    const reIndexed = file('x.index.json', new TextEncoder().encode(JSON.stringify({ ...json, images })));
    const reNifti = file('x_labels.nii.gz', writeNiftiLabels({ data: flipped, dims: labels.dims }, series.volume));
    expect(expectSeries([...dicomSeries(uid), reNifti, reIndexed]).labels?.data).toEqual(labels.data);
  });

  it('picks the series the index names from a drop of several series', () => {
    const back = expectSeries([...dicomSeries('9.8.7'), ...dicomSeries(uid), nifti!, index!]);
    expect(back.volume.meta.seriesInstanceUid).toBe(uid);
    expect(back.labels?.data).toEqual(labels.data);
  });

  it('takes the labels in series order without an index, and says so', () => {
    const back = expectSeries([...dicomSeries(uid), nifti!]);
    expect(back.labels?.data).toEqual(labels.data);
    expect(back.warnings.join(' ')).toMatch(/without its \.index\.json/);
  });

  it('refuses masks of another series or another size', () => {
    const other = expectSeries(dicomSeries('5.5.5'));
    const [otherNifti, otherIndex] = maskExportFiles(labelsFor(other.volume), other.volume, 'o').map((f) =>
      file(f.name, f.bytes),
    );
    expect(expectLoadError(() => loadFiles([...dicomSeries(uid), nifti!, otherIndex!])).message).toMatch(
      /o_labels\.index\.json belongs to another DICOM series/,
    );
    void otherNifti;
    const small: Volume = { ...series.volume, dims: { ...series.volume.dims, frames: 2 } };
    const smallNifti = file(
      'small_labels.nii.gz',
      writeNiftiLabels({ data: labels.data.slice(0, labels.data.length / 2), dims: small.dims }, small),
    );
    expect(expectLoadError(() => loadFiles([...dicomSeries(uid), smallNifti])).message).toBe(
      'small_labels.nii.gz (6×5×3×2) does not fit the DICOM series (6×5×3×4); drop the masks saved for this series.',
    );
  });

  it('refuses more than one NIfTI with a DICOM series, and a broken index', () => {
    expect(
      expectLoadError(() => loadFiles([...dicomSeries(uid), nifti!, { ...nifti!, name: 'b.nii.gz' }])).message,
    ).toMatch(/were dropped together/);
    const broken = file('cine_labels.index.json', new TextEncoder().encode('{"format": "other"}'));
    expect(expectLoadError(() => loadFiles([...dicomSeries(uid), nifti!, broken])).message).toMatch(
      /is not a cineseg mask index/,
    );
  });
});

/**
 * What cineseg accepts as input, in one place. Anything past these limits is refused with a LoadError naming the
 * file, before the memory it would need is allocated: a damaged header or a crafted file must not crash the tab.
 * The README's "Input limits" table states the same numbers.
 */

const MiB = 1024 * 1024;

export const INPUT_LIMITS = {
  /** Bytes of one file as dropped (checked before it is read), and of a .nii.gz or deflated DICOM once inflated. */
  maxFileBytes: 2048 * MiB,
  /**
   * A .nii.gz may inflate to at most the size its header describes plus this much (a writer's padding); more
   * than that is a decompression bomb or a damaged file.
   */
  gzipSlackBytes: 1 * MiB,
  /**
   * A DICOM file once its Deflated Explicit VR Little Endian data set is inflated: the largest classic image holds
   * 16 MiB of pixels, the rest is header.
   */
  maxInflatedDicomBytes: 64 * MiB,
  /** Pixels along each side of an image (columns, rows). */
  maxPixelsPerSide: 2048,
  /** Pixels of one image (columns × rows). */
  maxPixelsPerImage: 2048 * 2048,
  /** Slices of one series. */
  maxSlices: 512,
  /** Frames (time points) of one series. */
  maxFrames: 1024,
  /** Voxels of one series (all slices and frames): 1 GiB as float32, the type the app holds them in. */
  maxVoxels: 256 * MiB,
  /** Pixel spacing within a slice, mm (NIfTI pixdim[1], pixdim[2]; DICOM PixelSpacing). */
  minSpacingMm: 0.01,
  maxInPlaneSpacingMm: 50,
  /** Distance between slice centres, mm (NIfTI pixdim[3]; DICOM slice positions). */
  maxSliceSpacingMm: 100,
} as const;

/** `2048 MiB`, `1.5 KiB`, `12 bytes`: sizes in messages. */
export function formatBytes(n: number): string {
  if (n >= MiB) return `${+(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/**
 * Checks one spacing value (mm) against the limits.
 * @returns undefined when it is plausible, else why not ("is 0", "is not a number", "is -1.5 mm", "is 1000000 mm").
 */
export function spacingProblem(mm: number, kind: 'in-plane' | 'slice'): string | undefined {
  const max = kind === 'in-plane' ? INPUT_LIMITS.maxInPlaneSpacingMm : INPUT_LIMITS.maxSliceSpacingMm;
  if (Number.isNaN(mm)) return 'is not a number';
  if (mm === 0) return 'is 0';
  if (mm < 0) return `is negative (${mm} mm)`;
  if (mm < INPUT_LIMITS.minSpacingMm || mm > max) return `is ${+mm.toPrecision(6)} mm`;
  return undefined;
}

/** The accepted range of a spacing, for messages. */
export function spacingRange(kind: 'in-plane' | 'slice'): string {
  const max = kind === 'in-plane' ? INPUT_LIMITS.maxInPlaneSpacingMm : INPUT_LIMITS.maxSliceSpacingMm;
  return `${INPUT_LIMITS.minSpacingMm}-${max} mm`;
}

/** Numbers as the panel shows them: fixed decimals, a space, the unit; an em dash when unknown. */
export function formatMeasure(value: number | undefined, decimals: number, unit: string): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  const s = value.toFixed(decimals);
  return `${Number(s) === 0 ? (0).toFixed(decimals) : s} ${unit}`;
}

/**
 * Position of each slice along the slice normal, mm (as DICOM's SliceLocation): the slice origin
 * projected on the unit normal, from the volume's affine (row-major 4x4, RAS).
 */
export function slicePositionsMm(affine: readonly number[], slices: number): number[] {
  const a = (i: number): number => affine[i] ?? 0;
  const normal = [a(2), a(6), a(10)];
  const len = Math.hypot(...normal);
  if (!(len > 0)) return Array.from({ length: slices }, (_, k) => k);
  const n = normal.map((v) => v / len);
  const origin = [a(3), a(7), a(11)];
  return Array.from({ length: slices }, (_, k) => {
    let p = 0;
    for (let i = 0; i < 3; i++) p += (origin[i]! + k * normal[i]!) * n[i]!;
    return p;
  });
}

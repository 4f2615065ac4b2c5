/**
 * Label slice -> RGBA pixels for the mask overlay, one 32-bit store per pixel through a 32-bit colour lookup (no
 * per-pixel typed-array views): a 256x256 slice takes well under a millisecond, so redrawing the overlay whenever a
 * segmented frame arrives costs the main thread next to nothing. Pure: no DOM.
 */

/**
 * A 32-bit view of an RGBA lookup (4 bytes per label value, as `labelRgbaLut` makes it). Written into a 32-bit view
 * of ImageData it puts the same four bytes in place, whatever the platform's byte order.
 */
export function rgbaLut32(rgbaLut: Uint8ClampedArray): Uint32Array {
  return new Uint32Array(rgbaLut.buffer, rgbaLut.byteOffset, rgbaLut.byteLength / 4);
}

/**
 * Writes the colours of `count` labels starting at `offset` into `out` (one 32-bit RGBA pixel each; label 0 and
 * unknown labels are transparent when the lookup says so). Returns false when every label was 0 (nothing to draw).
 */
export function paintLabels(
  labels: Uint8Array,
  offset: number,
  count: number,
  lut32: Uint32Array,
  out: Uint32Array,
): boolean {
  let any = 0;
  for (let i = 0; i < count; i++) {
    const v = labels[offset + i] as number;
    any |= v;
    out[i] = lut32[v] as number;
  }
  return any !== 0;
}

/**
 * True when two label slices paint the same overlay; `undefined` stands for no mask (all background). Lets the viewer
 * skip a redraw when new model output changed other frames than the one on screen.
 */
export function sameLabels(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) {
    const other = a ?? b;
    return other === undefined || other.every((v) => v === 0);
  }
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Like `paintLabels`, but only each structure's boundary: a labelled pixel is painted when one of its 4 neighbours
 * has another label or lies outside the image, so every structure shows as a closed 1-pixel contour over the image.
 */
export function paintLabelOutline(
  labels: Uint8Array,
  offset: number,
  cols: number,
  rows: number,
  lut32: Uint32Array,
  out: Uint32Array,
): boolean {
  let any = 0;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      const i = x + cols * y;
      const v = labels[offset + i] as number;
      const edge =
        v !== 0 &&
        (x === 0 ||
          y === 0 ||
          x === cols - 1 ||
          y === rows - 1 ||
          labels[offset + i - 1] !== v ||
          labels[offset + i + 1] !== v ||
          labels[offset + i - cols] !== v ||
          labels[offset + i + cols] !== v);
      any |= v;
      out[i] = edge ? (lut32[v] as number) : 0;
    }
  }
  return any !== 0;
}

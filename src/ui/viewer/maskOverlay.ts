/**
 * Draws a label slice over the image on cornerstone's own canvas, inside the `cornerstoneimagerendered` event and in
 * cornerstone's pixel coordinate system, so the mask follows zoom, pan, flips and rotation exactly.
 */
import * as cornerstone from 'cornerstone-core';
import { sliceOffset, type LabelVolume } from '@/core/volume';
import { labelRgbaLut } from '@/ui/masks/labelColors';
import { parseImageId } from './imageId';

export interface MaskLayer {
  labels: LabelVolume;
  /** 0..1 */
  opacity: number;
  visible: boolean;
}

const lut = labelRgbaLut();
let scratch: { canvas: HTMLCanvasElement; labels: LabelVolume; offset: number; empty: boolean } | undefined;

/** Paints one label slice into a reusable canvas (cols × rows, one canvas pixel per image pixel). */
function maskCanvas(labels: LabelVolume, slice: number, frame: number): HTMLCanvasElement | undefined {
  const d = labels.dims;
  const offset = sliceOffset(d, slice, frame);
  if (scratch && scratch.labels === labels && scratch.offset === offset)
    return scratch.empty ? undefined : scratch.canvas;
  const canvas = scratch?.canvas ?? document.createElement('canvas');
  canvas.width = d.cols;
  canvas.height = d.rows;
  const ctx = canvas.getContext('2d');
  if (!ctx) return undefined;
  const img = ctx.createImageData(d.cols, d.rows);
  const n = d.cols * d.rows;
  let empty = true;
  for (let i = 0; i < n; i++) {
    const v = labels.data[offset + i] as number;
    if (v === 0) continue;
    empty = false;
    img.data.set(lut.subarray(v * 4, v * 4 + 4), i * 4);
  }
  ctx.putImageData(img, 0, 0);
  scratch = { canvas, labels, offset, empty };
  return empty ? undefined : canvas;
}

export function drawMaskOverlay(detail: cornerstone.ImageRenderedEventDetail, layer: MaskLayer | undefined): void {
  if (!layer?.visible || layer.opacity <= 0) return;
  const at = parseImageId(detail.image.imageId);
  const d = layer.labels.dims;
  if (!at || d.cols !== detail.image.columns || d.rows !== detail.image.rows) return;
  if (at.slice >= d.slices || at.frame >= d.frames) return;
  const canvas = maskCanvas(layer.labels, at.slice, at.frame);
  if (!canvas) return;
  const ctx = detail.canvasContext;
  ctx.save();
  cornerstone.setToPixelCoordinateSystem(detail.enabledElement, ctx);
  ctx.imageSmoothingEnabled = false;
  ctx.globalAlpha = layer.opacity;
  ctx.drawImage(canvas, 0, 0);
  ctx.restore();
}

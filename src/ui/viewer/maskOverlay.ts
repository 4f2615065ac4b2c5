/**
 * Draws a label slice over the image on cornerstone's own canvas, inside the `cornerstoneimagerendered` event and in
 * cornerstone's pixel coordinate system, so the mask follows zoom, pan, flips and rotation exactly.
 */
import * as cornerstone from 'cornerstone-core';
import { sliceOffset, type LabelVolume } from '@/core/volume';
import { labelRgbaLut } from '@/ui/masks/labelColors';
import { parseImageId } from './imageId';
import { paintLabelOutline, paintLabels, rgbaLut32, sameLabels } from './labelPixels';

export type MaskStyle = 'filled' | 'outline';

export interface MaskLayer {
  labels: LabelVolume;
  /** 0..1; outlines are drawn opaque whenever the mask is visible (a thin line at 45 % is hard to see). */
  opacity: number;
  visible: boolean;
  /** Filled areas (default) or each structure's contour. */
  style?: MaskStyle;
}

const lut32 = rgbaLut32(labelRgbaLut());
let scratch:
  | {
      canvas: HTMLCanvasElement;
      image: ImageData;
      labels: LabelVolume;
      offset: number;
      style: MaskStyle;
      empty: boolean;
    }
  | undefined;

/**
 * Paints one label slice into a reusable canvas (cols × rows, one canvas pixel per image pixel). The canvas and its
 * ImageData are resized only when the grid changes (resizing clears and reallocates them).
 */
function maskCanvas(
  labels: LabelVolume,
  slice: number,
  frame: number,
  style: MaskStyle,
): HTMLCanvasElement | undefined {
  const d = labels.dims;
  const offset = sliceOffset(d, slice, frame);
  if (scratch && scratch.labels === labels && scratch.offset === offset && scratch.style === style)
    return scratch.empty ? undefined : scratch.canvas;
  const canvas = scratch?.canvas ?? document.createElement('canvas');
  if (canvas.width !== d.cols || canvas.height !== d.rows) {
    canvas.width = d.cols;
    canvas.height = d.rows;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return undefined;
  const image =
    scratch && scratch.image.width === d.cols && scratch.image.height === d.rows
      ? scratch.image
      : ctx.createImageData(d.cols, d.rows);
  const out = new Uint32Array(image.data.buffer);
  const any =
    style === 'outline'
      ? paintLabelOutline(labels.data, offset, d.cols, d.rows, lut32, out)
      : paintLabels(labels.data, offset, d.cols * d.rows, lut32, out);
  ctx.putImageData(image, 0, 0);
  scratch = { canvas, image, labels, offset, style, empty: !any };
  return any ? canvas : undefined;
}

/** The label slice and opacity `layer` paints over the image `imageId` (cols × rows), or undefined for nothing. */
function paintedBy(
  layer: MaskLayer | undefined,
  imageId: string,
  cols: number,
  rows: number,
): { labels: LabelVolume; slice: number; frame: number; opacity: number; style: MaskStyle } | undefined {
  if (!layer?.visible || layer.opacity <= 0) return undefined;
  const at = parseImageId(imageId);
  const d = layer.labels.dims;
  if (!at || d.cols !== cols || d.rows !== rows) return undefined;
  if (at.slice >= d.slices || at.frame >= d.frames) return undefined;
  const style = layer.style ?? 'filled';
  return {
    labels: layer.labels,
    slice: at.slice,
    frame: at.frame,
    opacity: style === 'outline' ? 1 : layer.opacity,
    style,
  };
}

function sliceOf(p: { labels: LabelVolume; slice: number; frame: number }): Uint8Array {
  const d = p.labels.dims;
  const offset = sliceOffset(d, p.slice, p.frame);
  return p.labels.data.subarray(offset, offset + d.cols * d.rows);
}

/** What the overlay last painted (a copy of the label slice), to tell whether a new layer changes anything. */
let lastPainted: { imageId: string; opacity: number; style: MaskStyle; labels: Uint8Array | undefined } | undefined;
let snapshot = new Uint8Array(0);

/**
 * False when drawing `layer` over `image` would paint exactly what is on screen: new model output for other frames
 * (the labels are filled in place, frame by frame) then costs no redraw of the viewport.
 */
export function maskOverlayChanged(image: cornerstone.Image, layer: MaskLayer | undefined): boolean {
  if (lastPainted?.imageId !== image.imageId) return true;
  const next = paintedBy(layer, image.imageId, image.columns, image.rows);
  if (next && lastPainted.labels && (next.opacity !== lastPainted.opacity || next.style !== lastPainted.style)) {
    return true;
  }
  return !sameLabels(lastPainted.labels, next && sliceOf(next));
}

export function drawMaskOverlay(detail: cornerstone.ImageRenderedEventDetail, layer: MaskLayer | undefined): void {
  const { imageId, columns, rows } = detail.image;
  const p = paintedBy(layer, imageId, columns, rows);
  if (p) {
    const labels = sliceOf(p);
    if (snapshot.length !== labels.length) snapshot = new Uint8Array(labels.length);
    snapshot.set(labels);
  }
  lastPainted = { imageId, opacity: p?.opacity ?? 0, style: p?.style ?? 'filled', labels: p ? snapshot : undefined };
  if (!p) return;
  const canvas = maskCanvas(p.labels, p.slice, p.frame, p.style);
  if (!canvas) return;
  const ctx = detail.canvasContext;
  ctx.save();
  cornerstone.setToPixelCoordinateSystem(detail.enabledElement, ctx);
  ctx.imageSmoothingEnabled = false;
  ctx.globalAlpha = p.opacity;
  ctx.drawImage(canvas, 0, 0);
  ctx.restore();
}

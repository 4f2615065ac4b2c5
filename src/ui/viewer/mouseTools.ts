/**
 * Mouse handling for the viewport without cornerstone-tools: left-drag window/level, right-drag or wheel zoom,
 * middle-drag or shift+left-drag pan. With a mask editing tool on, the left button paints or fills instead
 * (shift+left still pans), in image pixel coordinates.
 */
import * as cornerstone from 'cornerstone-core';
import type { PixelPoint } from '@/core/maskEdit';

type DragMode = 'windowLevel' | 'zoom' | 'pan' | 'edit';

/** What the left button does while a mask editing tool is on. Points are image pixels, pixel (c, r) centred at (c, r). */
export interface EditPointer {
  mode: 'brush' | 'fill';
  start: (at: PixelPoint) => void;
  move: (at: PixelPoint) => void;
  end: () => void;
  fill: (at: PixelPoint) => void;
  /** The pointer over the image (for the brush outline), or undefined when it left. */
  hover: (at: { client: { x: number; y: number }; pixel: PixelPoint } | undefined) => void;
}

/**
 * The image pixel under a pointer event. cornerstone's pixel (c, r) spans [c, c + 1), so its centre is at c + 0.5;
 * `src/core/maskEdit` puts the centre at c.
 */
export function eventPixel(element: HTMLElement, e: { clientX: number; clientY: number }): PixelPoint | undefined {
  const canvas = element.querySelector('canvas');
  if (!canvas) return undefined;
  const rect = canvas.getBoundingClientRect();
  if (rect.width === 0 || rect.height === 0) return undefined;
  const p = cornerstone.canvasToPixel(element, {
    x: ((e.clientX - rect.left) * canvas.width) / rect.width,
    y: ((e.clientY - rect.top) * canvas.height) / rect.height,
  });
  return { x: p.x - 0.5, y: p.y - 0.5 };
}

/** CSS pixels on screen per image pixel along a row, at the current zoom. */
export function screenPxPerImagePx(element: HTMLElement): number {
  const canvas = element.querySelector('canvas');
  if (!canvas || canvas.width === 0) return 1;
  const a = cornerstone.pixelToCanvas(element, { x: 0, y: 0 });
  const b = cornerstone.pixelToCanvas(element, { x: 1, y: 0 });
  return Math.hypot(b.x - a.x, b.y - a.y) * (canvas.getBoundingClientRect().width / canvas.width);
}

const MIN_SCALE = 0.05;
const MAX_SCALE = 50;

function clampScale(s: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));
}

function dragMode(e: PointerEvent): DragMode | undefined {
  if (e.button === 0) return e.shiftKey ? 'pan' : 'windowLevel';
  if (e.button === 1) return 'pan';
  if (e.button === 2) return 'zoom';
  return undefined;
}

/**
 * Attaches the handlers; returns a function that removes them. `editPointer` is asked at each press, so the tool in
 * use can change without re-attaching.
 */
export function attachMouseTools(
  element: HTMLElement,
  editPointer: () => EditPointer | undefined = () => undefined,
): () => void {
  let drag: { mode: DragMode; x: number; y: number; pointerId: number; edit?: EditPointer } | undefined;

  const apply = (dx: number, dy: number, mode: Exclude<DragMode, 'edit'>): void => {
    const enabled = cornerstone.getEnabledElement(element);
    const vp = cornerstone.getViewport(element);
    const image = enabled.image;
    if (!vp || !image) return;
    if (mode === 'windowLevel') {
      // One screen pixel moves the window by 1/512 of the full intensity range: fine control, full reach.
      const step = Math.max((image.maxPixelValue - image.minPixelValue) * image.slope, 1e-6) / 512;
      vp.voi.windowWidth = Math.max(step, vp.voi.windowWidth + dx * step);
      vp.voi.windowCenter = vp.voi.windowCenter + dy * step;
    } else if (mode === 'zoom') {
      vp.scale = clampScale(vp.scale * Math.exp(-dy / 150));
    } else {
      vp.translation = { x: vp.translation.x + dx / vp.scale, y: vp.translation.y + dy / vp.scale };
    }
    cornerstone.setViewport(element, vp);
  };

  const onPointerDown = (e: PointerEvent): void => {
    const edit = e.button === 0 && !e.shiftKey ? editPointer() : undefined;
    const mode = edit ? 'edit' : dragMode(e);
    if (!mode || !cornerstone.getEnabledElement(element).image) return;
    e.preventDefault();
    if (edit) {
      const at = eventPixel(element, e);
      if (!at) return;
      if (edit.mode === 'fill') {
        edit.fill(at);
        return;
      }
      edit.start(at);
    }
    element.setPointerCapture(e.pointerId);
    drag = { mode, x: e.clientX, y: e.clientY, pointerId: e.pointerId, ...(edit ? { edit } : {}) };
  };
  const onPointerMove = (e: PointerEvent): void => {
    const edit = editPointer();
    if (edit) {
      const pixel = eventPixel(element, e);
      edit.hover(pixel && { client: { x: e.clientX, y: e.clientY }, pixel });
    }
    if (!drag || e.pointerId !== drag.pointerId) return;
    if (drag.edit) {
      const at = eventPixel(element, e);
      if (at) drag.edit.move(at);
      return;
    }
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    drag.x = e.clientX;
    drag.y = e.clientY;
    if (dx !== 0 || dy !== 0) apply(dx, dy, drag.mode as Exclude<DragMode, 'edit'>);
  };
  const onPointerUp = (e: PointerEvent): void => {
    if (drag?.pointerId !== e.pointerId) return;
    // The stroke ends even when the tool changed mid-drag (a key press): the edit is recorded either way.
    drag.edit?.end();
    drag = undefined;
  };
  const onPointerLeave = (): void => editPointer()?.hover(undefined);
  const onWheel = (e: WheelEvent): void => {
    if (!cornerstone.getEnabledElement(element).image) return;
    e.preventDefault();
    const vp = cornerstone.getViewport(element);
    if (!vp) return;
    vp.scale = clampScale(vp.scale * Math.exp(-e.deltaY / 500));
    cornerstone.setViewport(element, vp);
  };
  const preventDefault = (e: Event): void => e.preventDefault();
  // Middle-button press would otherwise start the browser's autoscroll.
  const onMouseDown = (e: MouseEvent): void => {
    if (e.button === 1) e.preventDefault();
  };

  element.addEventListener('pointerdown', onPointerDown);
  element.addEventListener('pointermove', onPointerMove);
  element.addEventListener('pointerup', onPointerUp);
  element.addEventListener('pointercancel', onPointerUp);
  element.addEventListener('pointerleave', onPointerLeave);
  element.addEventListener('wheel', onWheel, { passive: false });
  element.addEventListener('contextmenu', preventDefault);
  element.addEventListener('mousedown', onMouseDown);
  return () => {
    element.removeEventListener('pointerdown', onPointerDown);
    element.removeEventListener('pointermove', onPointerMove);
    element.removeEventListener('pointerup', onPointerUp);
    element.removeEventListener('pointercancel', onPointerUp);
    element.removeEventListener('pointerleave', onPointerLeave);
    element.removeEventListener('wheel', onWheel);
    element.removeEventListener('contextmenu', preventDefault);
    element.removeEventListener('mousedown', onMouseDown);
  };
}

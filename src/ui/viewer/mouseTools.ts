/**
 * Mouse handling for the viewport without cornerstone-tools: left-drag window/level, right-drag or wheel zoom,
 * middle-drag or shift+left-drag pan.
 */
import * as cornerstone from 'cornerstone-core';

type DragMode = 'windowLevel' | 'zoom' | 'pan';

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

/** Attaches the handlers; returns a function that removes them. */
export function attachMouseTools(element: HTMLElement): () => void {
  let drag: { mode: DragMode; x: number; y: number; pointerId: number } | undefined;

  const apply = (dx: number, dy: number, mode: DragMode): void => {
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
    const mode = dragMode(e);
    if (!mode || !cornerstone.getEnabledElement(element).image) return;
    e.preventDefault();
    element.setPointerCapture(e.pointerId);
    drag = { mode, x: e.clientX, y: e.clientY, pointerId: e.pointerId };
  };
  const onPointerMove = (e: PointerEvent): void => {
    if (!drag || e.pointerId !== drag.pointerId) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    drag.x = e.clientX;
    drag.y = e.clientY;
    if (dx !== 0 || dy !== 0) apply(dx, dy, drag.mode);
  };
  const onPointerUp = (e: PointerEvent): void => {
    if (drag?.pointerId === e.pointerId) drag = undefined;
  };
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
  element.addEventListener('wheel', onWheel, { passive: false });
  element.addEventListener('contextmenu', preventDefault);
  element.addEventListener('mousedown', onMouseDown);
  return () => {
    element.removeEventListener('pointerdown', onPointerDown);
    element.removeEventListener('pointermove', onPointerMove);
    element.removeEventListener('pointerup', onPointerUp);
    element.removeEventListener('pointercancel', onPointerUp);
    element.removeEventListener('wheel', onWheel);
    element.removeEventListener('contextmenu', preventDefault);
    element.removeEventListener('mousedown', onMouseDown);
  };
}

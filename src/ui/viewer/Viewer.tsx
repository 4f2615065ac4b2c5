/**
 * The image viewport: one slice of one frame of a Volume, rendered by legacy cornerstone-core, with the active mask
 * drawn over it. Slice and frame are controlled by the parent; window/level, zoom and pan live in cornerstone's
 * viewport and are kept across slices and frames of the same series.
 */
import * as cornerstone from 'cornerstone-core';
import { memo, useCallback, useEffect, useRef, useState } from 'react';
import type { Volume } from '@/core/volume';
import type { PixelPoint } from '@/core/maskEdit';
import { drawMaskOverlay, maskOverlayChanged, type MaskLayer } from './maskOverlay';
import { attachMouseTools, screenPxPerImagePx, type EditPointer } from './mouseTools';
import { registerVolume, type RegisteredSeries } from './volumeImageLoader';

export type { MaskLayer, MaskStyle } from './maskOverlay';

/** A mask editing tool on the left button; the Viewer adds the slice and frame on screen. */
export interface ViewerEdit {
  tool: 'brush' | 'eraser' | 'fill';
  /** Brush diameter, image pixels (the outline under the pointer). */
  sizePx: number;
  /** CSS colour of the brush outline. */
  color: string;
  onStrokeStart: (slice: number, frame: number, at: PixelPoint) => void;
  onStrokeMove: (at: PixelPoint) => void;
  onStrokeEnd: () => void;
  onFill: (slice: number, frame: number, at: PixelPoint) => void;
}

export interface ViewerProps {
  volume: Volume | undefined;
  slice: number;
  frame: number;
  mask: MaskLayer | undefined;
  /** A mask editing tool; undefined: the left button sets window/level. */
  edit?: ViewerEdit | undefined;
}

interface ViewState {
  windowWidth: number;
  windowCenter: number;
  scale: number;
}

/** Registration is idempotent per Volume object, so React may call this during render as often as it likes. */
let lastRegistered: RegisteredSeries | undefined;
function seriesFor(volume: Volume): RegisteredSeries {
  if (lastRegistered?.volume !== volume) lastRegistered = registerVolume(volume);
  return lastRegistered;
}

function shownImage(element: HTMLElement): cornerstone.Image | undefined {
  try {
    return cornerstone.getEnabledElement(element).image;
  } catch {
    return undefined;
  }
}

function formatNumber(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toPrecision(2);
}

export const Viewer = memo(function Viewer({ volume, slice, frame, mask, edit }: ViewerProps) {
  const elementRef = useRef<HTMLDivElement>(null);
  const maskRef = useRef(mask);
  const editRef = useRef<{ edit: ViewerEdit | undefined; slice: number; frame: number }>({ edit, slice, frame });
  const [cursor, setCursor] = useState<{ x: number; y: number; r: number } | undefined>(undefined);
  useEffect(() => {
    editRef.current = { edit, slice, frame };
  }, [edit, slice, frame]);
  const displayedKeyRef = useRef<string | undefined>(undefined);
  const [view, setView] = useState<ViewState | undefined>(undefined);
  const series = volume ? seriesFor(volume) : undefined;

  useEffect(() => {
    const element = elementRef.current;
    if (!element) return;
    cornerstone.enable(element);
    const onRendered = (e: Event): void => {
      const detail = (e as CustomEvent<cornerstone.ImageRenderedEventDetail>).detail;
      drawMaskOverlay(detail, maskRef.current);
      const { voi, scale } = detail.viewport;
      setView({ windowWidth: voi.windowWidth, windowCenter: voi.windowCenter, scale });
    };
    element.addEventListener(cornerstone.EVENTS.IMAGE_RENDERED, onRendered);
    // One pointer object for the element's life; it reads the tool, slice and frame in use at each event.
    const pointer: EditPointer = {
      get mode() {
        return editRef.current.edit?.tool === 'fill' ? 'fill' : 'brush';
      },
      start: (at) => editRef.current.edit?.onStrokeStart(editRef.current.slice, editRef.current.frame, at),
      move: (at) => editRef.current.edit?.onStrokeMove(at),
      end: () => editRef.current.edit?.onStrokeEnd(),
      fill: (at) => editRef.current.edit?.onFill(editRef.current.slice, editRef.current.frame, at),
      hover: (at) => {
        const current = editRef.current.edit;
        if (!at || !current || current.tool === 'fill') {
          setCursor(undefined);
          return;
        }
        const rect = element.getBoundingClientRect();
        const r = (current.sizePx / 2) * screenPxPerImagePx(element);
        setCursor({ x: at.client.x - rect.left, y: at.client.y - rect.top, r });
      },
    };
    const detachMouse = attachMouseTools(element, () => (editRef.current.edit ? pointer : undefined));
    const resizeObserver = new ResizeObserver(() => {
      cornerstone.resize(element, false);
    });
    resizeObserver.observe(element);
    return () => {
      resizeObserver.disconnect();
      detachMouse();
      element.removeEventListener(cornerstone.EVENTS.IMAGE_RENDERED, onRendered);
      displayedKeyRef.current = undefined;
      cornerstone.disable(element);
    };
  }, []);

  // Redraws only when the mask on screen changes: while the model segments, most new frames are not the one shown.
  useEffect(() => {
    maskRef.current = mask;
    const element = elementRef.current;
    const image = element && shownImage(element);
    if (element && image && maskOverlayChanged(image, mask)) cornerstone.updateImage(element);
  }, [mask]);

  useEffect(() => {
    const element = elementRef.current;
    if (!element || !series) return;
    let cancelled = false;
    cornerstone.loadAndCacheImage(series.imageId(slice, frame)).then(
      (image) => {
        if (cancelled) return;
        if (displayedKeyRef.current === series.key) {
          cornerstone.displayImage(element, image);
          return;
        }
        // First image of a new series: fit to the window, start from the series' robust intensity window.
        const viewport = cornerstone.getDefaultViewportForImage(element, image);
        viewport.voi = { windowWidth: series.window.width, windowCenter: series.window.center };
        displayedKeyRef.current = series.key;
        cornerstone.displayImage(element, image, viewport);
      },
      (err: unknown) => {
        console.error('cineseg viewer: could not display image', err);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [series, slice, frame]);

  const resetView = useCallback(() => {
    const element = elementRef.current;
    if (!element || !series) return;
    const image = cornerstone.getEnabledElement(element).image;
    if (!image) return;
    const viewport = cornerstone.getDefaultViewportForImage(element, image);
    viewport.voi = { windowWidth: series.window.width, windowCenter: series.window.center };
    cornerstone.setViewport(element, viewport);
  }, [series]);

  return (
    <div className="viewer">
      <div
        ref={elementRef}
        className={`viewport${edit ? ` viewport--${edit.tool}` : ''}`}
        data-testid="viewport"
        data-edit-tool={edit?.tool ?? 'none'}
        role="img"
        aria-label={volume ? `Image: slice ${slice + 1}, frame ${frame + 1}` : 'No image loaded'}
        onDoubleClick={resetView}
      />
      {cursor && edit && edit.tool !== 'fill' && (
        <div
          className="brush-cursor"
          aria-hidden="true"
          style={{
            left: cursor.x - cursor.r,
            top: cursor.y - cursor.r,
            width: 2 * cursor.r,
            height: 2 * cursor.r,
            borderColor: edit.color,
          }}
        />
      )}
      {volume ? (
        <div className="viewport-overlay" aria-hidden="true">
          <span>
            Slice {slice + 1}/{volume.dims.slices} · Frame {frame + 1}/{volume.dims.frames}
          </span>
          {view && (
            <span>
              W {formatNumber(view.windowWidth)} L {formatNumber(view.windowCenter)} · {view.scale.toFixed(2)}×
            </span>
          )}
        </div>
      ) : (
        <div className="viewport-empty">Load the sample or drop cine MRI files (NIfTI or DICOM) to start.</div>
      )}
      {volume && (
        <button type="button" className="viewport-reset" onClick={resetView} title="Reset zoom, pan and window">
          Reset view
        </button>
      )}
    </div>
  );
});

/**
 * The subset of legacy cornerstone-core 2.6 that the viewer uses (the package ships no types). Kept inside
 * src/ui/viewer/ like every other cornerstone reference, so a move to Cornerstone3D touches one folder.
 */
declare module 'cornerstone-core' {
  export interface Point {
    x: number;
    y: number;
  }

  export interface Image {
    imageId: string;
    minPixelValue: number;
    maxPixelValue: number;
    slope: number;
    intercept: number;
    windowCenter: number;
    windowWidth: number;
    getPixelData: () => Uint16Array | Int16Array | Uint8Array;
    rows: number;
    columns: number;
    height: number;
    width: number;
    color: boolean;
    rgba?: boolean;
    columnPixelSpacing: number;
    rowPixelSpacing: number;
    invert: boolean;
    sizeInBytes: number;
  }

  export interface Voi {
    windowWidth: number;
    windowCenter: number;
  }

  export interface Viewport {
    scale: number;
    translation: Point;
    voi: Voi;
    invert: boolean;
    pixelReplication: boolean;
    rotation: number;
    hflip: boolean;
    vflip: boolean;
  }

  export interface EnabledElement {
    element: HTMLElement;
    canvas: HTMLCanvasElement;
    image?: Image;
    viewport?: Viewport;
  }

  export interface ImageLoadObject {
    promise: Promise<Image>;
    cancelFn?: () => void;
  }

  export type ImageLoader = (imageId: string, options?: object) => ImageLoadObject;

  export interface ImageRenderedEventDetail {
    viewport: Viewport;
    element: HTMLElement;
    image: Image;
    enabledElement: EnabledElement;
    canvasContext: CanvasRenderingContext2D;
    renderTimeInMs: number;
  }

  export function enable(element: HTMLElement, options?: { renderer?: 'webgl' }): void;
  export function disable(element: HTMLElement): void;
  export function displayImage(element: HTMLElement, image: Image, viewport?: Partial<Viewport>): void;
  export function loadAndCacheImage(imageId: string): Promise<Image>;
  export function registerImageLoader(scheme: string, loader: ImageLoader): void;
  export function getDefaultViewportForImage(element: HTMLElement, image: Image): Viewport;
  export function getViewport(element: HTMLElement): Viewport | undefined;
  export function setViewport(element: HTMLElement, viewport: Partial<Viewport>): void;
  export function updateImage(element: HTMLElement, invalidated?: boolean): void;
  export function resize(element: HTMLElement, forceFitToWindow?: boolean): void;
  export function getEnabledElement(element: HTMLElement): EnabledElement;
  export function setToPixelCoordinateSystem(
    enabledElement: EnabledElement,
    context: CanvasRenderingContext2D,
    scale?: number,
  ): void;
  export function pixelToCanvas(element: HTMLElement, pt: Point): Point;
  export function canvasToPixel(element: HTMLElement, pt: Point): Point;

  export const imageCache: {
    purgeCache(): void;
    setMaximumSizeBytes(bytes: number): void;
  };

  export const EVENTS: {
    IMAGE_RENDERED: 'cornerstoneimagerendered';
    NEW_IMAGE: 'cornerstonenewimage';
  };
}

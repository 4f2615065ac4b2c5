/**
 * A cornerstone image loader that serves 2D images straight from an in-memory Volume: nothing is fetched, the
 * pixels never leave the page. Each loaded series gets a fresh key, and registering one purges cornerstone's cache
 * of the previous series.
 */
import * as cornerstone from 'cornerstone-core';
import { sliceView, type Volume } from '@/core/volume';
import { IMAGE_ID_SCHEME, makeImageId, parseImageId } from './imageId';
import {
  defaultWindow,
  windowFromStats,
  storedPixelMapping,
  toStoredPixels,
  type DisplayWindow,
  type StoredPixelMapping,
} from './storedPixels';

export interface RegisteredSeries {
  key: string;
  volume: Volume;
  mapping: StoredPixelMapping;
  window: DisplayWindow;
  imageId: (slice: number, frame: number) => string;
}

const registry = new Map<string, RegisteredSeries>();
let seriesCounter = 0;
let loaderRegistered = false;

function buildImage(imageId: string): cornerstone.Image {
  const parsed = parseImageId(imageId);
  const entry = parsed && registry.get(parsed.seriesKey);
  if (!parsed || !entry) throw new Error(`No series is loaded for image ${imageId}`);
  const { volume, mapping, window } = entry;
  const { dims, spacingMm } = volume;
  if (parsed.slice >= dims.slices || parsed.frame >= dims.frames) throw new Error(`Image ${imageId} is out of range`);
  const pixels = toStoredPixels(sliceView(volume.data, dims, parsed.slice, parsed.frame), mapping);
  return {
    imageId,
    minPixelValue: 0,
    maxPixelValue: mapping.maxStored,
    slope: mapping.slope,
    intercept: mapping.intercept,
    windowCenter: window.center,
    windowWidth: window.width,
    getPixelData: () => pixels,
    rows: dims.rows,
    columns: dims.cols,
    height: dims.rows,
    width: dims.cols,
    color: false,
    columnPixelSpacing: spacingMm.col,
    rowPixelSpacing: spacingMm.row,
    invert: false,
    sizeInBytes: pixels.byteLength,
  };
}

function volumeImageLoader(imageId: string): cornerstone.ImageLoadObject {
  try {
    return { promise: Promise.resolve(buildImage(imageId)) };
  } catch (e) {
    return { promise: Promise.reject(e instanceof Error ? e : new Error(String(e))) };
  }
}

/** Makes `volume` displayable and forgets every earlier series (and its cached images). */
export function registerVolume(volume: Volume): RegisteredSeries {
  if (!loaderRegistered) {
    cornerstone.registerImageLoader(IMAGE_ID_SCHEME, volumeImageLoader);
    loaderRegistered = true;
  }
  registry.clear();
  cornerstone.imageCache.purgeCache();
  seriesCounter += 1;
  const key = `s${seriesCounter}`;
  const entry: RegisteredSeries = {
    key,
    volume,
    mapping: storedPixelMapping(volume.data, volume.intensity),
    window: volume.intensity ? windowFromStats(volume.intensity) : defaultWindow(volume.data),
    imageId: (slice, frame) => makeImageId(key, slice, frame),
  };
  registry.set(key, entry);
  return entry;
}

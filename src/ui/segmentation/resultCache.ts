/**
 * Model output kept in memory per (series, model version), filled frame by frame as the worker answers, so
 * switching models back and forth or scrubbing never recomputes a frame. Plain data and functions; the hook owns
 * one cache.
 */
import type { VolumeDims } from '@/core/volume';

export interface CachedSegmentation {
  key: string;
  seriesId: number;
  modelKey: string;
  dims: VolumeDims;
  /** Labels of the whole series [frame][slice][row][col]; frames not yet segmented are 0. */
  labels: Uint8Array;
  /** 1 per segmented frame. */
  framesReady: Uint8Array;
  readyCount: number;
}

export function cacheKey(seriesId: number, modelKey: string): string {
  return `${seriesId}|${modelKey}`;
}

export function emptyEntry(seriesId: number, modelKey: string, dims: VolumeDims): CachedSegmentation {
  return {
    key: cacheKey(seriesId, modelKey),
    seriesId,
    modelKey,
    dims: { ...dims },
    labels: new Uint8Array(dims.cols * dims.rows * dims.slices * dims.frames),
    framesReady: new Uint8Array(dims.frames),
    readyCount: 0,
  };
}

/** Stores one frame's labels ([slice][row][col]); false when it was already there or does not fit. */
export function storeFrame(entry: CachedSegmentation, frame: number, labels: Uint8Array): boolean {
  const { cols, rows, slices, frames } = entry.dims;
  const size = cols * rows * slices;
  if (frame < 0 || frame >= frames || labels.length !== size || entry.framesReady[frame]) return false;
  entry.labels.set(labels, frame * size);
  entry.framesReady[frame] = 1;
  entry.readyCount++;
  return true;
}

export function isComplete(entry: CachedSegmentation): boolean {
  return entry.readyCount === entry.dims.frames;
}

/**
 * Frames still to segment, the one on screen first, then onwards in playback order (wrapping), which is what a
 * user scrubbing forwards or pressing Play sees next.
 */
export function framesToSegment(entry: CachedSegmentation, current: number): number[] {
  const n = entry.dims.frames;
  const start = Math.min(Math.max(0, current), Math.max(0, n - 1));
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    const f = (start + i) % n;
    if (!entry.framesReady[f]) order.push(f);
  }
  return order;
}

/** A small LRU: a series' labels are large (cols x rows x slices x frames bytes), keep only the recent few. */
export class ResultCache {
  private readonly entries = new Map<string, CachedSegmentation>();

  constructor(private readonly capacity = 4) {}

  get(key: string): CachedSegmentation | undefined {
    const e = this.entries.get(key);
    if (e) {
      this.entries.delete(key);
      this.entries.set(key, e);
    }
    return e;
  }

  /** Without touching recency (for results arriving in the background). */
  peek(key: string): CachedSegmentation | undefined {
    return this.entries.get(key);
  }

  getOrCreate(seriesId: number, modelKey: string, dims: VolumeDims): CachedSegmentation {
    const key = cacheKey(seriesId, modelKey);
    const found = this.get(key);
    if (found) return found;
    const e = emptyEntry(seriesId, modelKey, dims);
    this.entries.set(key, e);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return e;
  }
}

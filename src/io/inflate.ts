/**
 * Decompression with a ceiling: gzip (.nii.gz) and raw deflate (Deflated Explicit VR Little Endian DICOM) are
 * inflated in small steps and stopped as soon as the output passes a bound, so a file that inflates far beyond
 * what its header describes (a decompression bomb, or a damaged stream) costs a few MB, not the tab.
 */
import { Gunzip, Inflate } from 'fflate';

/**
 * Input is fed in steps sized from the room left under the bound and the expansion seen so far, between 4 KiB and
 * 64 KiB: large steps for ordinary data (as fast as one-shot inflating), small ones once the data expands a lot. Deflate
 * expands at most 1032:1, so the bound is passed by at most 64 KiB × 1032 (66 MB), and by ~4 MB for a plain bomb.
 */
const MIN_STEP_BYTES = 4 * 1024;
const MAX_STEP_BYTES = 64 * 1024;
/** Steps are sized so that this many of them, at the expansion seen so far, would fill the room. */
const STEPS_PER_ROOM = 8;

/** The output passed `limitBytes`. */
export class InflateLimitError extends Error {
  readonly limitBytes: number;
  constructor(limitBytes: number) {
    super(`inflates to more than ${limitBytes} bytes`);
    this.name = 'InflateLimitError';
    this.limitBytes = limitBytes;
  }
}

export interface InflateBound {
  /** The most output allowed, bytes. */
  maxBytes: number;
  /**
   * Once `peekBytes` of output are there, called with them to tighten the bound (e.g. from a NIfTI header: the size
   * it describes plus slack). It may throw to stop at once (a header that is already unusable).
   */
  peekBytes?: number;
  refine?: (head: Uint8Array) => number;
}

/**
 * Inflates `data` (`gzip`: a gzip member; `deflate`: raw deflate) up to the bound.
 * @throws InflateLimitError past the bound; fflate's own Error for damaged or truncated data (its message says
 *   which, e.g. "unexpected EOF"); whatever `refine` throws.
 */
export function inflateBounded(data: Uint8Array, format: 'gzip' | 'deflate', bound: InflateBound): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let limit = bound.maxBytes;
  let refined = bound.refine === undefined;
  const onData = (chunk: Uint8Array): void => {
    chunks.push(chunk);
    total += chunk.length;
    if (!refined && total >= (bound.peekBytes ?? 0)) {
      refined = true;
      limit = Math.min(limit, bound.refine?.(concat(chunks, total)) ?? limit);
    }
    if (total > limit) throw new InflateLimitError(limit);
  };
  const stream = format === 'gzip' ? new Gunzip({}, onData) : new Inflate({}, onData);
  if (data.length === 0) stream.push(data, true);
  for (let at = 0; at < data.length;) {
    // Until the bound is refined, the room is what the peek needs: the first step is the smallest.
    const room = (refined ? limit : (bound.peekBytes ?? 0)) - total;
    const expansion = at > 0 ? Math.max(1, total / at) : Infinity;
    const step = Math.min(MAX_STEP_BYTES, Math.max(MIN_STEP_BYTES, Math.floor(room / (expansion * STEPS_PER_ROOM))));
    const end = Math.min(data.length, at + step);
    stream.push(data.subarray(at, end), end === data.length);
    at = end;
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : concat(chunks, total);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

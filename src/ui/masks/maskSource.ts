/**
 * Where a mask shown over the image comes from: labels read from the user's files (e.g. ACDC `_gt` files), or the
 * segmentation model's output, added by the segmentation hook (src/ui/segmentation) with `kind: 'model'`.
 * The viewer, legend and measurements panel only see the active source's LabelVolume.
 *
 * Model output arrives frame by frame: `framesReady[f]` is 1 once frame f is segmented; frames not yet segmented
 * hold 0 (background) labels, so they show no mask. `complete` is true when every frame is segmented; consumers
 * that need the whole cycle (ED/ES, EF) should wait for it. Each update is a new source object with a new
 * LabelVolume wrapper (the label buffer itself is filled in place), so identity checks see the change.
 *
 * Hand edits (`useMaskEditing`) go into a source of their own, `kind: 'edited'`, started from a copy of another
 * source, so the model's or the file's masks stay available. Each committed edit hands over a new label buffer:
 * the measurements count a frame once per buffer (src/ui/measurements/frameCounts.ts).
 */
import type { LabelVolume } from '@/core/volume';

export type MaskSource =
  | { kind: 'file'; id: string; title: string; labels: LabelVolume }
  | {
      kind: 'model';
      id: string;
      title: string;
      labels: LabelVolume;
      modelId: string;
      modelVersion: string;
      /** One entry per frame: 1 when the model has segmented it. */
      framesReady: Uint8Array;
      complete: boolean;
    }
  | {
      kind: 'edited';
      id: string;
      title: string;
      labels: LabelVolume;
      /** The source the edits started from, and what it was (for the CSV's model rows). */
      baseId: string | undefined;
      base: MaskOriginOf;
      /** One entry per frame: 1 when the frame has masks (from the base or drawn by hand). */
      framesReady: Uint8Array;
      /** One entry per (slice, frame), index `slice + slices * frame`: 1 where the labels differ from the base's. */
      editedSlices: Uint8Array;
      complete: boolean;
    };

/** What a non-edited source is, as the reports name it. */
export type MaskOriginOf = { kind: 'file' } | { kind: 'model'; modelId: string; modelVersion: string };

export const FILE_MASK_ID = 'file';

/** Id of a model's mask source (one per model version). */
export function modelMaskId(modelId: string, modelVersion: string): string {
  return `model:${modelId}@${modelVersion}`;
}

export const EDITED_MASK_ID = 'edited';

/** Where `mask` came from, for reports: an edited source reports its base. */
export function maskOrigin(mask: MaskSource): MaskOriginOf {
  if (mask.kind === 'edited') return mask.base;
  return mask.kind === 'model'
    ? { kind: 'model', modelId: mask.modelId, modelVersion: mask.modelVersion }
    : { kind: 'file' };
}

/** Per frame, the 0-based slices edited by hand; `undefined` for a source that is not an edited one. */
export function editedSlicesByFrame(mask: MaskSource): number[][] | undefined {
  if (mask.kind !== 'edited') return undefined;
  const { slices, frames } = mask.labels.dims;
  return Array.from({ length: frames }, (_, f) => {
    const out: number[] = [];
    for (let s = 0; s < slices; s++) if (mask.editedSlices[s + slices * f]) out.push(s);
    return out;
  });
}

/** One flag per frame (any slice edited) and per slice (edited in any frame); `undefined` when not edited. */
export function editedMarks(mask: MaskSource | undefined): { frames: boolean[]; slices: boolean[] } | undefined {
  if (mask?.kind !== 'edited') return undefined;
  const { slices, frames } = mask.labels.dims;
  const f = new Array<boolean>(frames).fill(false);
  const s = new Array<boolean>(slices).fill(false);
  mask.editedSlices.forEach((v, i) => {
    if (!v) return;
    s[i % slices] = true;
    f[Math.floor(i / slices)] = true;
  });
  return { frames: f, slices: s };
}

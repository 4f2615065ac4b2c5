/**
 * Where a mask shown over the image comes from: labels read from the user's files (e.g. ACDC `_gt` files), or the
 * segmentation model's output, added by the segmentation hook (src/ui/segmentation) with `kind: 'model'`.
 * The viewer, legend and measurements panel only see the active source's LabelVolume.
 *
 * Model output arrives frame by frame: `framesReady[f]` is 1 once frame f is segmented; frames not yet segmented
 * hold 0 (background) labels, so they show no mask. `complete` is true when every frame is segmented; consumers
 * that need the whole cycle (ED/ES, EF) should wait for it. Each update is a new source object with a new
 * LabelVolume wrapper (the label buffer itself is filled in place), so identity checks see the change.
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
    };

export const FILE_MASK_ID = 'file';

/** Id of a model's mask source (one per model version). */
export function modelMaskId(modelId: string, modelVersion: string): string {
  return `model:${modelId}@${modelVersion}`;
}

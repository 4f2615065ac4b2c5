/**
 * Where a mask shown over the image comes from. Today: labels read from the user's files (e.g. ACDC `_gt`
 * files). Later: the segmentation model's output, added by the segment worker's UI hook with `kind: 'model'`.
 * The viewer, legend and measurements panel only see the active source's LabelVolume.
 */
import type { LabelVolume } from '@/core/volume';

export type MaskSource =
  | { kind: 'file'; id: string; title: string; labels: LabelVolume }
  | { kind: 'model'; id: string; title: string; labels: LabelVolume; modelId: string; modelVersion: string };

export const FILE_MASK_ID = 'file';

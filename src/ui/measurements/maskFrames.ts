/**
 * Which frames of a mask source hold a segmentation: labels from file may cover only some frames (ACDC
 * labels ED and ES only: `LoadedSeries.labelledFrames`), and a model's output fills in frame by frame.
 */
import type { MaskSource } from '@/ui/masks/maskSource';

/**
 * One flag per frame: a model source's own `framesReady` (its output arrives frame by frame); labels from
 * file are ready on `labelledFrames` (all frames when not given).
 */
export function maskFramesReady(
  mask: MaskSource,
  frames: number,
  labelledFrames: readonly number[] | undefined,
): boolean[] {
  if (mask.kind !== 'file') {
    return Array.from({ length: frames }, (_, f) => (mask.framesReady[f] ?? 0) !== 0);
  }
  if (labelledFrames) {
    const ready = new Array<boolean>(frames).fill(false);
    for (const f of labelledFrames) if (f >= 0 && f < frames) ready[f] = true;
    return ready;
  }
  return new Array<boolean>(frames).fill(true);
}

/** "from file labels" or "model student 1.0.0": shown in the panel and matching the CSV's model rows. */
export function maskOriginText(mask: MaskSource): string {
  if (mask.kind === 'edited') {
    const base = mask.base.kind === 'file' ? 'file labels' : `model ${mask.base.modelId} ${mask.base.modelVersion}`;
    return `edited by hand, from ${base}`;
  }
  return mask.kind === 'file' ? 'from file labels' : `model ${mask.modelId} ${mask.modelVersion}`;
}

/**
 * True when the source will get no more frames: labels from file are what they are (ACDC: ED and ES only); a
 * model's masks, and edits started from them, are complete once every frame is segmented.
 */
export function maskIsComplete(mask: MaskSource): boolean {
  return mask.kind === 'file' || mask.complete;
}

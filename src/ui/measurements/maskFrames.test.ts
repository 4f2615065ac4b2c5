import { describe, expect, it } from 'vitest';
import type { LabelVolume } from '@/core/volume';
import type { MaskSource } from '@/ui/masks/maskSource';
import { maskFramesReady, maskOriginText } from './maskFrames';

const labels: LabelVolume = { data: new Uint8Array(0), dims: { cols: 0, rows: 0, slices: 0, frames: 4 } };
const file: MaskSource = { kind: 'file', id: 'file', title: 'Labels from file', labels };
const model: MaskSource = {
  kind: 'model',
  id: 'm',
  title: 'm',
  labels,
  modelId: 'student',
  modelVersion: '1.0.0',
  framesReady: new Uint8Array([0, 1, 1, 0]),
  complete: false,
};

describe('maskFramesReady', () => {
  it('file labels: the labelled frames (ACDC ED/ES), else all', () => {
    expect(maskFramesReady(file, 4, [0, 2])).toEqual([true, false, true, false]);
    expect(maskFramesReady(file, 4, undefined)).toEqual([true, true, true, true]);
  });

  it('model output: the frames segmented so far', () => {
    expect(maskFramesReady(model, 4, [0])).toEqual([false, true, true, false]);
  });

  it('names the origin', () => {
    expect(maskOriginText(file)).toBe('from file labels');
    expect(maskOriginText(model)).toBe('model student 1.0.0');
  });
});

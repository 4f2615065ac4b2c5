import { describe, expect, it } from 'vitest';
import {
  acquisitionFrameIntervalMs,
  clampIndex,
  FALLBACK_FRAME_INTERVAL_MS,
  playbackIntervalMs,
  stepWrapped,
} from './playback';

describe('acquisitionFrameIntervalMs', () => {
  it('is the median step of the trigger times', () => {
    expect(acquisitionFrameIntervalMs([0, 38, 76, 114, 160])).toBe(38);
    expect(acquisitionFrameIntervalMs([12.5, 45.7, 78.9])).toBeCloseTo(33.2, 6);
  });

  it('is undefined for missing, constant or implausible times', () => {
    expect(acquisitionFrameIntervalMs([])).toBeUndefined();
    expect(acquisitionFrameIntervalMs([0])).toBeUndefined();
    expect(acquisitionFrameIntervalMs([0, 0, 0])).toBeUndefined();
    expect(acquisitionFrameIntervalMs([0, 2000, 4000])).toBeUndefined();
  });

  it('falls back to 25 fps for playback', () => {
    expect(FALLBACK_FRAME_INTERVAL_MS).toBe(40);
    expect(playbackIntervalMs([0, 0])).toBe(40);
    expect(playbackIntervalMs([0, 50, 100])).toBe(50);
  });
});

describe('frame stepping', () => {
  it('wraps frames and clamps slices', () => {
    expect(stepWrapped(19, 1, 20)).toBe(0);
    expect(stepWrapped(0, -1, 20)).toBe(19);
    expect(stepWrapped(5, 0, 0)).toBe(0);
    expect(clampIndex(12, 12)).toBe(11);
    expect(clampIndex(-1, 12)).toBe(0);
  });
});

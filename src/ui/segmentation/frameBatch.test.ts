import { describe, expect, it } from 'vitest';
import { frameBatch, type FrameScheduler } from './frameBatch';

/** A hand-driven animation-frame clock. */
function fakeFrames(): FrameScheduler & { tick: () => void; queued: () => number } {
  let next = 1;
  const callbacks = new Map<number, () => void>();
  return {
    request: (cb) => {
      callbacks.set(next, cb);
      return next++;
    },
    cancel: (handle) => {
      callbacks.delete(handle);
    },
    tick: () => {
      const due = [...callbacks.values()];
      callbacks.clear();
      due.forEach((cb) => cb());
    },
    queued: () => callbacks.size,
  };
}

describe('frameBatch', () => {
  it('flushes once per frame however many notifications came before it', () => {
    const frames = fakeFrames();
    let flushes = 0;
    const batch = frameBatch(() => flushes++, frames);
    batch.notify();
    batch.notify();
    batch.notify();
    expect(frames.queued()).toBe(1);
    expect(flushes).toBe(0);
    frames.tick();
    expect(flushes).toBe(1);
    frames.tick();
    expect(flushes).toBe(1);
  });

  it('asks for a new frame after a flush', () => {
    const frames = fakeFrames();
    let flushes = 0;
    const batch = frameBatch(() => flushes++, frames);
    batch.notify();
    frames.tick();
    batch.notify();
    expect(frames.queued()).toBe(1);
    frames.tick();
    expect(flushes).toBe(2);
  });

  it('cancel drops the pending flush, and later notifications schedule again', () => {
    const frames = fakeFrames();
    let flushes = 0;
    const batch = frameBatch(() => flushes++, frames);
    batch.notify();
    batch.cancel();
    expect(frames.queued()).toBe(0);
    frames.tick();
    expect(flushes).toBe(0);
    batch.notify();
    frames.tick();
    expect(flushes).toBe(1);
  });
});

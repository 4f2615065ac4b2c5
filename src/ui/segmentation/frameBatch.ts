/**
 * Coalesces notifications into at most one flush per animation frame. Segmentation results can arrive in bursts (a
 * busy main thread reads several queued worker messages back to back); each used to re-render the app, so the page
 * rendered N times in a row for what the screen shows once. The results themselves are stored at once; only the
 * re-render waits for the next frame. In a hidden tab animation frames pause, and so do the re-renders.
 */
export interface FrameBatch {
  /** Asks for a flush in the next animation frame (one, however often it is asked before). */
  notify: () => void;
  /** Drops a pending flush (unmount). */
  cancel: () => void;
}

export interface FrameScheduler {
  request: (cb: () => void) => number;
  cancel: (handle: number) => void;
}

const animationFrames: FrameScheduler = {
  request: (cb) => requestAnimationFrame(cb),
  cancel: (handle) => cancelAnimationFrame(handle),
};

export function frameBatch(flush: () => void, scheduler: FrameScheduler = animationFrames): FrameBatch {
  let pending: number | undefined;
  return {
    notify: () => {
      if (pending !== undefined) return;
      pending = scheduler.request(() => {
        pending = undefined;
        flush();
      });
    },
    cancel: () => {
      if (pending !== undefined) scheduler.cancel(pending);
      pending = undefined;
    },
  };
}

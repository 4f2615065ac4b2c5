import { useEffect } from 'react';
import type { Cine } from './useCine';

/** True where a key press belongs to what the user is typing. Range sliders are not text: our keys win there. */
function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) {
    return true;
  }
  if (target instanceof HTMLInputElement) {
    return !['range', 'checkbox', 'radio', 'button', 'submit', 'reset', 'file'].includes(target.type);
  }
  return false;
}

/** ArrowUp/ArrowDown: slice; ArrowLeft/ArrowRight: frame; Space: play/pause. */
export function useCineKeys(cine: Cine, enabled: boolean): void {
  const { stepSlice, stepFrame, togglePlay } = cine;
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (e: KeyboardEvent): void => {
      if (e.altKey || e.ctrlKey || e.metaKey || isTextEntry(e.target)) return;
      const actions: Record<string, () => void> = {
        ArrowUp: () => stepSlice(1),
        ArrowDown: () => stepSlice(-1),
        ArrowRight: () => stepFrame(1),
        ArrowLeft: () => stepFrame(-1),
        ' ': togglePlay,
      };
      const action = actions[e.key];
      if (!action) return;
      // Also stops a focused slider from moving on its own and a focused button from being clicked by Space.
      e.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled, stepSlice, stepFrame, togglePlay]);
}

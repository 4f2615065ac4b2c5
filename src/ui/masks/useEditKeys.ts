import { useEffect } from 'react';
import { Label } from '@/core/labels';
import type { MaskEditing } from './useMaskEditing';

/** True where a key press belongs to what the user is typing (as in useCineKeys). */
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

/**
 * Mask editing keys (listed in the toolbar, `EDIT_SHORTCUTS`): B brush, E eraser, F fill, V or Escape navigate,
 * 1/2/3 structure, [ and ] brush size, Ctrl/Cmd+Z undo, Ctrl/Cmd+Shift+Z or Ctrl+Y redo, O outline on/off.
 */
export function useEditKeys(editing: MaskEditing, onToggleOutline: () => void, enabled: boolean): void {
  const { setTool, setLabel, setSizePx, sizePx, undo, redo } = editing;
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (e: KeyboardEvent): void => {
      if (e.altKey || isTextEntry(e.target)) return;
      const key = e.key.toLowerCase();
      if (e.ctrlKey || e.metaKey) {
        if (key === 'z' && !e.shiftKey) undo();
        else if ((key === 'z' && e.shiftKey) || key === 'y') redo();
        else return;
        e.preventDefault();
        return;
      }
      const step = Math.max(1, Math.round(sizePx / 5));
      const actions: Record<string, () => void> = {
        b: () => setTool('brush'),
        e: () => setTool('eraser'),
        f: () => setTool('fill'),
        v: () => setTool('navigate'),
        escape: () => setTool('navigate'),
        '1': () => setLabel(Label.RVCavity),
        '2': () => setLabel(Label.Myocardium),
        '3': () => setLabel(Label.LVCavity),
        '[': () => setSizePx(sizePx - step),
        ']': () => setSizePx(sizePx + step),
        o: onToggleOutline,
      };
      const action = actions[key];
      if (!action) return;
      e.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled, setTool, setLabel, setSizePx, sizePx, undo, redo, onToggleOutline]);
}

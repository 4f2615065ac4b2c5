import { memo } from 'react';
import { cssColor, LEGEND } from './labelColors';
import { BRUSH_SIZES_PX, type EditTool, type MaskEditing } from './useMaskEditing';
import './editing.css';

export interface EditToolbarProps {
  editing: MaskEditing;
  /** Title of the mask the first edit will start from (the source on screen). */
  startsFrom: string | undefined;
  /** The slice on screen differs from the mask it was edited from. */
  sliceEdited: boolean;
}

const TOOLS: { tool: EditTool; name: string; key: string; help: string }[] = [
  { tool: 'navigate', name: 'Navigate', key: 'V', help: 'left-drag sets window/level (V or Esc)' },
  { tool: 'brush', name: 'Brush', key: 'B', help: 'paint the chosen structure (B)' },
  { tool: 'eraser', name: 'Eraser', key: 'E', help: 'erase the chosen structure only (E)' },
  {
    tool: 'fill',
    name: 'Fill',
    key: 'F',
    help: 'click inside an enclosed region to fill it with the chosen structure (F)',
  },
];

export const EDIT_SHORTCUTS =
  'B brush · E eraser · F fill · V/Esc navigate · 1 RV, 2 myocardium, 3 LV cavity · [ ] brush size · ' +
  'Ctrl+Z undo · Ctrl+Shift+Z or Ctrl+Y redo · O outline · Shift-drag pans while editing';

/** Mask editing tools above the viewer: tool, structure, brush size, undo / redo, discard. */
export const EditToolbar = memo(function EditToolbar({ editing: e, startsFrom, sliceEdited }: EditToolbarProps) {
  const drawing = e.tool !== 'navigate';
  return (
    <section className="edit-toolbar" aria-label="Mask editing" data-testid="edit-toolbar">
      <div className="edit-row">
        <div className="edit-group" role="group" aria-label="Tool">
          {TOOLS.map((t) => (
            <button
              key={t.tool}
              type="button"
              className={`button button--small${e.tool === t.tool ? ' button--active' : ''}`}
              aria-pressed={e.tool === t.tool}
              title={`${t.name}: ${t.help}`}
              onClick={() => e.setTool(t.tool)}
              data-testid={`edit-tool-${t.tool}`}
            >
              {t.name} <kbd>{t.key}</kbd>
            </button>
          ))}
        </div>
        <div className="edit-group" role="group" aria-label="Structure">
          {LEGEND.map((entry, i) => (
            <button
              key={entry.label}
              type="button"
              className={`button button--small edit-label${e.label === entry.label ? ' button--active' : ''}`}
              aria-pressed={e.label === entry.label}
              title={`Edit the ${entry.name} (${i + 1})`}
              onClick={() => e.setLabel(entry.label)}
              data-testid={`edit-label-${entry.label}`}
            >
              <span className="swatch" style={{ background: cssColor(entry.color) }} aria-hidden="true" />
              {entry.name} <kbd>{i + 1}</kbd>
            </button>
          ))}
        </div>
        <label className="edit-size" title="Brush and eraser diameter in image pixels ([ and ])">
          <span>Size {e.sizePx} px</span>
          <input
            type="range"
            min={BRUSH_SIZES_PX.min}
            max={BRUSH_SIZES_PX.max}
            value={e.sizePx}
            onChange={(ev) => e.setSizePx(Number(ev.currentTarget.value))}
            aria-label="Brush size (pixels)"
            data-testid="brush-size"
          />
        </label>
        <div className="edit-group" role="group" aria-label="History">
          <button
            type="button"
            className="button button--small"
            disabled={!e.canUndo}
            onClick={e.undo}
            title="Undo (Ctrl+Z)"
            data-testid="edit-undo"
          >
            Undo
          </button>
          <button
            type="button"
            className="button button--small"
            disabled={!e.canRedo}
            onClick={e.redo}
            title="Redo (Ctrl+Shift+Z or Ctrl+Y)"
            data-testid="edit-redo"
          >
            Redo
          </button>
          <button
            type="button"
            className="button button--small"
            disabled={!e.editing}
            onClick={e.discard}
            title="Remove the edited masks; the original masks stay"
            data-testid="edit-discard"
          >
            Discard edits
          </button>
        </div>
      </div>
      <p className="edit-status muted" data-testid="edit-status">
        {e.note ? (
          <span className="edit-note" role="status" data-testid="edit-note">
            {e.note}
          </span>
        ) : e.editing ? (
          <>
            Editing the mask source “Edited”; the original stays in the source list.
            {sliceEdited && (
              <span className="edit-badge" data-testid="slice-edited-badge">
                {' '}
                This slice is edited.
              </span>
            )}
          </>
        ) : drawing ? (
          `The first edit starts the mask source “Edited” from ${startsFrom ?? 'an empty mask'}.`
        ) : (
          'Pick Brush, Eraser or Fill to correct the masks on this slice and frame.'
        )}
      </p>
      <p className="edit-keys muted" data-testid="edit-shortcuts">
        Keys: {EDIT_SHORTCUTS}
      </p>
    </section>
  );
});

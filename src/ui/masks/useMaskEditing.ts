/**
 * Hand correction of the masks: brush, eraser and fill per structure on the slice and frame on screen, with undo and
 * redo. Edits go into a mask source of their own (`kind: 'edited'`), started from a copy of the source on screen
 * when the first edit is made, so the model's or the file's masks stay available beside it. The pixel work is
 * `src/core/maskEdit.ts`; this hook keeps the buffer, the history and the tool settings.
 *
 * During a drag the strokes are painted into the edited buffer in place and only the viewer redraws (`liveLabels`);
 * when the drag ends the edit is recorded and the source gets a new buffer, so the measurements recount it.
 * While a model is still segmenting the base, frames it finishes later are copied in, except slices edited by hand.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Label, type LabelValue } from '@/core/labels';
import {
  brushSegment,
  diffSlice,
  EMPTY_HISTORY,
  fillEnclosedRegion,
  recordEdit,
  redoEdit,
  undoEdit,
  type EditHistory,
  type PixelPoint,
  type SliceEdit,
} from '@/core/maskEdit';
import { sliceOffset, type LabelVolume, type VolumeDims } from '@/core/volume';
import { EDITED_MASK_ID, maskOrigin, type MaskOriginOf, type MaskSource } from './maskSource';
import type { MaskSources } from './useMaskSources';

export type EditTool = 'navigate' | 'brush' | 'eraser' | 'fill';
export type EditLabel = Exclude<LabelValue, 0>;

export const BRUSH_SIZES_PX = { min: 1, max: 40, initial: 6 } as const;

export interface MaskEditing {
  tool: EditTool;
  setTool: (tool: EditTool) => void;
  label: EditLabel;
  setLabel: (label: EditLabel) => void;
  /** Brush and eraser diameter, image pixels. */
  sizePx: number;
  setSizePx: (px: number) => void;
  /** The edited source exists for this series. */
  editing: boolean;
  canUndo: boolean;
  canRedo: boolean;
  undo: () => void;
  redo: () => void;
  /** Drops the edited source (the original stays). */
  discard: () => void;
  /** A short note on the last action that did nothing ("not an enclosed region"). */
  note: string | undefined;
  /** The edited labels while a drag paints them in place (a new wrapper per move), for the viewer only. */
  liveLabels: LabelVolume | undefined;
  strokeStart: (slice: number, frame: number, at: PixelPoint) => void;
  strokeMove: (at: PixelPoint) => void;
  strokeEnd: () => void;
  fillAt: (slice: number, frame: number, at: PixelPoint) => void;
}

interface Session {
  seriesId: number;
  baseId: string | undefined;
  base: MaskOriginOf;
  baseTitle: string;
  dims: VolumeDims;
  data: Uint8Array;
  /** Frames with masks (from the base or drawn). */
  framesReady: Uint8Array;
  /** Frames copied from the base (ready there when copied). */
  copied: Uint8Array;
  edited: Uint8Array;
}

interface Stroke {
  slice: number;
  frame: number;
  before: Uint8Array;
  last: PixelPoint;
}

function baseReady(base: MaskSource | undefined, frames: number, labelledFrames: readonly number[] | undefined) {
  const ready = new Uint8Array(frames);
  if (!base) return ready;
  if (base.kind !== 'file') return ready.map((_, f) => (base.framesReady[f] ? 1 : 0));
  if (!labelledFrames) return ready.fill(1);
  for (const f of labelledFrames) if (f >= 0 && f < frames) ready[f] = 1;
  return ready;
}

function sameSlice(a: Uint8Array, ao: number, b: Uint8Array, bo: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[ao + i] !== b[bo + i]) return false;
  return true;
}

/**
 * @param sources the series' mask sources (the edited one is added to them)
 * @param labelledFrames frames the file labels cover (ACDC: ED and ES), as the measurements take them
 * @param onJump shows the slice and frame an undo or redo changed
 */
export function useMaskEditing(
  seriesId: number | undefined,
  dims: VolumeDims | undefined,
  sources: MaskSources,
  labelledFrames: readonly number[] | undefined,
  onJump: (slice: number, frame: number) => void,
): MaskEditing {
  const [tool, setTool] = useState<EditTool>('navigate');
  const [label, setLabel] = useState<EditLabel>(Label.LVCavity);
  const [sizePx, setSizeState] = useState<number>(BRUSH_SIZES_PX.initial);
  const [history, setHistory] = useState<{ seriesId: number | undefined; h: EditHistory }>({
    seriesId,
    h: EMPTY_HISTORY,
  });
  // Tagged with their series, so another series starts without them (no reset effect needed).
  const [noteOf, setNoteOf] = useState<{ seriesId: number | undefined; text: string | undefined }>({
    seriesId,
    text: undefined,
  });
  const [liveOf, setLiveOf] = useState<{ seriesId: number | undefined; labels: LabelVolume | undefined }>({
    seriesId,
    labels: undefined,
  });
  const note = noteOf.seriesId === seriesId ? noteOf.text : undefined;
  const liveLabels = liveOf.seriesId === seriesId ? liveOf.labels : undefined;
  const setNote = useCallback((text: string | undefined) => setNoteOf({ seriesId, text }), [seriesId]);
  const setLiveLabels = useCallback((labels: LabelVolume | undefined) => setLiveOf({ seriesId, labels }), [seriesId]);
  const sessionRef = useRef<Session | undefined>(undefined);
  const strokeRef = useRef<Stroke | undefined>(undefined);
  const { addSource, removeSource, active } = sources;
  const allSources = sources.sources;

  const h = history.seriesId === seriesId ? history.h : EMPTY_HISTORY;

  // Another series: the edits of the previous one are gone with its sources.
  useEffect(() => {
    if (sessionRef.current && sessionRef.current.seriesId !== seriesId) sessionRef.current = undefined;
    strokeRef.current = undefined;
  }, [seriesId]);

  const publish = useCallback(
    (s: Session, activate: boolean) => {
      // A new buffer per committed edit: counts are kept per buffer (see the module comment).
      s.data = s.data.slice();
      const { slices, frames } = s.dims;
      for (let f = 0; f < frames; f++) {
        if (s.copied[f]) continue;
        let any = 0;
        for (let k = 0; k < slices; k++) any |= s.edited[k + slices * f] ?? 0;
        s.framesReady[f] = any ? 1 : 0;
      }
      const framesReady = s.framesReady.slice();
      const source: MaskSource = {
        kind: 'edited',
        id: EDITED_MASK_ID,
        title: `Edited (from ${s.baseTitle})`,
        labels: { data: s.data, dims: s.dims },
        baseId: s.baseId,
        base: s.base,
        framesReady,
        editedSlices: s.edited.slice(),
        // Labels from file are complete as they are (ACDC: ED and ES); a model's once every frame is segmented.
        complete: s.base.kind === 'file' || framesReady.every((r) => r === 1),
      };
      addSource(source, activate ? {} : { activate: false });
    },
    [addSource],
  );

  /** The session, started from the source on screen at the first edit. */
  const ensureSession = useCallback((): Session | undefined => {
    if (seriesId === undefined || !dims) return undefined;
    if (sessionRef.current?.seriesId === seriesId) return sessionRef.current;
    const base = active?.kind === 'edited' ? undefined : active;
    const n = dims.cols * dims.rows * dims.slices * dims.frames;
    const ready = baseReady(base, dims.frames, labelledFrames);
    const s: Session = {
      seriesId,
      baseId: base?.id,
      base: base ? maskOrigin(base) : { kind: 'file' },
      baseTitle: base?.title ?? 'no mask',
      dims: { ...dims },
      data: base && base.labels.data.length === n ? base.labels.data.slice() : new Uint8Array(n),
      framesReady: ready.slice(),
      copied: ready,
      edited: new Uint8Array(dims.slices * dims.frames),
    };
    sessionRef.current = s;
    return s;
  }, [seriesId, dims, active, labelledFrames]);

  /** Marks (slice, frame) edited where it differs from the base. */
  const markSlice = useCallback(
    (s: Session, slice: number, frame: number) => {
      const o = sliceOffset(s.dims, slice, frame);
      const n = s.dims.cols * s.dims.rows;
      const base = allSources.find((x) => x.id === s.baseId);
      const baseData = base && s.copied[frame] ? base.labels.data : undefined;
      const differs = baseData ? !sameSlice(s.data, o, baseData, o, n) : s.data.subarray(o, o + n).some((v) => v !== 0);
      s.edited[slice + s.dims.slices * frame] = differs ? 1 : 0;
    },
    [allSources],
  );

  const commit = useCallback(
    (s: Session, edit: SliceEdit | undefined) => {
      if (edit) {
        setHistory((prev) => ({ seriesId, h: recordEdit(prev.seriesId === seriesId ? prev.h : EMPTY_HISTORY, edit) }));
        markSlice(s, edit.slice, edit.frame);
      }
      publish(s, true);
      setLiveLabels(undefined);
    },
    [seriesId, markSlice, publish, setLiveLabels],
  );

  const brushOp = useCallback(
    () => ({ kind: tool === 'eraser' ? ('erase' as const) : ('paint' as const), label }),
    [tool, label],
  );

  const strokeStart = useCallback(
    (slice: number, frame: number, at: PixelPoint) => {
      const s = ensureSession();
      if (!s || (tool !== 'brush' && tool !== 'eraser')) return;
      const o = sliceOffset(s.dims, slice, frame);
      const view = s.data.subarray(o, o + s.dims.cols * s.dims.rows);
      strokeRef.current = { slice, frame, before: view.slice(), last: at };
      brushSegment(view, s.dims, at, at, sizePx / 2, brushOp());
      setNote(undefined);
      setLiveLabels({ data: s.data, dims: s.dims });
    },
    [ensureSession, tool, sizePx, brushOp, setNote, setLiveLabels],
  );

  const strokeMove = useCallback(
    (at: PixelPoint) => {
      const s = sessionRef.current;
      const st = strokeRef.current;
      if (!s || !st) return;
      const o = sliceOffset(s.dims, st.slice, st.frame);
      const view = s.data.subarray(o, o + s.dims.cols * s.dims.rows);
      const changed = brushSegment(view, s.dims, st.last, at, sizePx / 2, brushOp());
      st.last = at;
      if (changed > 0) setLiveLabels({ data: s.data, dims: s.dims });
    },
    [sizePx, brushOp, setLiveLabels],
  );

  const strokeEnd = useCallback(() => {
    const s = sessionRef.current;
    const st = strokeRef.current;
    strokeRef.current = undefined;
    if (!s || !st) return;
    const o = sliceOffset(s.dims, st.slice, st.frame);
    commit(s, diffSlice(st.slice, st.frame, st.before, s.data.subarray(o, o + s.dims.cols * s.dims.rows)));
  }, [commit]);

  const fillAt = useCallback(
    (slice: number, frame: number, at: PixelPoint) => {
      const s = ensureSession();
      if (!s) return;
      const o = sliceOffset(s.dims, slice, frame);
      const view = s.data.subarray(o, o + s.dims.cols * s.dims.rows);
      const before = view.slice();
      const result = fillEnclosedRegion(view, s.dims, at, label);
      if (!result.enclosed) {
        setNote('Fill needs an enclosed region: the area clicked reaches the image border.');
        return;
      }
      setNote(undefined);
      commit(s, diffSlice(slice, frame, before, view));
    },
    [ensureSession, label, commit, setNote],
  );

  const step = useCallback(
    (direction: 'undo' | 'redo') => {
      const s = sessionRef.current?.seriesId === seriesId ? sessionRef.current : undefined;
      if (!s) return;
      const labels = { data: s.data, dims: s.dims };
      const out = direction === 'undo' ? undoEdit(h, labels) : redoEdit(h, labels);
      if (!out) return;
      setHistory({ seriesId, h: out.history });
      markSlice(s, out.edit.slice, out.edit.frame);
      publish(s, true);
      onJump(out.edit.slice, out.edit.frame);
    },
    [seriesId, h, markSlice, publish, onJump],
  );
  const undo = useCallback(() => step('undo'), [step]);
  const redo = useCallback(() => step('redo'), [step]);

  const discard = useCallback(() => {
    sessionRef.current = undefined;
    strokeRef.current = undefined;
    setHistory({ seriesId, h: EMPTY_HISTORY });
    setLiveLabels(undefined);
    setNote(undefined);
    removeSource(EDITED_MASK_ID);
  }, [seriesId, removeSource, setNote, setLiveLabels]);

  // A base still being segmented: its newly finished frames join the edited masks (hand-edited slices stay).
  const editedSource = allSources.find((x) => x.kind === 'edited');
  const baseId = editedSource?.kind === 'edited' ? editedSource.baseId : undefined;
  const base = baseId !== undefined ? allSources.find((x) => x.id === baseId) : undefined;
  useEffect(() => {
    const s = sessionRef.current;
    if (!s || !base || base.kind === 'edited' || s.seriesId !== seriesId) return;
    const ready = baseReady(base, s.dims.frames, labelledFrames);
    const { slices } = s.dims;
    const n = s.dims.cols * s.dims.rows;
    let changed = false;
    for (let f = 0; f < s.dims.frames; f++) {
      if (!ready[f] || s.copied[f]) continue;
      for (let k = 0; k < slices; k++) {
        if (s.edited[k + slices * f]) continue;
        const o = sliceOffset(s.dims, k, f);
        s.data.set(base.labels.data.subarray(o, o + n), o);
      }
      s.copied[f] = 1;
      s.framesReady[f] = 1;
      changed = true;
    }
    if (changed && !strokeRef.current) publish(s, false);
  }, [base, seriesId, labelledFrames, publish]);

  const setSizePx = useCallback((px: number) => {
    setSizeState(Math.min(BRUSH_SIZES_PX.max, Math.max(BRUSH_SIZES_PX.min, Math.round(px))));
  }, []);

  const editing = allSources.some((x) => x.kind === 'edited');
  return useMemo(
    () => ({
      tool,
      setTool,
      label,
      setLabel,
      sizePx,
      setSizePx,
      editing,
      canUndo: h.done.length > 0,
      canRedo: h.undone.length > 0,
      undo,
      redo,
      discard,
      note,
      liveLabels,
      strokeStart,
      strokeMove,
      strokeEnd,
      fillAt,
    }),
    [
      tool,
      label,
      sizePx,
      setSizePx,
      editing,
      h,
      undo,
      redo,
      discard,
      note,
      liveLabels,
      strokeStart,
      strokeMove,
      strokeEnd,
      fillAt,
    ],
  );
}

import { useCallback, useMemo, useState } from 'react';
import type { LabelVolume } from '@/core/volume';
import { FILE_MASK_ID, type MaskSource } from './maskSource';

export interface MaskSources {
  sources: MaskSource[];
  active: MaskSource | undefined;
  setActiveId: (id: string) => void;
  /**
   * Adds or replaces (same id) a source, e.g. a model's output, and makes it active; with `activate: false` it is
   * added (or updated, e.g. with more segmented frames) without changing which source is shown.
   */
  addSource: (source: MaskSource, opts?: { activate?: boolean }) => void;
  /** Removes an added source (e.g. discarded edits); the first source is shown if it was the active one. */
  removeSource: (id: string) => void;
}

interface Added {
  /** The series the added sources belong to: they vanish when another series loads. */
  seriesId: number | undefined;
  sources: MaskSource[];
  activeId: string | undefined;
}

/**
 * Mask sources of the series on screen: the labels that came with the files (if any) plus whatever was added
 * (model output). Everything resets when the series changes.
 */
export function useMaskSources(seriesId: number | undefined, fileLabels: LabelVolume | undefined): MaskSources {
  const [added, setAdded] = useState<Added>({ seriesId, sources: [], activeId: undefined });
  const current: Added = added.seriesId === seriesId ? added : { seriesId, sources: [], activeId: undefined };

  const sources = useMemo<MaskSource[]>(() => {
    const fromFile: MaskSource[] = fileLabels
      ? [{ kind: 'file', id: FILE_MASK_ID, title: 'Labels from file', labels: fileLabels }]
      : [];
    return [...fromFile, ...current.sources];
  }, [fileLabels, current.sources]);

  const active = sources.find((s) => s.id === current.activeId) ?? sources[0];

  const setActiveId = useCallback(
    (id: string) => {
      setAdded((prev) => ({ ...(prev.seriesId === seriesId ? prev : { seriesId, sources: [] }), activeId: id }));
    },
    [seriesId],
  );

  const addSource = useCallback(
    (source: MaskSource, opts?: { activate?: boolean }) => {
      setAdded((prev) => {
        const same = prev.seriesId === seriesId;
        const base = same ? prev.sources : [];
        const at = base.findIndex((s) => s.id === source.id);
        const sources = at >= 0 ? base.map((s, i) => (i === at ? source : s)) : [...base, source];
        const activeId = opts?.activate === false ? (same ? prev.activeId : undefined) : source.id;
        return { seriesId, sources, activeId };
      });
    },
    [seriesId],
  );

  const removeSource = useCallback(
    (id: string) => {
      setAdded((prev) => {
        if (prev.seriesId !== seriesId) return prev;
        return {
          seriesId,
          sources: prev.sources.filter((s) => s.id !== id),
          activeId: prev.activeId === id ? undefined : prev.activeId,
        };
      });
    },
    [seriesId],
  );

  return { sources, active, setActiveId, addSource, removeSource };
}

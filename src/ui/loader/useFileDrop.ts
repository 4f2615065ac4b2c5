import { useCallback, useRef, useState, type DragEvent } from 'react';
import { collectDroppedFiles } from './collectFiles';
import type { PickedFile } from './loadProtocol';

export interface FileDrop {
  dragActive: boolean;
  dropHandlers: {
    onDragEnter: (e: DragEvent) => void;
    onDragOver: (e: DragEvent) => void;
    onDragLeave: (e: DragEvent) => void;
    onDrop: (e: DragEvent) => void;
  };
}

function carriesFiles(e: DragEvent): boolean {
  return Array.from(e.dataTransfer.types).includes('Files');
}

/** Drop handlers for a whole region; folders are walked. `onError` gets problems reading a dropped folder. */
export function useFileDrop(onFiles: (files: PickedFile[]) => void, onError: (message: string) => void): FileDrop {
  const [dragActive, setDragActive] = useState(false);
  // dragenter/dragleave fire for every child element crossed: count them.
  const depth = useRef(0);

  const onDragEnter = useCallback((e: DragEvent) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    depth.current += 1;
    setDragActive(true);
  }, []);
  const onDragOver = useCallback((e: DragEvent) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);
  const onDragLeave = useCallback((e: DragEvent) => {
    if (!carriesFiles(e)) return;
    depth.current = Math.max(0, depth.current - 1);
    if (depth.current === 0) setDragActive(false);
  }, []);
  const onDrop = useCallback(
    (e: DragEvent) => {
      e.preventDefault();
      depth.current = 0;
      setDragActive(false);
      collectDroppedFiles(e.dataTransfer).then(onFiles, (err: unknown) => {
        onError(`The dropped folder could not be read: ${err instanceof Error ? err.message : String(err)}`);
      });
    },
    [onFiles, onError],
  );

  return { dragActive, dropHandlers: { onDragEnter, onDragOver, onDragLeave, onDrop } };
}

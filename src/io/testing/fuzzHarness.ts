/**
 * Child process of the readers' fuzz test (`src/io/readers.fuzz.test.ts`): runs `loadFiles` on each drop it is sent
 * and answers what came out, with the largest single allocation made meanwhile. A separate process so that a reader
 * that loops forever is seen (the test's timer fires, the process is killed) instead of freezing the test run, and so
 * that the allocation watch below never touches the test runner.
 *
 * Allocation watch: the typed-array and ArrayBuffer constructors are wrapped before the readers (and fflate, which
 * keeps its own reference to Uint8Array) are imported, so every buffer they create is measured. Test code only.
 */
import type { LoadOutcome } from '../types';

export interface FuzzDrop {
  id: number;
  files: { name: string; bytes: Uint8Array }[];
}

export interface FuzzAnswer {
  id: number;
  kind: 'series' | 'choose' | 'load-error' | 'other-error';
  /** The error's message (and stack for anything but a LoadError). */
  message?: string;
  /** For a series: what the loader returned, to check it is a well-formed Volume. */
  volume?: {
    dims: { cols: number; rows: number; slices: number; frames: number };
    spacingMm: { col: number; row: number; slice: number };
    dataLength: number;
    affineLength: number;
    frameTimes: number;
  };
  /** Largest single buffer allocated while loading, bytes. */
  maxAllocationBytes: number;
}

let largest = 0;

function bytesRequested(bytesPerElement: number, args: unknown[]): number {
  const first = args[0];
  if (typeof first === 'number') return first * bytesPerElement;
  if (
    first instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer !== 'undefined' && first instanceof SharedArrayBuffer)
  ) {
    return 0; // a view on an existing buffer
  }
  const length = (first as { length?: unknown } | undefined)?.length;
  return typeof length === 'number' ? length * bytesPerElement : 0;
}

function watch(name: string, bytesPerElement: number): void {
  const g = globalThis as unknown as Record<string, new (...args: unknown[]) => object>;
  const original = g[name];
  if (!original) return;
  g[name] = new Proxy(original, {
    construct(target, args: unknown[], newTarget) {
      largest = Math.max(largest, bytesRequested(bytesPerElement, args));
      return Reflect.construct(target, args, newTarget) as object;
    },
  });
}

watch('ArrayBuffer', 1);
for (const [name, size] of [
  ['Uint8Array', 1],
  ['Int8Array', 1],
  ['Uint8ClampedArray', 1],
  ['Int16Array', 2],
  ['Uint16Array', 2],
  ['Int32Array', 4],
  ['Uint32Array', 4],
  ['Float32Array', 4],
  ['Float64Array', 8],
] as const) {
  watch(name, size);
}

const io = await import('../index');

function answer(drop: FuzzDrop): FuzzAnswer {
  largest = 0;
  const files = drop.files.map((f) => ({ name: f.name, path: f.name, bytes: new Uint8Array(f.bytes) }));
  const base = { id: drop.id };
  let outcome: LoadOutcome;
  try {
    outcome = io.loadFiles(files);
  } catch (e) {
    if (e instanceof io.LoadError)
      return { ...base, kind: 'load-error', message: e.message, maxAllocationBytes: largest };
    const message =
      e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : `thrown ${typeof e}: ${String(e)}`;
    return { ...base, kind: 'other-error', message, maxAllocationBytes: largest };
  }
  if (outcome.kind === 'choose') return { ...base, kind: 'choose', maxAllocationBytes: largest };
  const v = outcome.series.volume;
  return {
    ...base,
    kind: 'series',
    volume: {
      dims: { ...v.dims },
      spacingMm: { ...v.spacingMm },
      dataLength: v.data.length,
      affineLength: v.affine.length,
      frameTimes: v.frameTimesMs.length,
    },
    maxAllocationBytes: largest,
  };
}

process.on('message', (drop: FuzzDrop) => {
  process.send?.(answer(drop));
});
// The test runner went away (a crash, a killed run): do not outlive it.
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });

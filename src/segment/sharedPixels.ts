/**
 * Voxels the page and the segmentation worker can both read without a copy. A cine series is large (256x256, 12
 * slices x 20 frames: 63 MB of float32); copying it on the main thread to send it to the worker freezes the page for
 * tens of milliseconds, and the garbage collector pays again for the copy. In a cross-origin isolated page (which the
 * threaded WASM backend needs anyway) the loader worker puts the voxels in a SharedArrayBuffer once, off the main
 * thread, and every later `postMessage` shares that memory instead of copying it. Nobody writes to a volume's voxels
 * after loading, so sharing them is safe.
 */

/** SharedArrayBuffer exists and may be posted between threads: the page (or worker) is cross-origin isolated. */
export function sharingAllowed(): boolean {
  return typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated === true;
}

/** True when `view` lives in a SharedArrayBuffer: posting it to a worker shares the memory instead of copying it. */
export function isShared(view: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer === 'function' && view.buffer instanceof SharedArrayBuffer;
}

/**
 * `data` in shared memory: itself when it already is, a copy in a new SharedArrayBuffer when sharing is allowed,
 * else `data` unchanged (it is then copied when it is sent to a worker).
 */
export function shareable(data: Float32Array, canShare: boolean = sharingAllowed()): Float32Array {
  if (!canShare || isShared(data)) return data;
  const shared = new Float32Array(new SharedArrayBuffer(data.byteLength));
  shared.set(data);
  return shared;
}

/**
 * What to post for `data` so the receiver owns or shares it and the sender keeps its own: shared memory as it is
 * (nothing to transfer), otherwise a copy whose buffer is transferred (one memcpy, no structured clone).
 */
export function forPosting(data: Float32Array): { data: Float32Array; transfer: ArrayBuffer[] } {
  if (isShared(data)) return { data, transfer: [] };
  const copy = data.slice();
  return { data: copy, transfer: [copy.buffer] };
}

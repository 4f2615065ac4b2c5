/**
 * Which end of a short-axis stack is the base and which the apex. Stacks run either way (Sunnybrook's DICOM apex to
 * base, ACDC's NIfTI base to apex), so the data decides: the LV (cavity + myocardium) is wide at the base and
 * narrows to the apex, so the end whose outer slices hold more LV at end-diastole is the base.
 */

export interface BaseApex {
  /** 0-based slice index of the basal end and of the apical end of the slices that show LV. */
  base: number;
  apex: number;
}

/**
 * Base and apex from the LV area (any unit) of each slice at end-diastole; `undefined` when fewer than three slices
 * show LV or both ends are alike (within 10 %), so no mark is better than a wrong one.
 */
export function findBaseApex(lvAreaPerSlice: readonly number[]): BaseApex | undefined {
  const withLv = lvAreaPerSlice.flatMap((a, s) => (a > 0 ? [s] : []));
  if (withLv.length < 3) return undefined;
  const first = withLv[0]!;
  const last = withLv[withLv.length - 1]!;
  // The two outermost slices with LV at each end: one slice can be a partial-volume sliver.
  const endArea = (a: number, b: number | undefined): number =>
    (lvAreaPerSlice[a] ?? 0) + (lvAreaPerSlice[b ?? a] ?? 0);
  const low = endArea(first, withLv[1]);
  const high = endArea(last, withLv[withLv.length - 2]);
  if (Math.abs(low - high) <= 0.1 * Math.max(low, high)) return undefined;
  return low > high ? { base: first, apex: last } : { base: last, apex: first };
}

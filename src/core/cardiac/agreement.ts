/**
 * Agreement between two segmentations of the same series (labels from file as the reference, a model's masks as the
 * test): Dice per structure and the volume difference per frame. Overlap is counted once per (slice, frame), so a
 * slice selection or a frame arriving later is a sum over small arrays, as for the volumes (volumes.ts).
 * Dice: Dice LR, "Measures of the amount of ecologic association between species", Ecology 1945;26:297.
 */
import { Label } from '../labels';

/** The three structures, in label order. */
export const STRUCTURES = [
  { key: 'rv', label: Label.RVCavity },
  { key: 'myo', label: Label.Myocardium },
  { key: 'lv', label: Label.LVCavity },
] as const;

export type StructureKey = (typeof STRUCTURES)[number]['key'];
export type PerStructure<T> = Record<StructureKey, T>;

/** Per slice, per structure: [intersection, reference voxels, test voxels]. */
const FIELDS = 3;
const STRIDE = STRUCTURES.length * FIELDS;

/**
 * Overlap counts of one frame: `ref` and `test` hold slices × rows × cols labels. Returns `slices × 9` counts:
 * for slice s and structure k (RV, myocardium, LV cavity) `[(s * 3 + k) * 3 + 0..2]` = intersection, reference,
 * test voxels.
 */
export function frameOverlap(ref: Uint8Array, test: Uint8Array, planeSize: number, slices: number): Uint32Array {
  if (ref.length !== planeSize * slices || test.length !== ref.length) {
    throw new RangeError(
      `overlap needs two frames of ${planeSize * slices} voxels (got ${ref.length}, ${test.length})`,
    );
  }
  const out = new Uint32Array(slices * STRIDE);
  // 4x4 joint histogram per slice: one increment per voxel.
  const joint = new Uint32Array(16);
  for (let s = 0; s < slices; s++) {
    joint.fill(0);
    const end = (s + 1) * planeSize;
    for (let i = s * planeSize; i < end; i++) {
      const r = ref[i]!;
      const t = test[i]!;
      if (r < 4 && t < 4) joint[r * 4 + t]!++;
    }
    STRUCTURES.forEach(({ label }, k) => {
      let refN = 0;
      let testN = 0;
      for (let j = 0; j < 4; j++) {
        refN += joint[label * 4 + j]!;
        testN += joint[j * 4 + label]!;
      }
      const o = s * STRIDE + k * FIELDS;
      out[o] = joint[label * 4 + label]!;
      out[o + 1] = refN;
      out[o + 2] = testN;
    });
  }
  return out;
}

export interface FrameAgreement {
  /** 0-based frame. */
  frame: number;
  /** Dice per structure; `undefined` when the structure is in neither mask. */
  dice: PerStructure<number | undefined>;
  referenceMl: PerStructure<number>;
  testMl: PerStructure<number>;
  /** test − reference, ml. */
  differenceMl: PerStructure<number>;
}

export interface Agreement {
  /** One entry per frame compared (both masks present), in frame order. */
  frames: FrameAgreement[];
  /** Dice over all compared frames pooled (2 Σ∩ / (Σref + Σtest)); `undefined` when nothing to compare. */
  dice: PerStructure<number | undefined>;
  /** Mean of |test − reference| over the compared frames, ml. */
  meanAbsDifferenceMl: PerStructure<number | undefined>;
}

const perStructure = <T>(fn: (k: number) => T): PerStructure<T> => ({ rv: fn(0), myo: fn(1), lv: fn(2) });
const diceOf = (inter: number, a: number, b: number): number | undefined =>
  a + b === 0 ? undefined : (2 * inter) / (a + b);

/**
 * Agreement from per-frame overlaps (`null` = frame not compared) over the included slices.
 * @param voxelMl volume of one voxel (volumes.ts voxelVolumeMl), for the ml columns.
 */
export function agreementFromOverlaps(
  overlaps: readonly (Uint32Array | null | undefined)[],
  slices: number,
  includedSlices: readonly boolean[] | undefined,
  voxelMl: number,
): Agreement {
  const frames: FrameAgreement[] = [];
  const total = new Float64Array(STRUCTURES.length * FIELDS);
  overlaps.forEach((o, frame) => {
    if (!o) return;
    const sum = new Float64Array(STRUCTURES.length * FIELDS);
    for (let s = 0; s < slices; s++) {
      if (includedSlices && includedSlices[s] === false) continue;
      for (let j = 0; j < sum.length; j++) sum[j]! += o[s * STRIDE + j]!;
    }
    for (let j = 0; j < sum.length; j++) total[j]! += sum[j]!;
    const at = (k: number, f: number): number => sum[k * FIELDS + f]!;
    frames.push({
      frame,
      dice: perStructure((k) => diceOf(at(k, 0), at(k, 1), at(k, 2))),
      referenceMl: perStructure((k) => at(k, 1) * voxelMl),
      testMl: perStructure((k) => at(k, 2) * voxelMl),
      differenceMl: perStructure((k) => (at(k, 2) - at(k, 1)) * voxelMl),
    });
  });
  const n = frames.length;
  return {
    frames,
    dice: perStructure((k) => diceOf(total[k * FIELDS]!, total[k * FIELDS + 1]!, total[k * FIELDS + 2]!)),
    meanAbsDifferenceMl: perStructure((k) => {
      if (n === 0) return undefined;
      const key = STRUCTURES[k]!.key;
      return frames.reduce((a, f) => a + Math.abs(f.differenceMl[key]), 0) / n;
    }),
  };
}

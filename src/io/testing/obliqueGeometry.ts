/**
 * Test code only: an oblique short-axis-like DICOM geometry (rotated 30° in-plane, tilted 20°), as LPS direction
 * cosines, for tests of slice ordering and of the image-to-patient mapping.
 */
export type Vec3 = [number, number, number];

const A = Math.PI / 6;
const B = Math.PI / 9;
/** ImageOrientationPatient's row direction cosine. */
export const ROW_COS: Vec3 = [Math.cos(A), Math.sin(A), 0];
/** ImageOrientationPatient's column direction cosine. */
export const COL_COS: Vec3 = [-Math.sin(A) * Math.cos(B), Math.cos(A) * Math.cos(B), -Math.sin(B)];
/** ROW_COS x COL_COS: the slice normal. */
export const NORMAL: Vec3 = [
  ROW_COS[1] * COL_COS[2] - ROW_COS[2] * COL_COS[1],
  ROW_COS[2] * COL_COS[0] - ROW_COS[0] * COL_COS[2],
  ROW_COS[0] * COL_COS[1] - ROW_COS[1] * COL_COS[0],
];
/** The first slice's ImagePositionPatient, mm. */
export const BASE: Vec3 = [-100, 40, 25];

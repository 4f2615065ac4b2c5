/** Label values, ACDC convention. Sources with other conventions are converted at the io edge. */
export const Label = {
  Background: 0,
  RVCavity: 1,
  Myocardium: 2,
  LVCavity: 3,
} as const;

export type LabelValue = (typeof Label)[keyof typeof Label];

export const NUM_CLASSES = 4;

export const LABEL_NAMES: Record<LabelValue, string> = {
  0: 'background',
  1: 'RV cavity',
  2: 'LV myocardium',
  3: 'LV cavity',
};

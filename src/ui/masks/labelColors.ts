import { Label, LABEL_NAMES, type LabelValue } from '@/core/labels';

export type Rgb = readonly [number, number, number];

/** One colour per structure, the usual convention of cardiac MR tools: RV blue, myocardium green, LV cavity red. */
export const LABEL_COLORS: Record<Exclude<LabelValue, 0>, Rgb> = {
  [Label.RVCavity]: [59, 130, 246],
  [Label.Myocardium]: [34, 197, 94],
  [Label.LVCavity]: [239, 68, 68],
};

export interface LegendEntry {
  label: Exclude<LabelValue, 0>;
  name: string;
  color: Rgb;
}

export const LEGEND: LegendEntry[] = [Label.RVCavity, Label.Myocardium, Label.LVCavity].map((label) => ({
  label,
  name: LABEL_NAMES[label],
  color: LABEL_COLORS[label],
}));

export function cssColor([r, g, b]: Rgb): string {
  return `rgb(${r}, ${g}, ${b})`;
}

/** RGBA lookup indexed by label value (0..255); unknown labels stay transparent. */
export function labelRgbaLut(): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(256 * 4);
  for (const { label, color } of LEGEND) {
    lut.set([color[0], color[1], color[2], 255], label * 4);
  }
  return lut;
}

/**
 * ACDC's per-patient `Info.cfg` (`ED: 1`, `ES: 12`, `Group: DCM`, `Height: 184.0`, `NbFrame: 30`, `Weight: 95.0`):
 * dropped with a patient's NIfTI frames it gives the body size for BSA-indexed measures. Height in cm, weight in kg.
 */

export interface InfoCfg {
  heightCm?: number;
  weightKg?: number;
  /** ACDC's diagnosis group (NOR, MINF, DCM, HCM, RV), when given. */
  group?: string;
}

/** True for a file name ACDC uses for it (`Info.cfg`, any case) or any `.cfg` next to the images. */
export function isInfoCfgName(name: string): boolean {
  return /\.cfg$/i.test(name);
}

/** Parses `key: value` lines; unknown keys and malformed lines are ignored. `undefined` when nothing useful is there. */
export function parseInfoCfg(text: string): InfoCfg | undefined {
  const out: InfoCfg = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z]+)\s*[:=]\s*(.+?)\s*$/.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    const value = m[2]!;
    const n = Number(value);
    if (key === 'height' && Number.isFinite(n) && n > 0) out.heightCm = n;
    else if (key === 'weight' && Number.isFinite(n) && n > 0) out.weightKg = n;
    else if (key === 'group') out.group = value;
  }
  return out.heightCm !== undefined || out.weightKg !== undefined ? out : undefined;
}

import { describe, expect, it } from 'vitest';
import { isInfoCfgName, parseInfoCfg } from './infoCfg';

describe('parseInfoCfg', () => {
  it("reads ACDC's height (cm), weight (kg) and group", () => {
    const text = 'ED: 1\nES: 12\nGroup: DCM\nHeight: 184.0\nNbFrame: 30\nWeight: 95.0\n';
    expect(parseInfoCfg(text)).toEqual({ heightCm: 184, weightKg: 95, group: 'DCM' });
    expect(parseInfoCfg('Height: 170\r\nWeight: 60.5\r\n')).toEqual({ heightCm: 170, weightKg: 60.5 });
  });

  it('gives nothing for a file without a body size', () => {
    expect(parseInfoCfg('ED: 1\nES: 12\n')).toBeUndefined();
    expect(parseInfoCfg('Height: tall\n')).toBeUndefined();
  });

  it('recognises the file by its name', () => {
    expect(isInfoCfgName('Info.cfg')).toBe(true);
    expect(isInfoCfgName('patient001_frame01.nii.gz')).toBe(false);
  });
});

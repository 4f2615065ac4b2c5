/**
 * Where tests find the real data sets: `../shared/data` beside the repository (as the e2e fixtures resolve it), never
 * one machine's absolute path. Data that is missing skips its tests on a developer's machine, but under CI (`CI=true`,
 * where the data is always laid out) it fails them, so a moved folder can never turn a suite silently green.
 * Test code only.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'vitest';

/** `<repository>/../shared/data`. */
export const SHARED_DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/data');

/** The absolute path of `relative` under ../shared/data. */
export function sharedDataPath(relative: string): string {
  return join(SHARED_DATA_DIR, relative);
}

/**
 * Whether every one of `relatives` is there. When one is missing under CI, registers a failing test that names it;
 * elsewhere the caller skips its tests (`describe.skipIf(!present)`).
 */
export function sharedDataPresent(...relatives: string[]): boolean {
  const missing = relatives.filter((r) => !existsSync(sharedDataPath(r)));
  if (missing.length > 0 && process.env.CI === 'true') {
    it(`has its data under ../shared/data (CI): ${missing.join(', ')}`, () => {
      throw new Error(
        `Missing under ${SHARED_DATA_DIR}: ${missing.join(', ')}. CI must run with ../shared/data in place.`,
      );
    });
  }
  return missing.length === 0;
}

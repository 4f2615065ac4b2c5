/**
 * How this project launches Chromium, for the e2e tests (playwright.config.ts) and the benchmark (bench/run.ts):
 * the system Chromium (Debian package) when present, never a browser download; headless-friendly flags.
 */
import { existsSync } from 'node:fs';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** The system Chromium's path when it exists, else undefined (Playwright's own browser). */
export const chromiumExecutable: string | undefined = existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined;

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

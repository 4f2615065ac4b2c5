import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './scripts/chromium';

export default defineConfig({
  testDir: 'e2e',
  // One worker: the machine is small and the specs share a server; each spec reuses one page where it can.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    ...devices['Desktop Chrome'],
    baseURL: 'http://localhost:4173/',
    viewport: { width: 1400, height: 860 },
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // The system Chromium (Debian package) when present: this project never downloads browsers.
      ...(chromiumExecutable ? { executablePath: chromiumExecutable } : {}),
      args: CHROMIUM_ARGS,
    },
  },
  // Serves the already-built dist/ (`npm test` builds first), with the same COOP/COEP headers as production.
  webServer: {
    command: 'npx vite preview --port 4173 --strictPort',
    url: 'http://localhost:4173/',
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});

// Playwright Test configuration for onramp's browser suites. Chromium comes from the system
// (Debian's package): Playwright's own browser download is not available on these machines.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './src/browser.ts';

export default defineConfig({
  testDir: './test/e2e',
  timeout: 60_000,
  fullyParallel: false,
  reporter: [['list']],
  use: {
    headless: true,
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
});
